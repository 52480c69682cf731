#!/usr/bin/env bash
# jobs/local.sh [CONFIG]: run the pipeline's stages with mpirun on this machine.
# CONFIG follows schemas/pipeline.schema.json (`build/bin/emogen config schema pipeline`);
# default jobs/sample.json: the sample corpus kept in the repo, 2 ranks, outputs in out/sample/.
# Installs what is missing and builds first (jobs/setup.sh). Stages implemented so far: unpack, extract, select, map, train.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-jobs/sample.json}
jobs/setup.sh
E=build/bin/emogen
cfg=$($E config check pipeline "$config") || exit 1
out=$(jq -r .out_dir <<<"$cfg"); ranks=$(jq -r .ranks <<<"$cfg")
mkdir -p "$out/logs"
if [ "$(id -u)" = 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
# ranks beyond the cores are allowed (oversubscribed); OpenBLAS threads: one per rank
export OMPI_MCA_rmaps_base_oversubscribe=1 OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
MPIRUN=(mpirun -np "$ranks")

echo "== unpack: ${ranks} ranks -> $out/midi.h5 (log: $out/logs/unpack.log)" >&2
jq .unpack.config <<<"$cfg" > "$out/unpack.config.json"
mapfile -t inputs < <(jq -r '.unpack.inputs[]' <<<"$cfg")
"${MPIRUN[@]}" $E unpack --config "$out/unpack.config.json" --out "$out/midi.h5" --json "${inputs[@]}" \
  > "$out/unpack.summary.json" 2> >(tee "$out/logs/unpack.log" >&2)

echo "== extract: ${ranks} ranks -> $out/corpus.h5 (log: $out/logs/extract.log)" >&2
jq .extract.config <<<"$cfg" > "$out/extract.config.json"
labels=$(jq -r .extract.labels <<<"$cfg")
"${MPIRUN[@]}" $E extract --config "$out/extract.config.json" --in "$out/midi.h5" --out "$out/corpus.h5" \
  ${labels:+--labels "$labels"} --json > "$out/extract.summary.json" 2> >(tee "$out/logs/extract.log" >&2)

echo "== select: ${ranks} ranks -> $out/attributes.json (log: $out/logs/select.log)" >&2
jq .select.config <<<"$cfg" > "$out/select.config.json"
if [ "$(jq -r .select.emogen <<<"$cfg")" = true ]; then sel=(--emogen); else sel=(--corpus "$out/corpus.h5" --config "$out/select.config.json"); fi
"${MPIRUN[@]}" $E select "${sel[@]}" --out "$out/attributes.json" 2> >(tee "$out/logs/select.log" >&2)

echo "== map: $(jq -r .map.method <<<"$cfg") -> $out/emotions.json (log: $out/logs/map.log)" >&2
$E map --corpus "$out/corpus.h5" --attributes "$out/attributes.json" --method "$(jq -r .map.method <<<"$cfg")" \
  --features "$(jq -r .map.features <<<"$cfg")" --out "$out/emotions.json" 2> >(tee "$out/logs/map.log" >&2)

echo "== train: ${ranks} ranks -> $out/train/ (log: $out/logs/train.log)" >&2
jq --arg c "$out/corpus.h5" --arg a "$out/attributes.json" --arg o "$out/train" \
  '.train.config + {corpus: $c, attributes: $a, out_dir: $o}' <<<"$cfg" > "$out/train.config.json"
resume=(); [ "$(jq -r .train.resume <<<"$cfg")" = true ] && resume=(--resume)
"${MPIRUN[@]}" $E train --config "$out/train.config.json" "${resume[@]}" 2> >(tee "$out/logs/train.log" >&2)

echo "== done. Outputs in $out/:" >&2
echo "   midi.h5                the MIDI store (layout: schemas/midi_store.md)" >&2
echo "   corpus.h5              tokens, features, segments (layout: schemas/corpus.md; see: $E corpus-info $out/corpus.h5)" >&2
echo "   attributes.json        the attribute design: $(jq -c '{attributes: (.attributes | length), cv_accuracy: .cv.accuracy, grouped_accuracy: .cv.grouped_accuracy}' "$out/attributes.json")" >&2
echo "   emotions.json          Q1..Q4 attribute vectors: $(jq -c '[.emotions[].piece]' "$out/emotions.json")" >&2
echo "   train/                 checkpoints (best.h5, step-*.h5) and metrics.jsonl: $(grep -c loss "$out/train/metrics.jsonl") metric lines" >&2
echo "   unpack.summary.json    this run: $(jq -c '{members_seen,accepted,duplicates,rejected,inputs_already_stored: .inputs_skipped}' "$out/unpack.summary.json"); store: $(jq -c .store.files "$out/unpack.summary.json") files" >&2
echo "   extract.summary.json   $(jq -c '{pieces,segments,tokens,labelled}' "$out/extract.summary.json")" >&2
echo "   logs/                  one log per stage" >&2
