#!/usr/bin/env bash
# midi_info: `emogen midi-info` on vendored files: text and --json output, a rejected file names
# itself and the reason with a non-zero exit, --strict, usage errors.
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}; D=$SRC/tests/data/corpus
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
f=$D/labelled/emopia/$(ls "$D/labelled/emopia" | head -1)
out=$("$E" midi-info "$f"); rc=$?
[ $rc = 0 ] && ok "midi-info exits 0 on an EMOPIA clip" || fail "exit $rc"
case "$out" in *format*1*) ok "text output names the format" ;; *) fail "no format in: $out" ;; esac
j=$("$E" midi-info --json "$f")
[ "$(jq -r .format <<<"$j")" = 1 ] && [ "$(jq -r .division <<<"$j")" = 384 ] && ok "--json: format 1, division 384 (EMOPIA)" || fail "json: $j"
[ "$(jq -r '.notes' <<<"$j")" -gt 0 ] 2>/dev/null && ok "--json counts notes" || fail "json notes: $(jq -c . <<<"$j" | head -c 300)"
err=$("$E" midi-info "$D/malformed/test-not-a-midi-file.mid" 2>&1 >/dev/null); rc=$?
[ $rc != 0 ] && case "$err" in *test-not-a-midi-file.mid*) true;; *) false;; esac && ok "a text file is rejected, naming the file" || fail "reject: rc=$rc err=$err"
err=$("$E" midi-info "$D/malformed/trunc_in_header_10_bytes.mid" 2>&1 >/dev/null); rc=$?
[ $rc != 0 ] && case "$err" in *offset*) true;; *) false;; esac && ok "a truncated file: rejected with a byte offset" || fail "truncated: rc=$rc err=$err"
"$E" midi-info --strict "$D/malformed/missing_end_of_track_all_tracks.mid" >/dev/null 2>&1; s=$?
"$E" midi-info "$D/malformed/missing_end_of_track_all_tracks.mid" >/dev/null 2>&1; l=$?
[ $s != 0 ] && [ $l = 0 ] && ok "missing End-of-Track: lenient reads it, --strict rejects it" || fail "strict/lenient: strict=$s lenient=$l"
"$E" midi-info >/dev/null 2>&1; [ $? = 2 ] && ok "no file: usage error (2)" || fail "no-file exit"
[ $fails -eq 0 ] && { echo "midi_info: all checks passed"; exit 0; }
echo "midi_info: $fails checks failed"; exit 1
