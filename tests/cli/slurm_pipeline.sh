#!/usr/bin/env bash
# slurm_pipeline: the Slurm batch pipeline on a real Slurm: a private one-node cluster on localhost
# (jobs/slurm/testcluster.sh: munged, slurmctld, slurmd with their own state dir, socket and ports;
# Debian's slurmctld, slurmd, slurm-client and munge are installed when missing), stopped at the end.
# - jobs/pipeline.sh --wait on the sample corpus with a tiny model (tests/data/slurm/tiny.json):
#   7 jobs chained afterok, all COMPLETED, one log per stage in OUT/logs/ showing srun launched the
#   ranks; corpus-info --verify, attributes.json, emotions.json, 8 generated MIDI files that read back
#   with their sidecars, the evaluation report (or evaluate's clear skip message when the command is missing);
# - a chain whose extract stage fails: --wait exits 1 naming the stage and its log; later stages cancelled;
# - SIGUSR1 to the training job (as --signal=USR1@N sends before the walltime): checkpoint, requeue
#   under the same job id, resume, finish at max_steps;
# - the scrontab entry (jobs/retrain.sh --print-scrontab) run as the batch job scrontab would start:
#   nothing new -> a dated record saying so; then a new archive dropped into the incoming folder ->
#   a new corpus version behind corpus-latest.h5, training resumed for extra_steps, losses recorded.
# Needs root; skips (77) without root or packages, except under CI=true where that is a failure.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}
E=$(cd "$(dirname "$E")" && pwd)/$(basename "$E")
t_start=$SECONDS
skip() {
  if [ "${CI:-}" = true ]; then echo "FAIL: $* (CI=true: this test must run)"; exit 1; fi
  echo "SKIP: $*"; exit 77
}
[ "$(id -u)" = 0 ] || skip "needs root to install and run slurmd"
command -v jq >/dev/null || skip "jq is missing (jobs/setup.sh installs it)"
T=$(mktemp -d /tmp/emogen_slurm_test.XXXXXX); chmod 755 "$T"   # munged needs every folder above its socket searchable
cleanup() { "$SRC/jobs/slurm/testcluster.sh" stop "$T/slurm" >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }

# ---- the cluster ----
if ! conf=$("$SRC/jobs/slurm/testcluster.sh" start "$T/slurm" --install --cpus 2 2>"$T/cluster.err"); then
  cat "$T/cluster.err"
  command -v slurmctld >/dev/null && command -v munged >/dev/null && { echo "FAIL: the test cluster did not start"; exit 1; }
  skip "Slurm/munge packages not installed and not installable here"
fi
eval "$conf"   # export SLURM_CONF=...
export EMOGEN=$E
[ "$(sinfo -h -o %T)" = idle ] && ok "private one-node Slurm up: $(tail -1 "$T/cluster.err")" || fail "sinfo: $(sinfo 2>&1)"

# ---- the whole chain ----
cfg=$T/tiny.json
jq --arg o "$T/out" '.out_dir = $o' "$SRC/tests/data/slurm/tiny.json" > "$cfg"
"$E" config check pipeline "$cfg" > /dev/null || { echo "FAIL: $E does not accept the test config (built from older schemas?)"; exit 1; }
t0=$SECONDS
(cd /tmp && "$SRC/jobs/pipeline.sh" --wait "$cfg") > "$T/pipeline.out" 2> "$T/pipeline.err"; rc=$?
t_chain=$((SECONDS - t0))
if [ ! -s "$T/out/logs/pipeline.jobs" ]; then  # nothing submitted: nothing else can be checked
  echo "FAIL: jobs/pipeline.sh submitted nothing (exit $rc):"; cat "$T/pipeline.err"; exit 1
fi
ids=$(grep -c '^[a-z]* *[0-9]' "$T/pipeline.out")
[ $rc = 0 ] && ok "jobs/pipeline.sh --wait: all stages completed in ${t_chain} s" || { fail "pipeline --wait exit $rc"; tail -30 "$T/pipeline.err"; }
[ "$ids" = 7 ] && [ "$(wc -l < "$T/out/logs/pipeline.jobs")" = 7 ] && ok "7 jobs submitted and recorded: $(awk '{printf "%s=%s ", $1, $2}' "$T/out/logs/pipeline.jobs")" \
  || fail "jobs printed: $(cat "$T/pipeline.out")"
while read -r stage id log; do
  st=$(scontrol show job -o "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*')
  [ "$st" = JobState=COMPLETED ] || fail "$stage (job $id): $st"
  [ "$log" = "$T/out/logs/$stage-$id.log" ] && [ -s "$log" ] || fail "$stage: no log $log"
  grep -q "Slurm job $id, .* via srun" "$log" || fail "$stage: the log does not show srun launching the ranks: $(head -2 "$log")"
done < "$T/out/logs/pipeline.jobs"
grep -q 'JobState=COMPLETED' <(scontrol show job -o "$(awk '$1 == "extract" {print $2}' "$T/out/logs/pipeline.jobs")") \
  && ok "every job COMPLETED, one log per stage in OUT/logs/STAGE-JOBID.log, ranks started by srun"
grep -q "2 rank(s) via srun" "$T/out/logs/train-"*.log && grep -q "1 rank(s) via srun" "$T/out/logs/map-"*.log \
  && ok "MPI stages ran on the job's 2 tasks, map on 1" || fail "rank counts in the logs"
"$E" corpus-info --verify "$T/out/corpus.h5" > "$T/ci.txt" 2>&1 && ok "corpus-info --verify: $(head -1 "$T/ci.txt")" || fail "corpus-info --verify: $(cat "$T/ci.txt")"
[ "$(jq '.attributes | length' "$T/out/attributes.json")" = 100 ] && ok "attributes.json: 100 attributes" || fail "attributes.json"
[ "$(jq -c '[.emotions | to_entries[] | select((.value.bits | length) == 100) | .key]' "$T/out/emotions.json")" = '["Q1","Q2","Q3","Q4"]' ] \
  && ok "emotions.json: Q1..Q4, 100 values each" || fail "emotions.json: $(head -c 300 "$T/out/emotions.json")"
jq -e 'select(.event == "max_steps" and .step == 30)' "$T/out/train/metrics.jsonl" >/dev/null && [ -s "$T/out/train/best.h5" ] \
  && ok "train: 30 updates, best.h5" || fail "train: $(tail -1 "$T/out/train/metrics.jsonl")"
nmid=0
for q in Q1 Q2 Q3 Q4; do
  for i in 000 001; do
    f=$T/out/generated/${q}_$i
    if "$E" midi-info --json "$f.mid" > "$T/mi.json" 2>/dev/null && [ "$(jq .format "$T/mi.json")" = 1 ] \
       && [ "$(jq -r .emotion "$f.json")" = "$q" ]; then nmid=$((nmid + 1)); else fail "generated $f.mid"; fi
  done
done
[ "$nmid" = 8 ] && [ "$(ls "$T/out/generated/"*.mid | wc -l)" = 8 ] && ok "8 generated MIDI files (2 per emotion) read back, sidecars name their emotion" || fail "generated: $nmid good"
grep -q "$T/out/generated/Q4_001.mid" "$T/pipeline.out" && ok "pipeline.sh --wait lists the generated MIDI" || fail "generated paths not printed"
if "$E" evaluate --help >/dev/null 2>&1; then
  [ -s "$T/out/report/report.json" ] && [ -s "$T/out/report/index.html" ] && jq -e '.emotion.accuracy >= 0' "$T/out/report/report.json" >/dev/null \
    && ok "evaluation report: report.json ($(jq -c '{emotion_accuracy: .emotion.accuracy, attribute_control: .attribute_control.mean}' "$T/out/report/report.json")) and index.html" \
    || fail "evaluate report: $(ls "$T/out/report" 2>&1)"
  grep -q '^evaluate: ' "$T/pipeline.err" && ok "the evaluation summary is printed at the end" || fail "no evaluation summary printed"
else
  grep -q "SKIPPED: this emogen .* has no 'evaluate' command" "$T/out/logs/evaluate-"*.log && ok "evaluate: command missing, skipped with a message" || fail "evaluate skip message"
fi

# ---- a failing stage stops the chain ----
jq --arg o "$T/bad" '.out_dir = $o | .extract.labels = "tests/data/slurm/no-such-labels.csv"' "$cfg" > "$T/bad.json"
"$SRC/jobs/pipeline.sh" --wait "$T/bad.json" > "$T/bad.out" 2> "$T/bad.err"; rc=$?
xid=$(awk '$1 == "extract" {print $2}' "$T/bad/logs/pipeline.jobs")
[ $rc = 1 ] && grep -q "FAILED: stage extract (job $xid) ended FAILED, exit code 1:0; log: $T/bad/logs/extract-$xid.log" "$T/bad.err" \
  && grep -q -- "---- last lines of $T/bad/logs/extract-$xid.log" "$T/bad.err" && grep -q "no-such-labels.csv" "$T/bad/logs/extract-$xid.log" \
  && ok "a failed extract: --wait exits 1 naming the stage and its log (which says why), and shows its last lines" || { fail "failure report (exit $rc)"; cat "$T/bad.err"; }
cancelled=0
for s in select map train generate evaluate; do
  id=$(awk -v s=$s '$1 == s {print $2}' "$T/bad/logs/pipeline.jobs")
  scontrol show job -o "$id" | grep -q 'JobState=CANCELLED' && cancelled=$((cancelled + 1))
done
[ $cancelled = 5 ] && [ ! -e "$T/bad/attributes.json" ] && ok "the 5 later stages were cancelled (--kill-on-invalid-dep), none ran" || fail "$cancelled of 5 later stages cancelled"
"$SRC/jobs/pipeline.sh" --status "$T/bad.json" >/dev/null 2>&1; [ $? = 1 ] && ok "--status reports the failed chain (exit 1)" || fail "--status of the failed chain"

# ---- walltime signal: checkpoint, requeue (same job id), resume ----
jq '.train.config.max_steps = 200' "$cfg" > "$T/long.json"
"$SRC/jobs/pipeline.sh" --from train --to train "$T/long.json" > "$T/long.out" 2>&1
tid=$(awk '{print $2}' "$T/out/logs/pipeline.jobs")
for _ in $(seq 1 600); do
  s=$(tail -1 "$T/out/train/metrics.jsonl" 2>/dev/null | jq -r '.step // 0' 2>/dev/null)
  [ "${s:-0}" -ge 40 ] && break; sleep 0.1
done
scancel --signal=USR1 "$tid"
# Slurm holds a requeued job back 2 minutes; start it sooner, once the node has revoked the old
# run's credential (a start in the same second is refused: "Job credential revoked")
for _ in $(seq 1 300); do
  if scontrol show job -o "$tid" | grep -q 'Restarts=1' && scontrol show job -o "$tid" | grep -q 'JobState=PENDING'; then
    sleep 2; scontrol update JobId="$tid" StartTime=now; break
  fi
  sleep 0.1
done
"$SRC/jobs/pipeline.sh" --status --wait "$T/long.json" > /dev/null 2> "$T/long.err"; rc=$?
tlog=$T/out/logs/train-$tid.log
[ $rc = 0 ] && grep -q '"event":"preempted (signal)"' "$T/out/train/metrics.jsonl" && jq -e 'select(.event == "max_steps" and .step == 200)' "$T/out/train/metrics.jsonl" >/dev/null \
  && grep -q "requeueing job $tid" "$tlog" && grep -q "requeued run 1: resuming" "$tlog" \
  && ok "SIGUSR1 to training: checkpoint at $(jq -r 'select(.event == "preempted (signal)") | .step' "$T/out/train/metrics.jsonl"), requeued as job $tid, resumed to 200" \
  || { fail "signal/requeue (exit $rc)"; tail -8 "$tlog"; cat "$T/long.err"; }

# ---- scheduled retraining: the scrontab entry, run as scrontab starts it ----
"$SRC/jobs/retrain.sh" --print-scrontab "$cfg" > "$T/retrain.cron"
mapfile -t scron < <(sed -n 's/^#SCRON //p' "$T/retrain.cron")
line=$(grep -v '^#' "$T/retrain.cron" | grep -v '^ *$')
read -r m h dom mon dow cmd <<<"$line"
[ "$(wc -l <<<"$line")" = 1 ] && [ "$m $h $dom $mon $dow" = "30 2 * * 0" ] && [ -x "${cmd%% *}" ] && printf '%s\n' "${scron[@]}" | grep -q -- '--signal=USR1@30' \
  && ok "scrontab entry: ${#scron[@]} #SCRON options, schedule '$m $h $dom $mon $dow', command $cmd" || fail "scrontab entry: $(cat "$T/retrain.cron")"
run_cron() {  # the cron line's command as a batch job with the #SCRON options
  local id
  id=$(sbatch --parsable "${scron[@]}" --wrap "$cmd") || return 1
  while scontrol show job -o "$id" | grep -Eq 'JobState=(PENDING|RUNNING|CONFIGURING|COMPLETING)'; do sleep 0.3; done
  scontrol show job -o "$id" | grep -q 'JobState=COMPLETED' || { echo "retrain job $id: $(scontrol show job -o "$id" | grep -o 'JobState=[A-Z]* .*ExitCode=[0-9:]*')"; cat "$T/out/logs/retrain-$id.log"; return 1; }
  echo "$id"
}
id=$(run_cron) && rec=$(ls "$T/out/retrain/"*.json 2>/dev/null | tail -1) && [ -n "$rec" ] \
  && [ "$(jq -r .status "$rec")" = "nothing new" ] && [ "$(jq .unpack.accepted "$rec")" = 0 ] \
  && [ "$(jq .unpack.inputs_skipped "$rec")" = 3 ] && [ "$(jq -r .slurm_job "$rec")" = "$id" ] && [ -s "$T/out/logs/retrain-$id.log" ] \
  && ok "retrain (scrontab job $id), nothing new: record $(basename "$rec") says so; store unchanged ($(jq .unpack.store_files "$rec") files)" \
  || fail "retrain nothing new: $id $(cat "$rec" 2>/dev/null)"
# a new archive dropped into the incoming folder
mkdir -p "$T/incoming"; cp "$SRC/tests/data/corpus/unlabelled/pop909_openmsx_blupi.tar.gz" "$T/incoming/"
jq --arg i "$T/incoming" '.retrain.incoming = [$i]' "$cfg" > "$cfg.tmp" && mv "$cfg.tmp" "$cfg"
sleep 1   # a new record name (one per second)
id=$(run_cron); rec=$(ls "$T/out/retrain/"*.json | tail -1)
c=$(jq -r .corpus.path "$rec")
[ -n "$id" ] && [ "$(jq -r .status "$rec")" = trained ] && [ "$(jq .unpack.inputs_skipped "$rec")" = 3 ] && [ "$(jq .unpack.accepted "$rec")" -gt 100 ] \
  && [[ "$c" =~ ^corpus-[0-9]{8}-[0-9]{6}\.h5$ ]] && [ "$(readlink "$T/out/corpus-latest.h5")" = "$c" ] \
  && "$E" corpus-info --verify "$T/out/$c" >/dev/null 2>&1 \
  && ok "retrain with a new archive: $(jq .unpack.accepted "$rec") new pieces, new corpus version $c ($(jq .corpus.pieces "$rec") pieces) behind corpus-latest.h5, verified" \
  || fail "retrain with new input: $(jq -c 'del(.train.losses)' "$rec" 2>/dev/null)"
[ "$(jq .train.from_step "$rec")" = 200 ] && [ "$(jq .train.to_step "$rec")" = 210 ] && [ "$(jq '.train.losses | length' "$rec")" -ge 2 ] \
  && grep -q "resuming from .*step-00000200.h5" "$T/out/logs/retrain-$id.log" \
  && ok "training resumed from update 200 for extra_steps 10; losses recorded: $(jq -c '.train.losses[-1]' "$rec")" || fail "retrain train: $(jq -c .train "$rec")"

echo "slurm_pipeline: chain ${t_chain} s, whole test $((SECONDS - t_start)) s"
[ $fails -eq 0 ] && { echo "slurm_pipeline: all checks passed"; exit 0; }
echo "slurm_pipeline: $fails checks failed"; exit 1
