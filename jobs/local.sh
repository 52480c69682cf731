#!/usr/bin/env bash
# jobs/local.sh [CONFIG]: run the whole pipeline with mpirun on this machine:
#   unpack -> extract -> select -> map -> train -> generate -> evaluate
# CONFIG follows schemas/pipeline.schema.json (`build/bin/emogen config schema pipeline`);
# default jobs/sample.json: the sample corpus kept in the repo, 2 ranks, outputs in out/sample/.
# Installs what is missing and builds first (jobs/setup.sh; EMOGEN_NO_SETUP=1 skips that).
# Each stage runs through jobs/stage.sh, exactly as the Slurm batch scripts run it (jobs/pipeline.sh);
# logs go to OUT/logs/STAGE.log. Ends by printing the outputs, the evaluation summary and the
# generated MIDI files.
set -euo pipefail
config=${1:-}
if [ -n "$config" ]; then  # relative to the caller's directory
  [ -f "$config" ] || { echo "local.sh: no config file '$config'" >&2; exit 2; }
  config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
fi
cd "$(dirname "$0")/.."
config=${config:-jobs/sample.json}
[ "${EMOGEN_NO_SETUP:-0}" = 1 ] || jobs/setup.sh
E=${EMOGEN:-build/bin/emogen}
cfg=$("$E" config check pipeline "$config") || exit 2
out=$(jq -r .out_dir <<<"$cfg"); ranks=$(jq -r .ranks <<<"$cfg")
mkdir -p "$out/logs"
export EMOGEN_LAUNCH=local   # mpirun -np RANKS even inside a Slurm allocation
t0=$SECONDS

for stage in unpack extract select map train generate evaluate; do
  echo "== $stage ($ranks ranks; log: $out/logs/$stage.log)" >&2
  : > "$out/logs/$stage.log"
  jobs/stage.sh "$stage" "$config" --log "$out/logs/$stage.log"
done

echo "== done in $((SECONDS - t0)) s" >&2
EMOGEN=$E jobs/summary.sh "$config"
