#!/usr/bin/env bash
# train: `emogen train` on the sample corpus with a small model (no shared data needed):
# - 1, 2 and 4 ranks give the same loss curve (20 updates, dropout on) within float tolerance;
# - 20 updates straight and 10 + stop + --resume 10 give bitwise-equal losses (1 rank);
# - SIGUSR1 makes every rank checkpoint and exit 0, marked preempted; --time-limit too;
# - a damaged newest checkpoint is detected and the previous one used, with a message;
# - a checkpoint written by 2 ranks resumes on 1; metrics.jsonl has the documented fields.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}; C=$SRC/tests/data/corpus
T=$(mktemp -d /tmp/emogen_train_test.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
"$E" unpack --quiet --out "$T/midi.h5" "$C/unlabelled/nottingham_npm_piano.zip" "$C/labelled" 2>/dev/null || fail unpack
"$E" extract --quiet --in "$T/midi.h5" --out "$T/corpus.h5" --labels "$C/labelled/labels.csv" --set max_tokens=256 </dev/null || fail extract
"$E" select --emogen --out "$T/attrs.json" --quiet
SMALL=(--corpus "$T/corpus.h5" --attributes "$T/attrs.json" --set model.d_model=32 --set model.layers=2 --set model.heads=2
       --set model.ffn=64 --set warmup=5 --set lr=0.002 --set batch_size=4 --set max_len=257 --set log_every=1
       --set valid_every=10 --quiet)
losses() { jq -r 'select(.loss) | "\(.step) \(.loss)"' "$1/metrics.jsonl"; }
for np in 1 2 4; do
  mpirun -np $np --oversubscribe "$E" train "${SMALL[@]}" --out "$T/r$np" --set max_steps=20 </dev/null 2>"$T/r$np.err" \
    || fail "train at $np ranks: $(tail -3 "$T/r$np.err")"
  losses "$T/r$np" > "$T/r$np.loss"
done
[ "$(wc -l < "$T/r1.loss")" = 20 ] && ok "20 updates logged" || fail "updates logged: $(wc -l < "$T/r1.loss")"
first=$(head -1 "$T/r1.loss" | cut -d' ' -f2); last=$(tail -1 "$T/r1.loss" | cut -d' ' -f2)
awk "BEGIN{exit !($last < $first)}" && ok "loss falls: $first -> $last" || fail "loss did not fall: $first -> $last"
for np in 2 4; do
  paste "$T/r1.loss" "$T/r$np.loss" | awk '{d=$2-$4; if (d<0) d=-d; if (d>m) m=d} END {printf "%g\n", m; exit !(m < 1e-3)}' > "$T/d$np" \
    && ok "$np ranks: same loss curve as 1 rank (max difference $(cat "$T/d$np"))" || fail "$np ranks: loss curve differs by $(cat "$T/d$np")"
done
# 10 + stop + resume 10 == 20 straight, bit for bit
"$E" train "${SMALL[@]}" --out "$T/res" --set max_steps=10 </dev/null 2>/dev/null || fail "first half"
"$E" train "${SMALL[@]}" --out "$T/res" --set max_steps=20 --resume </dev/null 2>"$T/res.err" || fail "resume"
grep -q "resuming from" "$T/res.err" && ok "--resume found the checkpoint" || fail "resume message: $(cat "$T/res.err")"
losses "$T/res" > "$T/res.loss"
cmp -s "$T/r1.loss" "$T/res.loss" && ok "10 + resume 10 = 20 straight, bitwise-equal losses" || { fail "resume losses differ"; diff "$T/r1.loss" "$T/res.loss" | head -5; }
# SIGUSR1: checkpoint and exit 0, marked preempted
mpirun -np 2 --oversubscribe "$E" train "${SMALL[@]}" --out "$T/sig" --set max_steps=100000 --set valid_every=100000 </dev/null 2>/dev/null &
pid=$!
for i in $(seq 1 100); do [ -s "$T/sig/metrics.jsonl" ] && [ "$(wc -l < "$T/sig/metrics.jsonl")" -ge 3 ] && break; sleep 0.2; done
kill -USR1 $pid; wait $pid; rc=$?
[ $rc = 0 ] && ok "SIGUSR1: exit 0" || fail "SIGUSR1: exit $rc"
grep -q '"event":"preempted (signal)"' "$T/sig/metrics.jsonl" && ls "$T"/sig/step-*.h5 >/dev/null 2>&1 \
  && ok "SIGUSR1: checkpoint written, run marked preempted" || fail "SIGUSR1: $(tail -1 "$T/sig/metrics.jsonl")"
# checkpoint of 2 ranks resumes on 1
"$E" train "${SMALL[@]}" --out "$T/sig" --set max_steps=100000 --set valid_every=100000 --resume --time-limit 1 </dev/null 2>"$T/tl.err"; rc=$?
[ $rc = 0 ] && grep -q "resuming from" "$T/tl.err" && grep -q '"event":"preempted (time limit)"' "$T/sig/metrics.jsonl" \
  && ok "a 2-rank checkpoint resumes on 1 rank; --time-limit stops cleanly (exit 0)" || fail "resume 2->1 / time limit: rc=$rc $(tail -2 "$T/tl.err")"
# a damaged newest checkpoint: the previous one is used, with a message
ls "$T"/res/step-*.h5 | sort | tail -1 > "$T/newest"
newest=$(cat "$T/newest"); size=$(stat -c %s "$newest")
dd if=/dev/urandom of="$newest" bs=1 count=256 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$E" train "${SMALL[@]}" --out "$T/res" --set max_steps=20 --resume </dev/null 2>"$T/dmg.err"
grep -q "trying the previous checkpoint" "$T/dmg.err" && grep -q "resuming from .*step-00000010.h5" "$T/dmg.err" \
  && ok "damaged newest checkpoint detected, previous one used" || fail "damaged checkpoint: $(cat "$T/dmg.err")"
for k in step loss lr tokens_per_s ms_per_step gflops; do
  [ "$(jq -c "select(.step == 20 and .loss != null) | has(\"$k\")" "$T/r1/metrics.jsonl")" = true ] || fail "metrics lack $k"
done
[ "$(jq -c 'select(.valid_loss != null) | .valid_loss > 0' "$T/r1/metrics.jsonl" | sort -u)" = true ] && ok "metrics.jsonl: step, loss, valid_loss, lr, tokens/s, ms/step, GFLOP/s" || fail "no valid_loss"
[ -f "$T/r1/best.h5" ] && ok "best.h5 kept" || fail "no best.h5"
[ $fails -eq 0 ] && { echo "train: all checks passed"; exit 0; }
echo "train: $fails checks failed"; exit 1
