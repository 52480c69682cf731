#!/usr/bin/env bash
# cli.sample_corpus: checks the embedded sample corpus tests/data/corpus/ (no shared data needed).
#  - labelled: 160 EMOPIA clips, 40 per quadrant, every label row's file exists, every clip is labelled,
#    file names agree with the quadrant and group (song) columns, whole songs only (counts = songs.csv),
#    at least one song in two quadrants, EmoGen's four reference clips present
#  - MANIFEST.csv: md5 and size of every loose file and of every archive member match, and nothing is unlisted
#  - malformed/: 4..8 files, each in malformed/MANIFEST.csv with a known `expected` value
#  - total size <= 8 MB (8,000,000 bytes)
# When $EMOGEN_SHARED/data (or ../shared/data beside the tree) exists, songs.csv is also checked against
# EMOPIA's full labels there. Tools: bash, coreutils, awk, find, grep and bsdtar (libarchive-tools) for the
# archives (GNU tar is used for the .tar.gz when bsdtar is missing; the .zip then cannot be read: skip, 77).
set -u
export LC_ALL=C
SRC=${EMOGEN_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
C=$SRC/tests/data/corpus
PER_QUADRANT=40
MAX_BYTES=8000000
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
note() { echo "  $*"; }
[ -d "$C" ] || { echo "FAIL: no corpus at $C"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for f in README.md MANIFEST.csv make_sample.sh labelled/labels.csv labelled/songs.csv malformed/MANIFEST.csv; do
  [ -s "$C/$f" ] || fail "missing or empty: $f"
done
[ "$fails" -eq 0 ] || { echo "sample_corpus: $fails failure(s)"; exit 1; }

# ---------------------------------------------------------------- labelled
L=$C/labelled/labels.csv
[ "$(head -n 1 "$L" | tr -d '\r')" = "file,quadrant,group,source" ] ||
  fail "labels.csv header is '$(head -n 1 "$L")', want 'file,quadrant,group,source'"
awk -F, -v per="$PER_QUADRANT" '
  NR == 1 { next }
  NF != 4 { print "FAIL: labels.csv line " NR ": " NF " fields"; bad++; next }
  {
    f = $1; q = $2; g = $3
    if (q !~ /^Q[1-4]$/) { print "FAIL: labels.csv line " NR ": bad quadrant " q; bad++ }
    if (g == "") { print "FAIL: labels.csv line " NR ": empty group"; bad++ }
    pre = "emopia/" q "_" g "_"
    seg = substr(f, length(pre) + 1)
    if (substr(f, 1, length(pre)) != pre || seg !~ /^[0-9]+\.mid$/) {
      print "FAIL: labels.csv line " NR ": file " f " does not match quadrant " q " and group " g; bad++ }
    if (seen[f]++) { print "FAIL: labels.csv: duplicate row for " f; bad++ }
    n[q]++; total++
  }
  END {
    for (i = 1; i <= 4; i++) if (n["Q" i] != per) { print "FAIL: Q" i " has " n["Q" i] + 0 " clips, want " per; bad++ }
    if (total != 4 * per) { print "FAIL: " total " labelled clips, want " 4 * per; bad++ }
    printf "  labelled: Q1 %d, Q2 %d, Q3 %d, Q4 %d clips\n", n["Q1"], n["Q2"], n["Q3"], n["Q4"]
    exit bad > 0
  }' "$L" || fails=$((fails + 1))
tail -n +2 "$L" | cut -d, -f1 | sort > "$TMP/labelled.listed"
(cd "$C/labelled" && find . -type f -name '*.mid' | sed 's|^\./||' | sort) > "$TMP/labelled.present"
comm -23 "$TMP/labelled.listed" "$TMP/labelled.present" | sed 's/^/FAIL: label row without its file: /' > "$TMP/x"
comm -13 "$TMP/labelled.listed" "$TMP/labelled.present" | sed 's/^/FAIL: clip without a label row: labelled\//' >> "$TMP/x"
[ -s "$TMP/x" ] && { cat "$TMP/x"; fails=$((fails + 1)); }

# whole songs: per group and quadrant, the labelled clip counts equal songs.csv (the song's full EMOPIA counts)
S=$C/labelled/songs.csv
[ "$(head -n 1 "$S" | tr -d '\r')" = "group,Q1,Q2,Q3,Q4,clips" ] || fail "songs.csv header is '$(head -n 1 "$S")'"
awk -F, '
  FNR == 1 { next }
  FNR == NR { have[$3 "," $2]++; grp[$3] = 1; next }
  {
    g = $1; song[g] = 1
    if (!(g in grp)) { print "FAIL: songs.csv lists " g " but no clip of it is labelled"; bad++ }
    if ($2 + $3 + $4 + $5 != $6) { print "FAIL: songs.csv row " g ": quadrant counts do not add up"; bad++ }
    k = 0
    for (i = 1; i <= 4; i++) {
      if ($(i + 1) > 0) k++
      if (have[g ",Q" i] + 0 != $(i + 1)) {
        print "FAIL: song " g " is split: Q" i " has " have[g ",Q" i] + 0 " clips here, " $(i + 1) " in EMOPIA"; bad++ }
    }
    if (k >= 2) multi++
    nsongs++
  }
  END {
    for (g in grp) if (!(g in song)) { print "FAIL: group " g " is not in songs.csv"; bad++ }
    if (multi < 1) { print "FAIL: no song with clips in two quadrants"; bad++ }
    printf "  labelled: %d songs, %d of them in more than one quadrant\n", nsongs, multi
    exit bad > 0
  }' "$L" "$S" || fails=$((fails + 1))
for clip in Q1_zHwJG8Rrx6c_3 Q2_jrVXitpLGMk_1 Q3_2v6gJi03LlA_0 Q4_biROWEwkDQQ_0; do
  grep -q "^emopia/$clip\.mid," "$L" || fail "EmoGen reference clip $clip is not in labels.csv"
done

# optional: against the full EMOPIA labels in the shared data
SH=${EMOGEN_SHARED:-$SRC/../shared}
if [ -f "$SH/data/labelled/labels_detail.csv" ]; then
  awk -F, '
    FNR == 1 { next }
    FNR == NR { if ($3 == "EMOPIA") { full[$6 "," $2]++; any[$6] = 1 } next }
    {
      if (!($1 in any)) { print "FAIL: song " $1 " is not in the shared EMOPIA labels"; bad++; next }
      for (i = 1; i <= 4; i++) if (full[$1 ",Q" i] + 0 != $(i + 1)) {
        print "FAIL: songs.csv " $1 " Q" i " = " $(i + 1) ", shared data has " full[$1 ",Q" i] + 0; bad++ }
    }
    END { exit bad > 0 }' "$SH/data/labelled/labels_detail.csv" "$S" || fails=$((fails + 1))
  note "songs.csv checked against $SH/data/labelled/labels_detail.csv"
else
  note "shared data not found: songs.csv not cross-checked (optional)"
fi

# ---------------------------------------------------------------- MANIFEST.csv
M=$C/MANIFEST.csv
[ "$(head -n 1 "$M" | tr -d '\r')" = "path,source,licence,original_path,md5,bytes" ] ||
  fail "MANIFEST.csv header is '$(head -n 1 "$M")'"
awk -F, 'NR > 1 && NF != 6 { print "FAIL: MANIFEST.csv line " NR ": " NF " fields"; bad++ }
         NR > 1 && ($5 !~ /^[0-9a-f]+$/ || length($5) != 32 || $6 !~ /^[0-9]+$/) {
           print "FAIL: MANIFEST.csv line " NR ": bad md5/bytes"; bad++ }
         NR > 1 { if (seen[$1]++) { print "FAIL: MANIFEST.csv: duplicate path " $1; bad++ } }
         END { exit bad > 0 }' "$M" || fails=$((fails + 1))
# actual: "path md5 bytes" for every loose file and every regular archive member
: > "$TMP/actual"
(cd "$C" && find . -type f ! -path ./README.md ! -path ./MANIFEST.csv ! -path ./make_sample.sh |
   sed 's|^\./||' | sort) > "$TMP/loose"
while IFS= read -r p; do
  h=$(md5sum < "$C/$p"); printf '%s %s %s\n' "$p" "${h%% *}" "$(wc -c < "$C/$p" | tr -d ' ')" >> "$TMP/actual"
done < "$TMP/loose"
HAVE_BSDTAR=0; command -v bsdtar > /dev/null && HAVE_BSDTAR=1
skipped_zip=""
for a in $(grep -E '\.(tar\.gz|zip)$' "$TMP/loose"); do
  x=$TMP/x_$(echo "$a" | tr '/.' '__'); mkdir -p "$x"
  if [ "$HAVE_BSDTAR" = 1 ]; then
    bsdtar -xf "$C/$a" -C "$x" || { fail "bsdtar cannot extract $a"; continue; }
  elif [ "${a%.tar.gz}" != "$a" ] && command -v tar > /dev/null; then
    tar -xzf "$C/$a" -C "$x" --no-same-owner || { fail "tar cannot extract $a"; continue; }
  else
    skipped_zip="$skipped_zip $a"; grep -F "$a!" "$M" | cut -d, -f1 | sed 's/$/ skipped skipped/' >> "$TMP/actual"
    continue
  fi
  [ -z "$(find "$x" ! -type f ! -type d)" ] || fail "$a holds members that are neither files nor directories"
  (cd "$x" && find . -type f | sed 's|^\./||' | sort) | while IFS= read -r p; do
    h=$(md5sum < "$x/$p"); printf '%s!%s %s %s\n' "$a" "$p" "${h%% *}" "$(wc -c < "$x/$p" | tr -d ' ')"
  done >> "$TMP/actual"
done
awk 'FNR == NR { md5[$1] = $2; sz[$1] = $3; next }
     FNR == 1 { next }
     {
       split($0, f, ","); p = f[1]; listed[p] = 1
       if (!(p in md5)) { print "FAIL: MANIFEST lists " p " but it is not in the corpus"; bad++; next }
       if (md5[p] == "skipped") { skipped++; next }
       if (md5[p] != f[5]) { print "FAIL: md5 of " p " is " md5[p] ", MANIFEST says " f[5]; bad++ }
       if (sz[p] != f[6]) { print "FAIL: size of " p " is " sz[p] ", MANIFEST says " f[6]; bad++ }
       ok++; if (index(p, "!")) members++
     }
     END {
       for (p in md5) if (!(p in listed)) { print "FAIL: " p " is not listed in MANIFEST.csv"; bad++ }
       printf "  MANIFEST: %d entries verified (%d archive members), %d skipped\n", ok, members, skipped
       exit bad > 0
     }' "$TMP/actual" "$M" || fails=$((fails + 1))
n_tgz=$(grep -c '^unlabelled/[^/]*\.tar\.gz$' "$TMP/loose"); n_zip=$(grep -c '^unlabelled/[^/]*\.zip$' "$TMP/loose")
[ "$n_tgz" = 1 ] && [ "$n_zip" = 1 ] || fail "unlabelled/ should hold one .tar.gz and one .zip (has $n_tgz and $n_zip)"
n_unl=$(grep -c '^unlabelled/[^,]*!.*\.mid,' "$M")
n_rej=$(grep -c '^unlabelled/[^,]*\.tar\.gz![^,]*malformed/[^,]*\.mid,' "$M")
note "unlabelled: $n_unl .mid archive members ($n_rej of them malformed)"
[ "$n_unl" -ge 250 ] || fail "only $n_unl unlabelled MIDI members (want about 300)"
[ "$n_rej" -ge 1 ] || fail "no malformed member inside the tar.gz"

# ---------------------------------------------------------------- malformed
MM=$C/malformed/MANIFEST.csv
head -n 1 "$MM" | grep -q '^file,expected,' || fail "malformed/MANIFEST.csv header must start with file,expected"
tail -n +2 "$MM" | cut -d, -f1 | sort > "$TMP/mal.listed"
(cd "$C/malformed" && find . -type f ! -name MANIFEST.csv | sed 's|^\./||' | sort) > "$TMP/mal.present"
[ "$(cat "$TMP/mal.listed")" = "$(cat "$TMP/mal.present")" ] ||
  fail "malformed/ files and malformed/MANIFEST.csv differ: $(diff "$TMP/mal.listed" "$TMP/mal.present" | grep '^[<>]' | tr '\n' ' ')"
awk -F, 'NR > 1 && $2 !~ /^(accept|accept_lenient|reject_or_lenient|reject)$/ {
           print "FAIL: malformed/MANIFEST.csv: " $1 " has expected=" $2; bad++ }
         END { exit bad > 0 }' "$MM" || fails=$((fails + 1))
n_mal=$(wc -l < "$TMP/mal.listed")
[ "$n_mal" -ge 4 ] && [ "$n_mal" -le 8 ] || fail "$n_mal malformed files (want 4..8)"
note "malformed: $n_mal files"

# ---------------------------------------------------------------- licences and size
for l in CC-BY-NC-SA-4.0.md MIT__POP909.txt GPL-2.0.txt GPL-3.0__nottingham-dataset.md; do
  [ -s "$C/licenses/$l" ] || fail "licence text licenses/$l missing"
done
total=$(find "$C" -type f -exec cat {} + | wc -c)
note "total size: $total bytes (limit $MAX_BYTES)"
[ "$total" -le "$MAX_BYTES" ] || fail "corpus is $total bytes, over $MAX_BYTES"

if [ "$fails" -ne 0 ]; then echo "sample_corpus: $fails failure(s)"; exit 1; fi
if [ -n "$skipped_zip" ]; then
  echo "SKIP: all other checks passed, but bsdtar (apt-get install libarchive-tools) is needed to check$skipped_zip"
  exit 77
fi
echo "sample_corpus: OK"
