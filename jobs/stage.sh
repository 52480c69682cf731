#!/usr/bin/env bash
# jobs/stage.sh STAGE CONFIG [options]: run one stage of the pipeline, the same way everywhere.
# jobs/local.sh, the Slurm batch scripts (jobs/slurm/STAGE.sbatch) and jobs/retrain.sh all call it.
#   STAGE    unpack | extract | select | map | train | generate | evaluate
#   CONFIG   a pipeline config (schemas/pipeline.schema.json); relative paths in it are relative to
#            the repository root, which is also the working directory of the stage.
# options (used by jobs/retrain.sh):
#   --log FILE        also append the stage's progress and messages to FILE
#   --corpus FILE     the corpus to write (extract) or read (select, map, train, evaluate);
#                     default OUT/corpus.h5
#   --input PATH      one more unpack input (repeatable)
#   --max-steps N     train: this max_steps instead of the config's
#   --resume          train: resume even when the config says resume: false
#   --time-limit SEC  train: checkpoint and stop cleanly before SEC seconds (emogen train --time-limit)
# How ranks are started:
#   inside a Slurm job (SLURM_JOB_ID set): `srun [slurm.srun_args]` (slurm.launcher "srun") or
#     `mpirun` (slurm.launcher "mpirun"), with every task of the job, or one task for map;
#   elsewhere: `mpirun -np RANKS` (RANKS from the config), oversubscribing when ranks > cores.
#   EMOGEN_LAUNCH=srun|mpirun|local forces one of the three.
# Environment: EMOGEN (the executable; default build/bin/emogen of this repository),
#   OPENBLAS_NUM_THREADS (default: Slurm's --cpus-per-task, else 1).
# Writes OUT/STAGE.config.json (where the stage has a config) and OUT/STAGE.summary.json (the
# stage's --json summary). Exit status: the stage's; 2 for a bad call or config.
set -euo pipefail

die() { echo "stage.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: jobs/stage.sh STAGE CONFIG [--log FILE] [--corpus FILE] [--input PATH]... [--max-steps N] [--resume]"
stage=$1; config=$2; shift 2
case "$stage" in unpack|extract|select|map|train|generate|evaluate) ;; *) die "unknown stage '$stage'" ;; esac
log=""; corpus=""; extra_inputs=(); max_steps=""; force_resume=0; time_limit=""
while [ $# -gt 0 ]; do
  case "$1" in
    --log) log=${2:?--log needs a file}; shift 2 ;;
    --corpus) corpus=${2:?--corpus needs a file}; shift 2 ;;
    --input) extra_inputs+=("${2:?--input needs a path}"); shift 2 ;;
    --max-steps) max_steps=${2:?--max-steps needs a number}; shift 2 ;;
    --resume) force_resume=1; shift ;;
    --time-limit) time_limit=${2:?--time-limit needs seconds}; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done

# the config path is taken relative to the caller's directory, everything inside it relative to the repo root
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_config "$config"
ranks=$(q .ranks)
mkdir -p "$out/logs"
corpus=${corpus:-$out/corpus.h5}
if [ -n "$log" ]; then mkdir -p "$(dirname "$log")"; fi

if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-${SLURM_CPUS_PER_TASK:-1}}
# Slurm >= 22.05: srun no longer inherits the job's --cpus-per-task; pass it on explicitly
if [ -n "${SLURM_CPUS_PER_TASK:-}" ]; then export SRUN_CPUS_PER_TASK=${SRUN_CPUS_PER_TASK:-$SLURM_CPUS_PER_TASK}; fi

launch=${EMOGEN_LAUNCH:-}
if [ -z "$launch" ]; then
  if [ -n "${SLURM_JOB_ID:-}" ]; then launch=$(q .slurm.launcher); else launch=local; fi
fi
mapfile -t srun_args < <(q '.slurm.srun_args[]')
# mpi N CMD...: run CMD on N ranks ("all": every task of the Slurm job, or RANKS locally)
mpi() {
  local n=$1; shift
  case "$launch" in
    srun)   if [ "$n" = all ]; then srun "${srun_args[@]}" "$@"; else srun "${srun_args[@]}" -n "$n" "$@"; fi ;;
    mpirun) if [ "$n" = all ]; then mpirun "$@"; else mpirun -np "$n" "$@"; fi ;;
    local)  [ "$n" = all ] && n=$ranks
            if [ "$n" = 1 ]; then "$@"; else OMPI_MCA_rmaps_base_oversubscribe=1 mpirun -np "$n" "$@"; fi ;;
    *) die "EMOGEN_LAUNCH must be srun, mpirun or local, not '$launch'" ;;
  esac
}
# run CMD...: the stage's stderr to the terminal/Slurm log and to --log; stdout (the --json summary)
# to OUT/STAGE.summary.json
summary=$out/$stage.summary.json
run() {
  local head n=1 args=("$@")
  if [ "$1" = mpi ]; then
    n=$2; args=("${args[@]:2}")
    if [ "$n" = all ]; then if [ "$launch" = local ]; then n=$ranks; else n=${SLURM_NTASKS:-all}; fi; fi
  fi
  head="[$stage] $(date '+%F %T') on $(hostname -s), ${SLURM_JOB_ID:+Slurm job $SLURM_JOB_ID, }$n rank(s) via $launch: ${args[*]}"
  echo "$head" >&2
  if [ -n "$log" ]; then
    echo "$head" >> "$log"
    { "$@" > "$summary.tmp"; } 2>&1 | tee -a "$log" >&2
  else
    "$@" > "$summary.tmp"
  fi
  mv -f "$summary.tmp" "$summary"
}
# the checkpoint generate (and evaluate's random baseline) use: generate.checkpoint
checkpoint() {
  local ck
  ck=$(q .generate.checkpoint)
  case "$ck" in
    best) ck=$out/train/best.h5 ;;
    last) ck=$(find "$out/train" -maxdepth 1 -name 'step-*.h5' 2>/dev/null | sort | tail -1)
          [ -n "$ck" ] || ck="$out/train/step-*.h5" ;;
  esac
  echo "$ck"
}
say() { echo "$*" >&2; [ -z "$log" ] || echo "$*" >> "$log"; }
need() { [ -e "$1" ] || { say "stage.sh $stage: missing $1 (${2:-run the earlier stages first})"; exit 1; }; }

trap 'rc=$?; [ $rc = 0 ] || echo "[$stage] FAILED with exit status $rc${log:+ (log: $log)}" >&2' EXIT

case "$stage" in
unpack)
  mapfile -t inputs < <(q '.unpack.inputs[]')
  inputs+=("${extra_inputs[@]}")
  q .unpack.config > "$out/unpack.config.json"
  run mpi all "$E" unpack --config "$out/unpack.config.json" --out "$out/midi.h5" --json "${inputs[@]}"
  ;;
extract)
  need "$out/midi.h5"
  q .extract.config > "$out/extract.config.json"
  labels=$(q .extract.labels)
  run mpi all "$E" extract --config "$out/extract.config.json" --in "$out/midi.h5" --out "$corpus" \
    ${labels:+--labels "$labels"} --json
  ;;
select)
  q .select.config > "$out/select.config.json"
  if [ "$(q .select.emogen)" = true ]; then
    run mpi 1 "$E" select --emogen --out "$out/attributes.json" --json
  else
    need "$corpus"
    run mpi all "$E" select --corpus "$corpus" --config "$out/select.config.json" --out "$out/attributes.json" --json
  fi
  ;;
map)
  need "$corpus"; need "$out/attributes.json"
  run mpi 1 "$E" map --corpus "$corpus" --attributes "$out/attributes.json" --method "$(q .map.method)" \
    --features "$(q .map.features)" --out "$out/emotions.json" --json
  ;;
train)
  need "$corpus"; need "$out/attributes.json"
  jq --arg c "$corpus" --arg a "$out/attributes.json" --arg o "$out/train" --arg m "$max_steps" \
    '.train.config + {corpus: $c, attributes: $a, out_dir: $o} + (if $m == "" then {} else {max_steps: ($m | tonumber)} end)' \
    <<<"$cfg" > "$out/train.config.json"
  resume=(); { [ "$(q .train.resume)" = true ] || [ $force_resume = 1 ]; } && resume=(--resume)
  [ -n "$time_limit" ] && resume+=(--time-limit "$time_limit")
  run mpi all "$E" train --config "$out/train.config.json" "${resume[@]}"
  rm -f "$summary"   # train writes no summary; its record is OUT/train/metrics.jsonl
  ;;
generate)
  ck=$(checkpoint)
  need "$ck" "run train first"; need "$out/emotions.json" "run map first"
  # a fresh folder: evaluate reads every piece in it, so pieces of an earlier run must not linger
  rm -rf "$out/generated"; mkdir -p "$out/generated"
  args=(--checkpoint "$ck" --emotions "$out/emotions.json" -n "$(q .generate.count)" --seed "$(q .generate.seed)"
        --top-p "$(q .generate.top_p)" --temperature "$(q .generate.temperature)" --min-len "$(q .generate.min_len)"
        --max-len "$(q .generate.max_len)" -o "$out/generated" --json)
  [ "$(q .generate.render)" = true ] && args+=(--render)
  : > "$out/generate.summary.jsonl"
  for emo in $(q '.generate.emotions[]'); do
    run mpi all "$E" generate "${args[@]}" --emotion "$emo"
    jq -c --arg e "$emo" '{emotion: $e} + .' "$summary" >> "$out/generate.summary.jsonl"
  done
  jq -s '{pieces: (map(.pieces) | add), undecodable: (map(.undecodable) | add), tokens: (map(.tokens) | add),
          out: "generated", by_emotion: .}' "$out/generate.summary.jsonl" > "$summary"
  rm -f "$out/generate.summary.jsonl"
  say "[generate] $(jq -r .pieces "$summary") pieces -> $out/generated/"
  ;;
evaluate)
  if [ "$(q .evaluate.enabled)" != true ]; then say "[evaluate] skipped: evaluate.enabled is false in $config"; exit 0; fi
  if ! help=$("$E" evaluate --help 2>/dev/null); then
    say "[evaluate] SKIPPED: this emogen ($E) has no 'evaluate' command yet; the generated pieces are in $out/generated/"
    rm -f "$summary"
    exit 0
  fi
  need "$out/generated" "run generate first"; need "$corpus"; need "$out/attributes.json"
  args=(--generated "$out/generated" --corpus "$corpus" --attributes "$out/attributes.json" --out "$out/report")
  [ "$(q .evaluate.metrics)" = true ] && [ -f "$out/train/metrics.jsonl" ] && args+=(--metrics "$out/train/metrics.jsonl")
  nrandom=$(q .evaluate.random)
  if [ "$nrandom" -gt 0 ]; then ck=$(checkpoint); need "$ck" "run train first"; args+=(--checkpoint "$ck" --random "$nrandom"); fi
  grep -q -- '--json' <<<"$help" && args+=(--json)
  # evaluate runs under MPI only when `emogen --help` marks it [MPI]
  if "$E" --help 2>&1 | grep -E '^ +evaluate ' | grep -q '\[MPI\]'; then run mpi all "$E" evaluate "${args[@]}"
  else run mpi 1 "$E" evaluate "${args[@]}"; fi
  [ -s "$summary" ] || rm -f "$summary"
  ;;
esac
