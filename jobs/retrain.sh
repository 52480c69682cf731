#!/usr/bin/env bash
# jobs/retrain.sh [options] CONFIG: scheduled retraining (run by jobs/retrain.scrontab, by hand, or
# as a batch job). One run:
#   1. unpack: the config's unpack.inputs plus every entry of the retrain.incoming folders (each
#      archive, folder or MIDI file dropped there is its own input) into the same OUT/midi.h5;
#      unpack skips what it ingested before (same path, size, mtime, MD5), so only new inputs are read;
#   2. if nothing new was accepted (and not --always-train): stop here, recording "nothing new";
#   3. extract the store into a NEW corpus version OUT/corpus-YYYYmmdd-HHMMSS.h5 and point the
#      symlink OUT/corpus-latest.h5 at it (extract re-processes the whole store: see the README);
#   4. select again only with --reselect (or retrain.reselect); map the emotions on the new corpus;
#   5. train --resume from the newest checkpoint in OUT/train, max_steps = its step + retrain.extra_steps;
#   6. with retrain.evaluate: generate and evaluate too.
# Every run, whatever its outcome, leaves OUT/retrain/YYYYmmdd-HHMMSS.json: inputs, the counts of the
# stages' JSON summaries, the corpus versions, the new loss lines of train/metrics.jsonl, status; its
# log is OUT/logs/retrain-YYYYmmdd-HHMMSS.log.
# Inside a Slurm job the stages run with srun on the job's tasks, elsewhere with mpirun (jobs/stage.sh).
# options:
#   --reselect           re-run select on the new corpus (keep top_k and buckets, so the checkpoint fits)
#   --extra-steps N      updates to add this time (default: retrain.extra_steps)
#   --always-train       train even when nothing new was ingested
#   --print-scrontab     print jobs/retrain.scrontab filled in for CONFIG (paths, ranks, times, schedule)
set -euo pipefail
PATH=$PATH:/usr/local/bin:/usr/bin:/bin   # cron-like jobs may start with a bare PATH
die() { echo "retrain.sh: $*" >&2; exit 2; }
reselect=0; extra=""; always=0; print=0; config=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reselect) reselect=1; shift ;;
    --extra-steps) extra=${2:?--extra-steps needs a number}; shift 2 ;;
    --always-train) always=1; shift ;;
    --print-scrontab) print=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -z "$config" ] || die "one CONFIG only"; config=$1; shift ;;
  esac
done
[ -n "$config" ] || die "usage: jobs/retrain.sh [--reselect] [--extra-steps N] [--always-train] [--print-scrontab] CONFIG"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_config "$config"
case "$out" in /*) ;; *) out=$root/$out ;; esac

if [ $print = 1 ]; then
  t=$(q .slurm.time.retrain); [ -n "$t" ] || t=04:00:00
  more=""
  for k in partition account qos; do v=$(q ".slurm.$k"); [ -z "$v" ] || more+="#SCRON --$k=$v"$'\n'; done
  while IFS= read -r a; do more+="#SCRON $a"$'\n'; done < <(q '.slurm.sbatch_args[]')
  while IFS= read -r line; do
    case "$line" in *'{{EXTRA}}'*) printf '%s' "$more"; continue ;; esac
    line=${line//'{{ROOT}}'/$root}; line=${line//'{{CONFIG}}'/$config}; line=${line//'{{OUT}}'/$out}
    line=${line//'{{RANKS}}'/$(q .ranks)}; line=${line//'{{NODES}}'/$(q .slurm.nodes)}
    line=${line//'{{CPUS}}'/$(q .slurm.cpus_per_task)}; line=${line//'{{TIME}}'/$t}
    line=${line//'{{SIGNAL}}'/$(q .slurm.signal_seconds)}; line=${line//'{{SCHEDULE}}'/$(q .retrain.schedule)}
    printf '%s\n' "$line"
  done < "$root/jobs/retrain.scrontab"
  exit 0
fi

stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$out/retrain" "$out/logs"
while [ -e "$out/retrain/$stamp.json" ]; do sleep 1; stamp=$(date +%Y%m%d-%H%M%S); done
record=$out/retrain/$stamp.json
log=$out/logs/retrain-$stamp.log
t0=$SECONDS
[ "$(q .retrain.reselect)" = true ] && reselect=1
[ "$(q .retrain.always_train)" = true ] && always=1
extra=${extra:-$(q .retrain.extra_steps)}
case "$extra" in ''|*[!0-9]*) die "--extra-steps needs a positive number, not '$extra'" ;; esac
rec=$(jq -n --arg stamp "$stamp" --arg config "$config" --arg host "$(hostname -s)" --arg job "${SLURM_JOB_ID:-}" \
        --arg log "$log" --argjson reselect "$reselect" --argjson extra "$extra" \
  '{format: "emogen.retrain", version: 1, stamp: $stamp, started: (now | todate), config: $config, host: $host,
    slurm_job: (if $job == "" then null else $job end), log: $log, reselect: ($reselect == 1),
    extra_steps: $extra, status: "running"}')
set_() { rec=$(jq "$@" <<<"$rec"); }
stage_now=""
finish() {
  local rc=$?
  if [ $rc != 0 ]; then
    set_ --arg s "$stage_now" --argjson rc "$rc" '.status = "failed" | .failed_stage = $s | .exit_status = $rc'
    echo "retrain.sh: FAILED in stage ${stage_now:-?} (exit $rc); log: $log; record: $record" >&2
  fi
  jq --argjson t "$((SECONDS - t0))" '. + {finished: (now | todate), seconds: $t}' <<<"$rec" > "$record.tmp" && mv -f "$record.tmp" "$record"
  [ $rc != 0 ] || echo "retrain.sh: $(jq -r .status "$record"); record: $record" >&2
}
trap finish EXIT
stage() {
  local s=$1; shift
  stage_now=$s
  echo "== retrain $stamp: $s" | tee -a "$log" >&2
  "$root/jobs/stage.sh" "$s" "$config" --log "$log" "$@"
}

# ---- 1. unpack: the configured inputs and what was dropped into the incoming folders ----
mapfile -t inputs < <(q '.unpack.inputs[]')
more=()
while IFS= read -r d; do
  case "$d" in /*) ;; *) d=$root/$d ;; esac
  if [ ! -d "$d" ]; then echo "retrain.sh: incoming folder $d does not exist; skipped" | tee -a "$log" >&2; continue; fi
  while IFS= read -r -d '' f; do more+=("$f"); done < <(find "$d" -mindepth 1 -maxdepth 1 ! -name '.*' -print0 | sort -z)
done < <(q '.retrain.incoming[]')
args=(); for f in "${more[@]}"; do args+=(--input "$f"); done
set_ --args '.inputs = $ARGS.positional' "${inputs[@]}" "${more[@]}"
stage unpack "${args[@]}"
set_ --slurpfile u "$out/unpack.summary.json" \
  '.unpack = ($u[0] | {inputs, inputs_skipped, members_seen, accepted, duplicates, rejected, store_files: .store.files, seconds})'
accepted=$(jq -r .accepted "$out/unpack.summary.json")

# ---- 2. nothing new? ----
prev=""
if [ -L "$out/corpus-latest.h5" ]; then prev=$(readlink "$out/corpus-latest.h5")
elif [ -e "$out/corpus.h5" ]; then prev=corpus.h5; fi
if [ "$accepted" = 0 ] && [ $always = 0 ]; then
  set_ --arg p "$prev" '.status = "nothing new" | .corpus = {path: (if $p == "" then null else $p end), new: false}
                         | .note = "no new MIDI accepted: corpus, attributes and model unchanged"'
  echo "retrain.sh: nothing new in $(jq -r '.inputs | length' <<<"$rec") inputs; corpus, attributes and model unchanged" | tee -a "$log" >&2
  exit 0
fi

# ---- 3. a new corpus version ----
corpus=corpus-$stamp.h5
stage extract --corpus "$out/$corpus"
ln -sfn "$corpus" "$out/corpus-latest.h5.tmp" && mv -Tf "$out/corpus-latest.h5.tmp" "$out/corpus-latest.h5"
set_ --slurpfile x "$out/extract.summary.json" --arg c "$corpus" --arg p "$prev" \
  '.corpus = {path: $c, latest: "corpus-latest.h5", previous: (if $p == "" then null else $p end), new: true}
           + ($x[0] | {pieces, segments, tokens, labelled, rejected})'
latest=$out/corpus-latest.h5

# ---- 4. attributes (only when asked) and emotions ----
if [ $reselect = 1 ] || [ ! -f "$out/attributes.json" ]; then
  [ -f "$out/attributes.json" ] && cp "$out/attributes.json" "$out/retrain/$stamp.attributes.previous.json"
  stage select --corpus "$latest"
  set_ '.attributes = {reselected: true, previous: "retrain/'"$stamp"'.attributes.previous.json"}'
else
  set_ '.attributes = {reselected: false}'
fi
set_ --slurpfile a "$out/attributes.json" '.attributes += {path: "attributes.json", count: ($a[0].attributes | length)}'
stage map --corpus "$latest"
set_ --slurpfile m "$out/emotions.json" '.emotions = ($m[0].emotions | map_values(.piece))'

# ---- 5. resume training ----
from=0
newest=$(find "$out/train" -maxdepth 1 -name 'step-*.h5' 2>/dev/null | sort | tail -1)
if [ -n "$newest" ]; then from=$(basename "$newest" .h5); from=$((10#${from#step-})); fi
if [ "$from" -gt 0 ]; then max=$((from + extra)); else max=$(q .train.config.max_steps); [ "$max" != null ] || max=$extra; fi
mlines=0; [ -f "$out/train/metrics.jsonl" ] && mlines=$(wc -l < "$out/train/metrics.jsonl")
stage train --corpus "$latest" --max-steps "$max" --resume
set_ --argjson from "$from" --argjson max "$max" --slurpfile m <(tail -n +"$((mlines + 1))" "$out/train/metrics.jsonl") \
  '.train = {from_step: $from, max_steps: $max,
             to_step: ([$m[] | .step] | max), event: ([$m[] | select(.event)] | last),
             losses: [$m[] | select(.loss) | {step, loss} + (if .valid_loss then {valid_loss} else {} end)]}'
ev=$(jq -r '.train.event.event // "?"' <<<"$rec")
case "$ev" in preempted*) set_ '.status = "trained (stopped early: " + .train.event.event + "; the next run resumes)"' ;;
              *) set_ '.status = "trained"' ;; esac

# ---- 6. optionally generate and evaluate the new model ----
if [ "$(q .retrain.evaluate)" = true ]; then
  stage generate
  set_ --slurpfile g "$out/generate.summary.json" '.generate = ($g[0] | {pieces, undecodable, tokens})'
  stage evaluate --corpus "$latest"
  [ -f "$out/evaluate.summary.json" ] && set_ --slurpfile e "$out/evaluate.summary.json" '.evaluate = ($e[0] | {emotion_accuracy: (.emotion.accuracy? // null),
    per_quadrant: (.emotion.per_quadrant? // null), attribute_control: (.attribute_control.mean? // null)})'
fi
exit 0
