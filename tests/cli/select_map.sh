#!/usr/bin/env bash
# select_map: `emogen select` and `emogen map` on the sample corpus (no shared data needed):
# - the forest (so the attributes) is identical at 1, 2 and 4 ranks;
# - attributes.json has the documented keys; top-k 10/50/100/300/500 and 3 buckets work;
# - thresholds are the labelled values' percentiles; EmoGen's design round-trips through map --method emogen;
# - every map method writes Q1..Q4 vectors naming a piece; bad input gives clear errors.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}; C=$SRC/tests/data/corpus
T=$(mktemp -d /tmp/emogen_select_test.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
"$E" unpack --quiet --out "$T/midi.h5" "$C/unlabelled/nottingham_npm_piano.zip" "$C/labelled" 2>/dev/null || fail unpack
"$E" extract --quiet --in "$T/midi.h5" --out "$T/corpus.h5" --labels "$C/labelled/labels.csv" </dev/null || fail extract
"$E" extract --quiet --in "$T/midi.h5" --out "$T/nolabels.h5" </dev/null || fail "extract without labels"
for np in 1 2 4; do
  mpirun -np $np --oversubscribe "$E" select --corpus "$T/corpus.h5" --out "$T/a$np.json" --quiet </dev/null || fail "select at $np ranks"
  jq -c '[.attributes, .cv.accuracy, .cv.grouped_accuracy]' "$T/a$np.json" > "$T/a$np.key" 2>/dev/null
done
[ -s "$T/a1.key" ] || fail "no attributes.json"
for np in 2 4; do [ -s "$T/a$np.key" ] && cmp -s "$T/a1.key" "$T/a$np.key" && ok "select at $np ranks: same attributes and CV as 1 rank" || fail "select differs at $np ranks"; done
A=$T/a1.json
[ "$(jq '.attributes | length' "$A")" = 100 ] && ok "100 attributes" || fail "attribute count"
[ "$(jq '[.attributes[] | has("name") and has("index") and has("importance") and has("thresholds")] | all' "$A")" = true ] \
  && ok "each attribute has name, index, importance, thresholds" || fail "attribute keys"
[ "$(jq '[.attributes[].importance] | . == (sort | reverse)' "$A")" = true ] && ok "most important first" || fail "order"
acc=$(jq .cv.accuracy "$A"); gacc=$(jq .cv.grouped_accuracy "$A")
awk "BEGIN{exit !($acc > 0.4 && $gacc > 0.3)}" && ok "CV accuracy $acc, grouped $gacc (chance 0.25)" || fail "CV accuracy $acc / $gacc"
for k in 10 50 300 500; do
  "$E" select --corpus "$T/corpus.h5" --out "$T/k$k.json" --top-k $k --quiet </dev/null && [ "$(jq '.attributes | length' "$T/k$k.json")" = $k ] \
    && ok "--top-k $k" || fail "--top-k $k"
done
"$E" select --corpus "$T/corpus.h5" --out "$T/b3.json" --buckets 3 --quiet </dev/null
[ "$(jq '[.attributes[].thresholds | length == 2 and .[0] <= .[1]] | all' "$T/b3.json")" = true ] && ok "--buckets 3: two ascending thresholds each" || fail "buckets 3"
# EmoGen's published design
"$E" select --emogen --out "$T/emogen.json" --quiet
"$E" map --attributes "$T/emogen.json" --method emogen --out "$T/e.json" --quiet
[ "$(jq -r '.emotions.Q1.bits | map(tostring) | join("")' "$T/e.json")" = \
  1011111100110111101001100001100100011111111001100111010100011111111100101110000011001100111110001100 ] \
  && ok "map --method emogen gives EmoGen's published Q1 row" || fail "emogen Q1 row"
[ "$(jq -c '.agreement_with_emogen' "$T/e.json")" = '{"Q1":100,"Q2":100,"Q3":100,"Q4":100}' ] && ok "agreement 100/100 per row" || fail "agreement"
for m in closest center kmeans; do
  mpirun -np 2 --oversubscribe "$E" map --corpus "$T/corpus.h5" --attributes "$T/emogen.json" --method $m --out "$T/m_$m.json" --quiet </dev/null \
    || fail "map --method $m"
  [ "$(jq '[.emotions.Q1, .emotions.Q2, .emotions.Q3, .emotions.Q4] | map(.bits | length == 100) | all' "$T/m_$m.json")" = true ] \
    && [ "$(jq -r .emotions.Q3.piece "$T/m_$m.json")" != null ] && ok "map --method $m: Q1..Q4 vectors of 100 bits, chosen piece named" || fail "map $m output"
done
echo "  closest agrees with EmoGen: $(jq -c .agreement_with_emogen "$T/m_closest.json"), picks $(jq -c '[.emotions[].piece]' "$T/m_closest.json")"
"$E" map --corpus "$T/corpus.h5" --attributes "$A" --out "$T/m_rf.json" --quiet && [ "$(jq '.emotions.Q4.bits | length' "$T/m_rf.json")" = 100 ] \
  && ok "map with the forest's attributes" || fail "map with forest attributes"
# bad input
err=$("$E" select --corpus "$T/nolabels.h5" --out "$T/x.json" 2>&1); rc=$?
[ $rc != 0 ] && case "$err" in *"no labelled pieces"*) true;; *) false;; esac && ok "select without labels: clear error" || fail "select no labels: $err"
err=$("$E" map --corpus "$T/nolabels.h5" --attributes "$A" --out "$T/x.json" 2>&1); rc=$?
[ $rc != 0 ] && case "$err" in *"no labelled pieces"*) true;; *) false;; esac && ok "map without labels: clear error" || fail "map no labels: $err"
err=$("$E" map --corpus "$T/corpus.h5" --attributes "$T/k10.json" --method emogen --out "$T/x.json" 2>&1); rc=$?
[ $rc != 0 ] && ok "map --method emogen with other attributes: refused ($err)" || fail "emogen method with wrong attributes"
echo '{"format":"emogen.attributes","version":1,"buckets":2,"attributes":[{"name":"x","index":5000,"thresholds":[1]}]}' > "$T/bad.json"
err=$("$E" map --corpus "$T/corpus.h5" --attributes "$T/bad.json" --out "$T/x.json" 2>&1); rc=$?
[ $rc != 0 ] && case "$err" in *"attributes[0].index"*) true;; *) false;; esac && ok "invalid attributes.json: the key path is named" || fail "bad attributes: $err"
[ $fails -eq 0 ] && { echo "select_map: all checks passed"; exit 0; }
echo "select_map: $fails checks failed"; exit 1
