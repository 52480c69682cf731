#!/usr/bin/env bash
# jobs/summary.sh [CONFIG]: print what a pipeline run left in its out_dir (default config jobs/sample.json):
# the outputs with their key numbers on stderr, the evaluation summary, and the generated MIDI files,
# one path a line, on stdout. jobs/local.sh and jobs/pipeline.sh --wait end with it.
set -euo pipefail
config=${1:-}
if [ -n "$config" ]; then
  [ -f "$config" ] || { echo "summary.sh: no config file '$config'" >&2; exit 2; }
  config=$(cd "$(dirname "$config")" && pwd)/$(basename "$config")
fi
cd "$(dirname "$0")/.."
config=${config:-jobs/sample.json}
E=${EMOGEN:-build/bin/emogen}
cfg=$("$E" config check pipeline "$config") || exit 2
out=$(jq -r .out_dir <<<"$cfg")
s() { jq -c "$1" "$out/$2" 2>/dev/null || echo "(no $out/$2)"; }
# the newest log of a stage: OUT/logs/STAGE.log (jobs/local.sh) or OUT/logs/STAGE-JOBID.log (Slurm)
stage_log() { ls -t "$out/logs/$1.log" "$out/logs/$1"-[0-9]*.log 2>/dev/null | head -1; }
{
  echo "Outputs in $out/:"
  echo "   midi.h5                the MIDI store (layout: schemas/midi_store.md)"
  echo "   corpus.h5              tokens, features, segments (layout: schemas/corpus.md; see: $E corpus-info $out/corpus.h5)"
  echo "   attributes.json        the attribute design: $(s '{attributes: (.attributes | length), cv_accuracy: .cv.accuracy, grouped_accuracy: .cv.grouped_accuracy}' attributes.json)"
  echo "   emotions.json          Q1..Q4 attribute vectors: $(s '[.emotions[].piece]' emotions.json)"
  if [ -f "$out/train/metrics.jsonl" ]; then
    echo "   train/                 checkpoints (best.h5, step-*.h5) and metrics.jsonl: $(grep -c '"loss"' "$out/train/metrics.jsonl") metric lines, last event: $(grep '"event"' "$out/train/metrics.jsonl" | tail -1)"
  fi
  echo "   generated/             $(s '{pieces, undecodable, tokens}' generate.summary.json): per piece .mid, .txt (tokens), .json (sidecar), .svg (piano roll)"
  echo "   unpack.summary.json    the last unpack: $(s '{members_seen,accepted,duplicates,rejected,inputs_already_stored: .inputs_skipped}' unpack.summary.json); store: $(s .store.files unpack.summary.json) files"
  echo "   extract.summary.json   $(s '{pieces,segments,tokens,labelled}' extract.summary.json)"
  echo "   logs/                  one log per stage"
  log=$(stage_log evaluate || true)
  echo "== evaluation (log: ${log:-none})"
  if [ -n "$log" ]; then grep -v '^\[evaluate\] [0-9]' "$log" || echo "   (nothing logged)"; fi
  [ -d "$out/report" ] && echo "   report: $out/report/ ($(ls "$out/report" | tr '\n' ' '))"
  echo "== generated MIDI ($(find "$out/generated" -name '*.mid' 2>/dev/null | wc -l) files):"
} >&2
[ -d "$out/generated" ] && find "$out/generated" -name '*.mid' | sort
exit 0
