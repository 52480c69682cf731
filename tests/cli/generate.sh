#!/usr/bin/env bash
# generate: `emogen generate` with a small model trained briefly on the sample corpus:
# - an emotion's vector from emotions.json, an explicit --attributes vector, and --like FILE.mid;
# - per piece .mid (type 1, 480 ticks per beat), .txt, .json sidecar and .svg; MIDI that reads back;
# - the same pieces for 1 and 2 ranks (seeds by piece index); clear errors for bad vectors;
# - `emogen evaluate` scores them: report.json keys, index.html with the SVG charts, the baselines.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}; C=$SRC/tests/data/corpus
T=$(mktemp -d /tmp/emogen_gen_test.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
"$E" unpack --quiet --out "$T/midi.h5" "$C/labelled" 2>/dev/null || fail unpack
"$E" extract --quiet --in "$T/midi.h5" --out "$T/corpus.h5" --labels "$C/labelled/labels.csv" --set max_tokens=256 </dev/null || fail extract
"$E" select --emogen --out "$T/attrs.json" --quiet
"$E" map --corpus "$T/corpus.h5" --attributes "$T/attrs.json" --out "$T/emotions.json" --quiet || fail map
"$E" train --corpus "$T/corpus.h5" --attributes "$T/attrs.json" --out "$T/model" --set model.d_model=32 --set model.layers=1 \
  --set model.heads=2 --set model.ffn=64 --set max_steps=5 --set valid_every=5 --set batch_size=4 --set max_len=257 --quiet </dev/null || fail train
G=(--checkpoint "$T/model/step-00000005.h5" --min-len 64 --max-len 200 --quiet)
for np in 1 2; do
  mpirun -np $np --oversubscribe "$E" generate "${G[@]}" --emotions "$T/emotions.json" --emotion Q3 -n 4 -o "$T/g$np" --json \
    > "$T/g$np.json" </dev/null || fail "generate at $np ranks"
done
[ "$(jq .pieces "$T/g1.json")" = 4 ] && [ "$(jq .undecodable "$T/g1.json")" = 0 ] && ok "4 pieces, all decodable" || fail "summary $(cat "$T/g1.json")"
for i in 000 001 002 003; do
  for ext in mid txt json svg; do [ -s "$T/g1/Q3_$i.$ext" ] || fail "missing Q3_$i.$ext"; done
  cmp -s "$T/g1/Q3_$i.txt" "$T/g2/Q3_$i.txt" || fail "piece $i differs between 1 and 2 ranks"
done
ok "every piece has .mid .txt .json .svg; 1 and 2 ranks give the same pieces"
info=$("$E" midi-info --json "$T/g1/Q3_000.mid")
[ "$(jq .format <<<"$info")" = 1 ] && [ "$(jq .division <<<"$info")" = 480 ] && ok "MIDI: type 1, 480 ticks per beat, reads back" || fail "midi-info: $info"
n=$(wc -w < "$T/g1/Q3_000.txt"); [ "$n" -ge 64 ] && [ "$n" -le 200 ] && ok "length within min/max ($n tokens)" || fail "length $n"
[ "$(jq -r .emotion "$T/g1/Q3_000.json")" = Q3 ] && [ "$(jq '.attributes | length' "$T/g1/Q3_000.json")" = 100 ] \
  && [ "$(jq -r .checkpoint_md5 "$T/g1/Q3_000.json" | wc -c)" = 33 ] && ok "sidecar: emotion, 100-value vector, checkpoint MD5" || fail "sidecar"
[ "$(jq -c .attributes "$T/g1/Q3_000.json")" = "$(jq -c .emotions.Q3.bits "$T/emotions.json")" ] && ok "the vector is emotions.json's Q3 row" || fail "vector"
bits=$(printf '1%.0s' $(seq 1 50); printf -- '-%.0s' $(seq 1 50))
"$E" generate "${G[@]}" --attributes "$bits" -n 1 -o "$T/ga" </dev/null && [ "$(jq -c '.attributes[49:51]' "$T/ga/custom_000.json")" = '[1,-1]' ] \
  && ok "--attributes with unset ('-') values" || fail "--attributes"
"$E" generate "${G[@]}" --like "$C/labelled/emopia/Q4_biROWEwkDQQ_0.mid" -n 1 -o "$T/gl" </dev/null \
  && [ "$(jq -r '.attributes | map(tostring) | join("")' "$T/gl/like_000.json")" = \
       1101011111001011111000100011101111010000000000000100011100000000101111110001110100000011001110111111 ] \
  && ok "--like EmoGen's Q4 clip gives EmoGen's Q4 vector" || fail "--like: $(jq -c .attributes "$T/gl/like_000.json" 2>/dev/null)"
err=$("$E" generate "${G[@]}" --attributes 0101 -o "$T/x" 2>&1); [ $? != 0 ] && case "$err" in *"100 attributes"*) true;; *) false;; esac \
  && ok "a vector of the wrong length is refused" || fail "short vector: $err"
err=$("$E" generate "${G[@]}" --emotions "$T/emotions.json" --emotion Q9 -o "$T/x" 2>&1); [ $? != 0 ] && ok "an unknown emotion is refused" || fail "Q9: $err"
"$E" generate "${G[@]}" -o "$T/x" >/dev/null 2>&1; [ $? = 2 ] && ok "no vector given: usage error" || fail "no vector"
# evaluate the 4 Q3 pieces plus 1 per other emotion
for q in Q1 Q2 Q4; do "$E" generate "${G[@]}" --emotions "$T/emotions.json" --emotion $q -n 1 -o "$T/g1" </dev/null || fail "generate $q"; done
mpirun -np 2 --oversubscribe "$E" evaluate --generated "$T/g1" --corpus "$T/corpus.h5" --attributes "$T/attrs.json" --out "$T/report" \
  --metrics "$T/model/metrics.jsonl" --checkpoint "$T/model/step-00000005.h5" --random 3 --trees 20 --quiet </dev/null || fail "evaluate"
R=$T/report/report.json
[ "$(jq .pieces "$R")" = 7 ] && ok "evaluate: 7 pieces scored" || fail "evaluate pieces: $(jq .pieces "$R" 2>/dev/null)"
for k in .emotion.accuracy .emotion.confusion .emotion.per_quadrant.Q3 .attribute_control.mean .attribute_control.per_attribute \
         .baselines.labelled_pieces_grouped_cv.accuracy .baselines.random_vectors.attribute_control; do
  [ "$(jq "$k != null" "$R")" = true ] || fail "report.json lacks $k"
done
[ "$(jq '.attribute_control.per_attribute | length' "$R")" = 100 ] && ok "report: emotion accuracy, per-attribute control (100), both baselines" || fail "per-attribute"
[ "$(jq '[.emotion.confusion[][]] | add' "$R")" = 7 ] && ok "confusion matrix counts every piece" || fail "confusion sum"
for f in index.html attribute_control.svg confusion.svg ceiling_confusion.svg loss.svg; do [ -s "$T/report/$f" ] || fail "report lacks $f"; done
grep -q "<svg" "$T/report/index.html" && grep -q "Attribute control" "$T/report/index.html" && ok "index.html holds the charts" || fail "index.html"
[ $fails -eq 0 ] && { echo "generate: all checks passed"; exit 0; }
echo "generate: $fails checks failed"; exit 1
