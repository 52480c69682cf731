#!/usr/bin/env bash
# jobs/pipeline.sh [options] CONFIG: submit the pipeline to Slurm, one batch job per stage,
#   unpack -> extract -> select -> map -> train -> generate -> evaluate
# chained with --dependency=afterok and --kill-on-invalid-dep=yes: a stage starts only when the one
# before it succeeded, and a failed stage cancels every stage after it.
#   CONFIG          a pipeline config (schemas/pipeline.schema.json): ranks, out_dir, each stage, and the
#                   "slurm" section (partition, account, qos, nodes, cpus_per_task, times, launcher, ...)
#   --wait          stay until the chain ends; print each stage's state changes; exit 0 when every stage
#                   completed, else 1 naming the stage that failed and its log (and its last lines)
#   --status        do not submit: report the chain last submitted for CONFIG's out_dir (exit as --wait,
#                   or 3 while it runs); --status --wait follows it to its end
#   --from STAGE    submit from STAGE on (the earlier stages' outputs must exist), e.g. after a failure
#   --to STAGE      submit up to STAGE
#   --after JOBID   the first submitted stage also waits for JOBID (afterok)
#   --dry-run       print the sbatch commands only
# Prints one line per stage: stage, job id, log file. Logs: OUT/logs/STAGE-JOBID.log; the chain is
# recorded in OUT/logs/pipeline.jobs (read by --status). Batch scripts: jobs/slurm/STAGE.sbatch.
set -euo pipefail
die() { echo "pipeline.sh: $*" >&2; exit 2; }
stages=(unpack extract select map train generate evaluate)
wait_=0; status=0; from=unpack; to=evaluate; after=""; dry=0; config=""
while [ $# -gt 0 ]; do
  case "$1" in
    --wait) wait_=1; shift ;;
    --status) status=1; shift ;;
    --from) from=${2:?--from needs a stage}; shift 2 ;;
    --to) to=${2:?--to needs a stage}; shift 2 ;;
    --after) after=${2:?--after needs a job id}; shift 2 ;;
    --dry-run) dry=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) [ -z "$config" ] || die "one CONFIG only"; config=$1; shift ;;
  esac
done
[ -n "$config" ] || die "usage: jobs/pipeline.sh [--wait] [--status] [--from STAGE] [--to STAGE] [--after JOBID] [--dry-run] CONFIG"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
load_config "$config"
case "$out" in /*) ;; *) out=$root/$out ;; esac
record=$out/logs/pipeline.jobs
index() { local i; for i in "${!stages[@]}"; do [ "${stages[$i]}" = "$1" ] && { echo "$i"; return; }; done; die "unknown stage '$1' (stages: ${stages[*]})"; }

# ---- the state of one job: "STATE REASON EXITCODE RESTARTS" ----
job_state() {
  local line st reason ec rc
  if line=$(scontrol show job -o "$1" 2>/dev/null) && [ -n "$line" ]; then
    st=$(grep -o 'JobState=[A-Z_]*' <<<"$line" | cut -d= -f2)
    reason=$(grep -o 'Reason=[^ ]*' <<<"$line" | cut -d= -f2)
    ec=$(grep -o ' ExitCode=[0-9:]*' <<<"$line" | cut -d= -f2)
    rc=$(grep -o 'Restarts=[0-9]*' <<<"$line" | cut -d= -f2)
    echo "${st:-UNKNOWN} ${reason:-None} ${ec:-?} ${rc:-0}"
  elif line=$(sacct -n -X -P -j "$1" -o State,ExitCode 2>/dev/null | head -1) && [ -n "$line" ]; then
    echo "$(cut -d'|' -f1 <<<"$line" | cut -d' ' -f1) None $(cut -d'|' -f2 <<<"$line") 0"
  else
    echo "UNKNOWN None ? 0"   # purged from slurmctld's memory (MinJobAge) and no accounting
  fi
}
terminal() { case "$1" in COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|BOOT_FAIL|DEADLINE|PREEMPTED|UNKNOWN) return 0 ;; *) return 1 ;; esac; }

# ---- report on (and with --wait, follow) the chain in $record ----
follow() {
  local follow_=$1 stage id log st reason ec rs done_ all_ok first_bad="" prev
  declare -A last=()
  while :; do
    done_=1; all_ok=1; first_bad=""
    while read -r stage id log; do
      read -r st reason ec rs <<<"$(job_state "$id")"
      # a job whose dependency failed but that was not cancelled (no --kill-on-invalid-dep) never runs
      if [ "$st" = PENDING ] && [ "$reason" = DependencyNeverSatisfied ]; then
        scancel "$id" 2>/dev/null || true; st=CANCELLED
      fi
      prev=${last[$id]:-}
      if [ "$prev" != "$st $reason" ]; then
        msg="$st"
        [ "${rs:-0}" != 0 ] && msg+=" (restart $rs)"
        [ "$st" = PENDING ] && msg+=" ($reason)"
        terminal "$st" && [ "$st" != COMPLETED ] && msg+=", exit code $ec"
        case "$st/$reason" in
          PENDING/Partition*Limit|PENDING/PartitionConfig|PENDING/BadConstraints|PENDING/Invalid*|PENDING/*MaxCpu*|PENDING/*MaxNode*)
            msg+=": it cannot start as asked (too many ranks, nodes or time for the partition?); fix the config's ranks or slurm section, or add --overcommit to slurm.sbatch_args" ;;
        esac
        echo "[pipeline] $(date +%T) $stage (job $id): $msg" >&2
        last[$id]="$st $reason"
      fi
      terminal "$st" || done_=0
      if [ "$st" != COMPLETED ]; then all_ok=0; fi
      # the first stage that ended badly by itself (not cancelled because an earlier one failed)
      if [ -z "$first_bad" ] && terminal "$st" && [ "$st" != COMPLETED ]; then first_bad="$stage $id $log $st $ec"; fi
    done < "$record"
    if [ "$done_" = 1 ] || [ "$follow_" = 0 ]; then break; fi
    sleep "${EMOGEN_POLL_SECONDS:-2}"
  done
  if [ "$all_ok" = 1 ]; then
    echo "[pipeline] every stage completed; outputs in $out/" >&2
    "$root/jobs/summary.sh" "$config" || true
    return 0
  fi
  if [ -n "$first_bad" ]; then
    read -r stage id log st ec <<<"$first_bad"
    echo "[pipeline] FAILED: stage $stage (job $id) ended $st, exit code $ec; log: $log" >&2
    echo "[pipeline] the stages after it did not run. Fix the cause, then: jobs/pipeline.sh --from $stage $config" >&2
    if [ -f "$log" ]; then echo "---- last lines of $log" >&2; tail -n 20 "$log" >&2; echo "----" >&2; fi
    return 1
  fi
  echo "[pipeline] the chain is still running (jobs/pipeline.sh --status $config, or --wait)" >&2
  return 3
}

if [ $status = 1 ]; then
  [ -s "$record" ] || die "no chain recorded in $record (submit one first)"
  echo "[pipeline] chain recorded in $record:" >&2
  follow "$wait_"; exit $?
fi

# ---- submit ----
command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm login node (or use jobs/local.sh)"
mkdir -p "$out/logs"
ranks=$(q .ranks); nodes=$(q .slurm.nodes); cpt=$(q .slurm.cpus_per_task)
common=(--parsable --kill-on-invalid-dep=yes --export="ALL,EMOGEN_ROOT=$root")
for k in partition account qos; do v=$(q ".slurm.$k"); [ -z "$v" ] || common+=(--"$k=$v"); done
mapfile -t extra < <(q '.slurm.sbatch_args[]')
evaluate_mpi=0; "$E" --help 2>&1 | grep -E '^ +evaluate ' | grep -q '\[MPI\]' && evaluate_mpi=1
i0=$(index "$from"); i1=$(index "$to"); [ "$i0" -le "$i1" ] || die "--from $from comes after --to $to"
dep=$after
[ $dry = 1 ] || : > "$record.tmp"
for i in $(seq "$i0" "$i1"); do
  stage=${stages[$i]}
  args=("${common[@]}" --job-name="emogen-$stage" --output="$out/logs/$stage-%j.log")
  # one task for map (rank 0 does its work), for select with EmoGen's design, and for a serial evaluate
  if [ "$stage" = map ] || { [ "$stage" = select ] && [ "$(q .select.emogen)" = true ]; } || { [ "$stage" = evaluate ] && [ $evaluate_mpi = 0 ]; }; then
    args+=(--nodes=1 --ntasks=1 --cpus-per-task="$cpt")
  else
    args+=(--nodes="$nodes" --ntasks="$ranks" --cpus-per-task="$cpt")
  fi
  t=$(q ".slurm.time.$stage"); [ -z "$t" ] || args+=(--time="$t")
  [ "$stage" = train ] && args+=(--signal="USR1@$(q .slurm.signal_seconds)")
  [ -z "$dep" ] || args+=(--dependency="afterok:$dep")
  args+=("${extra[@]}" "$root/jobs/slurm/$stage.sbatch" "$config")
  if [ $dry = 1 ]; then printf 'sbatch'; printf ' %q' "${args[@]}"; echo; dep=DRYRUN_$stage; continue; fi
  if ! id=$(sbatch "${args[@]}"); then
    echo "pipeline.sh: sbatch of $stage failed; cancelling the stages already submitted" >&2
    while read -r _ j _; do scancel "$j" 2>/dev/null || true; done < "$record.tmp"
    exit 1
  fi
  id=${id%%;*}   # --parsable: "id" or "id;cluster"
  log=$out/logs/$stage-$id.log
  printf '%s %s %s\n' "$stage" "$id" "$log" >> "$record.tmp"
  printf '%-9s %-8s %s\n' "$stage" "$id" "$log"
  dep=$id
done
[ $dry = 1 ] && exit 0
mv -f "$record.tmp" "$record"
echo "[pipeline] submitted ${stages[$i0]}..${stages[$i1]} ($ranks ranks per MPI stage); chain recorded in $record" >&2
if [ $wait_ = 1 ]; then follow 1; exit $?; fi
echo "[pipeline] follow it with: jobs/pipeline.sh --status $config   (or squeue -u \$USER)" >&2
