#!/usr/bin/env bash
# unpack_archives: `emogen unpack` on the shared archives (member counts against archives/MANIFEST.csv,
# at 1, 2 and 4 ranks, identical stores) and on the hostile archives of malformed/archives (each as its
# MANIFEST.csv expects: partial reads, clean rejects, links never followed, nothing written to disk).
set -u
E=${EMOGEN:?}; SRC=${EMOGEN_SOURCE_DIR:?}
SHARED=${EMOGEN_SHARED:-$SRC/../shared}
if [ ! -d "$SHARED/data/archives" ]; then
  if [ "${CI:-}" = true ]; then echo "FAIL: shared data missing at $SHARED (CI=true)"; exit 1; fi
  echo "SKIP: shared data not found at $SHARED (set EMOGEN_SHARED)"; exit 77
fi
A=$SHARED/data/archives; M=$SHARED/data/malformed/archives
T=$(mktemp -d /tmp/emogen_unpack_arch.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails+1)); }
ok() { echo "ok: $*"; }
run() { # run NP OUT INPUT... -> JSON on stdout
  local np=$1 out=$2; shift 2
  rm -f "$out"; mpirun -np "$np" --oversubscribe "$E" unpack --out "$out" --json --quiet "$@" 2>"$out.err" </dev/null
}
# 1. every archive whose members are all MIDI: accepted + duplicates = members in the manifest
while IFS=, read -r name container members midi rest; do
  case "$name" in archive|*messy*|jsbach_net_original_zips/*) continue;; esac
  j=$(run 1 "$T/a.h5" "$A/$name")
  got=$(jq '.accepted + .duplicates' <<<"$j"); rej=$(jq '[.rejected[]] | add // 0' <<<"$j")
  [ "$got" = "$midi" ] && [ "$rej" = 0 ] && ok "$name ($container): $got MIDI members" || fail "$name: $got accepted+dup, $rej rejected, manifest says $midi MIDI"
done < "$A/MANIFEST.csv"
# the 51 original 1997-98 zips: every MIDI member accepted, the .txt notes rejected as not_midi
ls "$A"/jsbach_net_original_zips/*.zip > "$T/zips.txt"
j=$(run 1 "$T/z.h5" --list "$T/zips.txt")
want_midi=$(awk -F, '/jsbach_net_original_zips/ {s += $4} END {print s}' "$A/MANIFEST.csv")
want_all=$(awk -F, '/jsbach_net_original_zips/ {s += $3} END {print s}' "$A/MANIFEST.csv")
[ "$(jq '.accepted + .duplicates' <<<"$j")" = "$want_midi" ] && ok "51 jsbach zips: $want_midi MIDI members" || fail "jsbach zips: $(jq -c . <<<"$j"), manifest $want_midi MIDI"
[ "$(jq .members_seen <<<"$j")" = "$want_all" ] && ok "jsbach zips: $want_all members seen" || fail "jsbach zips seen $(jq .members_seen <<<"$j"), manifest $want_all"
# messy layout: 51 files (+5 inside the inner zip, which is opened) = 55 members; 0-byte, text, README, pdf rejected
j=$(run 1 "$T/m.h5" "$A/unlabelled_messy_layout.tar.gz")
[ "$(jq .members_seen <<<"$j")" = 55 ] && [ "$(jq .rejected.empty <<<"$j")" = 1 ] && [ "$(jq .rejected.not_midi <<<"$j")" = 3 ] \
  && ok "messy layout: 55 members, 1 empty, 3 not MIDI, inner zip opened" || fail "messy layout: $(jq -c . <<<"$j")"
[ "$(jq .duplicates <<<"$j")" -ge 1 ] && ok "messy layout: duplicates found ($(jq .duplicates <<<"$j"))" || fail "messy layout: no duplicate found"
j=$(run 1 "$T/m0.h5" "$A/unlabelled_messy_layout.tar.gz" --set max_depth=1)
[ "$(jq .rejected.nested_too_deep <<<"$j")" = 1 ] && ok "max_depth=1: the inner zip is refused as nested_too_deep" || fail "max_depth=1: $(jq -c . <<<"$j")"
# 2. all archives at once, at 1, 2 and 4 ranks: identical datasets
ls "$A"/*.* "$A"/jsbach_net_original_zips/*.zip | grep -v MANIFEST > "$T/all.txt"
for np in 1 2 4; do
  run $np "$T/all$np.h5" --list "$T/all.txt" > "$T/all$np.json" || fail "all archives at $np ranks: $(tail -2 "$T/all$np.h5.err")"
  h5dump "$T/all$np.h5" | sed '1d' | grep -v '"20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T' > "$T/all$np.dump"
done
[ -s "$T/all1.dump" ] || fail "no store written at 1 rank"
for np in 2 4; do [ -s "$T/all$np.dump" ] && cmp -s "$T/all1.dump" "$T/all$np.dump" && ok "all archives: $np-rank store equals 1-rank store" || fail "all archives: $np ranks differ"; done
# 3. hostile archives
j=$(run 1 "$T/h.h5" "$M/truncated_at_60pct.tar.gz")
[ "$(jq .accepted <<<"$j")" = 2 ] && [ "$(jq .containers_rejected <<<"$j")" = 1 ] && ok "truncated tar.gz: the 2 complete members, then an error" || fail "truncated: $(jq -c . <<<"$j")"
j=$(run 1 "$T/h.h5" "$M/corrupt_member_data.zip")
[ "$(jq .accepted <<<"$j")" = 5 ] && [ "$(jq .rejected.unreadable <<<"$j")" = 1 ] && ok "damaged zip member 2 rejected, members 3-6 still read" || fail "corrupt zip: $(jq -c . <<<"$j")"
j=$(run 1 "$T/h.h5" "$M/not_an_archive.tar.gz")
[ "$(jq .rejected.not_midi <<<"$j")" = 1 ] && ok "text named .tar.gz rejected as not_midi" || fail "not_an_archive: $(jq -c . <<<"$j")"
j=$(run 1 "$T/h.h5" "$M/zero_bytes.zip")
[ "$(jq .rejected.empty <<<"$j")" = 1 ] && ok "0-byte .zip rejected as empty" || fail "zero_bytes: $(jq -c . <<<"$j")"
j=$(run 1 "$T/h.h5" "$M/empty.tar.gz")
[ "$(jq .members_seen <<<"$j")" = 0 ] && [ -f "$T/h.h5" ] && ok "empty tar.gz: 0 members, a valid empty store" || fail "empty: $(jq -c . <<<"$j")"
j=$(run 1 "$T/h.h5" "$M/symlink_members.tar")
[ "$(jq .rejected.link <<<"$j")" = 3 ] && [ "$(jq .accepted <<<"$j")" = 1 ] && ok "2 symlinks + 1 hard link rejected, never followed" || fail "symlinks: $(jq -c . <<<"$j")"
before=$(ls /tmp | wc -l)
j=$(run 2 "$T/h.h5" "$M/path_traversal.tar" "$M/absolute_path.tar")
[ "$(jq '.accepted + .duplicates' <<<"$j")" = 3 ] && ok "traversal and absolute member names read in memory only" || fail "traversal/absolute: $(jq -c . <<<"$j")"
[ ! -e /tmp/emogen_absolute_path_test.mid ] && [ ! -e "$T/../escaped_traversal.mid" ] && ok "nothing written outside the store" || fail "a member escaped to disk"
# --extract-to: plain files for users who want them, never outside DIR
X=$T/extract; mkdir -p "$X"
j=$(run 1 "$T/h.h5" "$M/absolute_path.tar" --extract-to "$X")
[ "$(jq .extract_refused <<<"$j")" = 1 ] && [ ! -e /tmp/emogen_absolute_path_test.mid ] && ok "--extract-to refuses an absolute member name" || fail "absolute extract: $(jq -c . <<<"$j")"
mkdir -p "$T/src" && cp "$SHARED/data/unlabelled/emogen_examples/0.mid" "$T/src/esc.mid"
bsdtar -cPf "$T/trav.tar" -C "$T/src" -s ',^esc,../../escaped_by_test,' esc.mid
j=$(run 1 "$T/h.h5" "$T/trav.tar" --extract-to "$X")
[ "$(jq .extract_refused <<<"$j")" = 1 ] && [ ! -e "$X/../escaped_by_test.mid" ] && [ ! -e "$T/escaped_by_test.mid" ] && ok "--extract-to refuses a '..' member name" || fail "traversal extract: $(jq -c . <<<"$j")"
mkdir -p "$T/outside" "$X/linked" && ln -s "$T/outside" "$X/linked/unlabelled_pop909.tar.gz"
j=$(run 1 "$T/h.h5" "$A/unlabelled_pop909.tar.gz" --extract-to "$X/linked")
[ "$(ls "$T/outside" | wc -l)" = 0 ] && [ "$(jq .extract_refused <<<"$j")" = 909 ] && ok "--extract-to never follows a symlink already inside DIR" || fail "symlink in DIR followed: $(ls "$T/outside" | wc -l) files outside"
j=$(run 2 "$T/h.h5" "$A/unlabelled_nottingham.zip" --extract-to "$X/ok")
[ "$(find "$X/ok" -type f | wc -l)" = "$(jq .accepted <<<"$j")" ] && ok "--extract-to at 2 ranks writes every accepted file ($(jq .accepted <<<"$j"))" || fail "extract count"
# 4. limits: a member over max_member_bytes, an archive over the expansion ratio
j=$(run 1 "$T/h.h5" "$A/unlabelled_pop909.tar.gz" --set max_member_bytes=8192)
[ "$(jq .rejected.too_large <<<"$j")" -gt 0 ] && [ "$(jq '.accepted + .rejected.too_large' <<<"$j")" = 909 ] && ok "max_member_bytes: $(jq .rejected.too_large <<<"$j") members refused as too_large" || fail "too_large: $(jq -c . <<<"$j")"
j=$(run 1 "$T/h.h5" "$A/unlabelled_pop909.tar.gz" --set max_expansion_ratio=1)
[ "$(jq .containers_rejected <<<"$j")" = 1 ] && [ "$(jq .rejected.expansion_limit <<<"$j")" = 1 ] && ok "max_expansion_ratio=1: the archive is abandoned as a bomb" || fail "bomb: $(jq -c . <<<"$j")"
[ $fails -eq 0 ] && { echo "unpack_archives: all checks passed"; exit 0; }
echo "unpack_archives: $fails checks failed"; exit 1
