#!/usr/bin/env bash
# unpack_sample: `emogen unpack` on the sample corpus kept in the repo (no shared data needed):
# - 1, 2 and 4 ranks write stores with identical datasets;
# - nothing is lost: accepted + duplicates + rejected = members seen, with the expected counts;
# - a rerun with the same inputs adds nothing; a rerun with one more input adds only that input;
# - a run killed mid-write leaves the previous store intact, and the rerun completes it;
# - the store's bytes are the original files (MD5 of every stored file equals its md5 column);
# - the input table's checksums are the archives' MD5s;
# - with a tiny memory budget (bytes spilled to disk) the store is the same and no spill file is left.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}; C=$SRC/tests/data/corpus
T=$(mktemp -d /tmp/emogen_unpack_test.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
json_get() { jq -r ".$2 // 0" "$1"; }  # json_get FILE KEY (dotted) -> value
INPUTS="$C/unlabelled/pop909_openmsx_blupi.tar.gz $C/unlabelled/nottingham_npm_piano.zip $C/labelled $C/malformed"
for np in 1 2 4; do
  mpirun -np $np --oversubscribe "$E" unpack --out "$T/s$np.h5" $INPUTS --json --quiet > "$T/s$np.json" 2> "$T/s$np.err" \
    || fail "unpack at $np ranks exited non-zero: $(tail -3 "$T/s$np.err")"
  h5dump "$T/s$np.h5" | sed '1d' | grep -v '"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' > "$T/s$np.dump"
done
[ -s "$T/s1.dump" ] || fail "no store written at 1 rank"
for np in 2 4; do
  [ -s "$T/s$np.dump" ] && cmp -s "$T/s1.dump" "$T/s$np.dump" && ok "store at $np ranks equals the 1-rank store" || fail "store at $np ranks differs from 1 rank"
done
seen=$(json_get "$T/s1.json" members_seen); acc=$(json_get "$T/s1.json" accepted)
dup=$(json_get "$T/s1.json" duplicates); rej=$(jq '[.rejected[]] | add // 0' "$T/s1.json")
[ "$seen" = $((acc + dup + rej)) ] && ok "accepted $acc + duplicates $dup + rejected $rej = seen $seen" || fail "counts do not add up"
# 300 unlabelled + 2 malformed members in the tar.gz, 160 EMOPIA clips + 2 CSVs, 7 malformed + MANIFEST
[ "$seen" = 472 ] && ok "472 members seen" || fail "members_seen $seen, expected 472"
[ "$(json_get "$T/s1.json" rejected.empty)" = 2 ] && ok "2 empty files rejected" || fail "empty rejects"
[ "$(json_get "$T/s1.json" rejected.not_midi)" = 5 ] && ok "5 non-MIDI files rejected" || fail "not_midi rejects"
[ "$acc" -ge 460 ] && ok "$acc MIDI files accepted" || fail "only $acc accepted"
# the bytes are the files: the first, a middle and the last stored file, cut out with h5dump
n=$(h5dump -a /files "$T/s1.h5" | sed -n 's/^ *(0): //p')
for i in 0 $((n / 2)) $((n - 1)); do
  off=$(h5dump -d /midi/offset -s $i -c 1 "$T/s1.h5" | sed -n 's/^ *([0-9]*): //p')
  len=$(h5dump -d /midi/length -s $i -c 1 "$T/s1.h5" | sed -n 's/^ *([0-9]*): //p')
  want=$(h5dump -d /midi/md5 -s $i,0 -c 1,16 "$T/s1.h5" | sed -n 's/^ *([0-9]*,[0-9]*): //p' | tr -d ' \n' | tr ',' '\n' | xargs printf '%02x')
  h5dump -d /midi/bytes -s $off -c $len -b LE -o "$T/file.bin" "$T/s1.h5" >/dev/null
  got=$(md5sum < "$T/file.bin" | cut -c1-32)
  [ "$got" = "$want" ] && ok "stored file $i ($len bytes) has the MD5 of its md5 row" || fail "stored file $i: md5 $got, row says $want"
done
# the input table's checksums (taken from the walk's own reads) are the files' MD5s
h5dump -d /inputs/checksum -w 0 -y "$T/s1.h5" | sed -n '/DATA {/,/}/p' | grep -oE '[0-9]+' \
  | awk '{ printf "%c", $1 + 0 } NR % 32 == 0 { print "" }' > "$T/sums.txt"
for f in $C/unlabelled/pop909_openmsx_blupi.tar.gz $C/unlabelled/nottingham_npm_piano.zip; do
  grep -qx "$(md5sum < "$f" | cut -c1-32)" "$T/sums.txt" && ok "input checksum of $(basename "$f") is its MD5" \
    || fail "input checksum of $(basename "$f"): $(cat "$T/sums.txt" | tr '\n' ' ')"
done
# a tiny memory budget: accepted bytes move to spill files, the store is the same, nothing is left
mkdir -p "$T/spill"
mpirun -np 2 --oversubscribe "$E" unpack --out "$T/spill/sp.h5" $INPUTS --set memory_budget_bytes=65536 \
  --extract-to "$T/spill/x" --json --quiet > "$T/sp.json" 2>/dev/null || fail "unpack with a 64 KiB memory budget failed"
same=1
for g in /midi /duplicates /rejects /inputs; do h5diff "$T/s1.h5" "$T/spill/sp.h5" $g $g > /dev/null || same=0; done
[ $same = 1 ] && ok "with a 64 KiB memory budget (spilling) the store's tables equal the in-memory run's" \
  || fail "spilling changed the store"
[ "$(ls -A "$T/spill")" = "$(printf 'sp.h5\nx')" ] && ok "no spill file is left behind" || fail "left: $(ls -A "$T/spill")"
clip=$(ls "$C/labelled/emopia" | head -1)
cmp -s "$C/labelled/emopia/$clip" "$T/spill/x/labelled/emopia/$clip" && ok "--extract-to writes spilled files intact" \
  || fail "extracted $clip differs from the original"
# rerun: nothing new
"$E" unpack --out "$T/s1.h5" $INPUTS --json --quiet > "$T/re.json" 2>/dev/null
[ "$(json_get "$T/re.json" inputs_skipped)" = 4 ] && [ "$(json_get "$T/re.json" members_seen)" = 0 ] \
  && ok "rerun with the same inputs adds nothing" || fail "rerun re-ingested: $(cat "$T/re.json")"
h5dump "$T/s1.h5" | sed '1d' | grep -v '"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' > "$T/re.dump"
cmp -s "$T/s1.dump" "$T/re.dump" && ok "rerun leaves the store's data unchanged" || fail "rerun changed the store"
# increment: one more input (a plain MIDI file, a copy of one already stored -> duplicate)
cp "$C/labelled/emopia/$(ls "$C/labelled/emopia" | head -1)" "$T/extra.mid"
"$E" unpack --out "$T/s1.h5" $INPUTS "$T/extra.mid" --json --quiet > "$T/inc.json" 2>/dev/null
[ "$(json_get "$T/inc.json" members_seen)" = 1 ] && [ "$(json_get "$T/inc.json" duplicates)" = 1 ] \
  && ok "increment reads only the new input (a duplicate of a stored file)" || fail "increment: $(cat "$T/inc.json")"
[ "$(json_get "$T/inc.json" store.files)" = "$acc" ] && ok "store still holds $acc unique files" || fail "store file count changed"
# killed mid-write: the old store stays intact, the rerun completes
cp "$T/s1.h5" "$T/before.h5"
( "$E" unpack --out "$T/s1.h5" $INPUTS "$T/extra.mid" "$SRC/tests/data/corpus/unlabelled" --quiet >/dev/null 2>&1 & echo $! > "$T/pid"; wait ) &
sleep 0.05; kill -9 "$(cat "$T/pid")" 2>/dev/null; wait
cmp -s "$T/s1.h5" "$T/before.h5" && ok "a killed run leaves the previous store intact" || fail "the store changed after a kill"
"$E" unpack --out "$T/s1.h5" $INPUTS "$T/extra.mid" "$SRC/tests/data/corpus/unlabelled" --json --quiet > "$T/done.json" 2>/dev/null \
  && ok "the rerun after a kill completes" || fail "rerun after kill failed"
[ "$(json_get "$T/done.json" inputs_skipped)" = 5 ] && ok "the rerun skipped the 5 inputs already stored" || fail "rerun after kill: $(cat "$T/done.json")"
[ $fails -eq 0 ] && { echo "unpack_sample: all checks passed"; exit 0; }
echo "unpack_sample: $fails checks failed"; exit 1
