#!/usr/bin/env bash
# extract_sample: `emogen extract` on the sample corpus (no shared data needed):
# - 1, 2 and 4 ranks write identical corpora; a rerun writes the same file again;
# - nothing is lost: pieces + rejected = files in the store; 40 labelled clips per quadrant;
# - every segment is whole bars within max_tokens and the segments tile each piece (corpus-info --verify);
# - corpus-info --json has the documented keys; a smaller max_tokens gives more, shorter segments.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}; C=$SRC/tests/data/corpus
T=$(mktemp -d /tmp/emogen_extract_test.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
dump() { h5dump "$1" | sed '1d' | grep -v '"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' | grep -v '"/tmp/emogen_extract_test'; }
"$E" unpack --quiet --out "$T/midi.h5" "$C/unlabelled/pop909_openmsx_blupi.tar.gz" "$C/unlabelled/nottingham_npm_piano.zip" \
  "$C/labelled" "$C/malformed" || fail "unpack"
files=$(h5dump -a /files "$T/midi.h5" | sed -n 's/^ *(0): //p')
[ -n "$files" ] && [ "$files" -gt 0 ] || fail "the MIDI store holds no files"
for np in 1 2 4; do
  mpirun -np $np --oversubscribe "$E" extract --in "$T/midi.h5" --out "$T/c$np.h5" --labels "$C/labelled/labels.csv" \
    --json --quiet > "$T/c$np.json" 2> "$T/c$np.err" </dev/null || fail "extract at $np ranks: $(tail -3 "$T/c$np.err")"
  dump "$T/c$np.h5" > "$T/c$np.dump"
done
[ -s "$T/c1.dump" ] || fail "no corpus written at 1 rank"
for np in 2 4; do [ -s "$T/c$np.dump" ] && cmp -s "$T/c1.dump" "$T/c$np.dump" && ok "corpus at $np ranks equals the 1-rank corpus" || fail "corpus at $np ranks differs or is missing"; done
j=$(cat "$T/c1.json")
[ -n "$files" ] && [ "$(jq '.pieces + ([.rejected[]] | add // 0)' <<<"$j")" = "$files" ] && ok "pieces + rejected = $files files in the store" || fail "counts: $j"
[ "$(jq -c '.labelled' <<<"$j")" = '{"Q1":40,"Q2":40,"Q3":40,"Q4":40}' ] && ok "40 labelled pieces per quadrant" || fail "labels: $(jq -c .labelled <<<"$j")"
[ "$(jq .unmatched_labels <<<"$j")" = 0 ] && ok "every label row matched a stored file" || fail "unmatched labels"
"$E" corpus-info --verify "$T/c1.h5" > /dev/null 2> "$T/verify.txt" && ok "corpus-info --verify: consistent" || fail "verify: $(cat "$T/verify.txt")"
ci=$("$E" corpus-info --json "$T/c1.h5")
for k in pieces segments tokens labelled rejected; do
  [ "$(jq "has(\"$k\")" <<<"$ci")" = true ] || fail "corpus-info --json lacks $k"
done
[ "$(jq .segments <<<"$ci")" = "$(jq .segments <<<"$j")" ] && ok "corpus-info agrees with the extract summary" || fail "corpus-info: $ci"
"$E" extract --in "$T/midi.h5" --out "$T/c1.h5" --labels "$C/labelled/labels.csv" --quiet
dump "$T/c1.h5" | cmp -s - "$T/c1.dump" && ok "a rerun writes the same corpus" || fail "rerun differs"
"$E" extract --in "$T/midi.h5" --out "$T/small.h5" --set max_tokens=256 --quiet --json > "$T/small.json" </dev/null
"$E" corpus-info --verify "$T/small.h5" > /dev/null 2>&1 && ok "max_tokens=256: consistent" || fail "max_tokens=256 verify"
[ "$(jq .segments "$T/small.json")" -gt "$(jq .segments <<<"$j")" ] && ok "max_tokens=256 gives more segments ($(jq .segments "$T/small.json"))" || fail "small segments"
"$E" extract --in "$T/c1.h5" --out "$T/bad.h5" > /dev/null 2> "$T/bad.err"; rc=$?
[ $rc != 0 ] && grep -q "emogen.corpus" "$T/bad.err" && ok "a corpus given as the store is refused with a clear message" || fail "wrong input: rc=$rc $(cat "$T/bad.err")"
[ $fails -eq 0 ] && { echo "extract_sample: all checks passed"; exit 0; }
echo "extract_sample: $fails checks failed"; exit 1
