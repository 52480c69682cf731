#!/usr/bin/env bash
# jobs/local.sh [CONFIG]: run the pipeline's stages with mpirun on this machine.
# CONFIG follows schemas/pipeline.schema.json (`build/bin/emogen config schema pipeline`);
# default jobs/sample.json: the sample corpus kept in the repo, 2 ranks, outputs in out/sample/.
# Installs what is missing and builds first (jobs/setup.sh). Stages implemented so far: unpack, extract.
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

echo "== done. Outputs in $out/:" >&2
echo "   midi.h5                the MIDI store (layout: schemas/midi_store.md)" >&2
echo "   corpus.h5              tokens, features, segments (layout: schemas/corpus.md; see: $E corpus-info $out/corpus.h5)" >&2
echo "   unpack.summary.json    $(jq -c '{members_seen,accepted,duplicates,rejected}' "$out/unpack.summary.json")" >&2
echo "   extract.summary.json   $(jq -c '{pieces,segments,tokens,labelled}' "$out/extract.summary.json")" >&2
echo "   logs/                  one log per stage" >&2
