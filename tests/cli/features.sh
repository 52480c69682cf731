#!/usr/bin/env bash
# cli.features: `emogen features` on the vendored jSymbolic fixtures: CSV shape, value order,
# a file without features gets a stderr message and no row, --list, --set (all 1,495 values
# against jSymbolic's rows), --window / --overlap / --overlap-fraction, usage errors.
set -euo pipefail
fx="$EMOGEN_SOURCE_DIR/tests/data/jsym"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$EMOGEN" features --help | grep -q 'usage: emogen features' || fail "--help"
set +e; "$EMOGEN" features --bogus 2>/dev/null; rc=$?; set -e
[ "$rc" = 2 ] || fail "bad flag should exit 2, got $rc"
set +e; "$EMOGEN" features --set nonsense "$fx/pop909__230.mid" >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "bad --set should exit 2, got $rc"

# default set: EmoGen's 100 attributes; a non-MIDI file in the middle gets no row
printf 'not midi' > "$tmp/bad.mid"
"$EMOGEN" features "$fx/emogen_examples__1.mid" "$tmp/bad.mid" "$fx/pop909__635.mid" >"$tmp/out.csv" 2>"$tmp/err.txt"
[ "$(wc -l < "$tmp/out.csv")" = 3 ] || fail "expected header + 2 rows"
head -1 "$tmp/out.csv" | awk -F, '{ if (NF != 101) exit 1 }' || fail "header should have file + 100 columns"
head -1 "$tmp/out.csv" | cut -d, -f2 | grep -qx 'Pitch Class Histogram_2' || fail "first attribute column"
grep -q 'bad.mid: no features' "$tmp/err.txt" || fail "no-features message"
grep -q 'bad.mid' "$tmp/out.csv" && fail "a file without features must not get a row"
# pop909/635: attribute 537 (Note Density per Quarter Note Variability) is NaN, printed as nan
col=$(head -1 "$tmp/out.csv" | tr ',' '\n' | grep -nx 'Note Density per Quarter Note Variability' | cut -d: -f1)
[ "$(sed -n 3p "$tmp/out.csv" | cut -d, -f"$col")" = nan ] || fail "NaN of pop909/635"

# --set emogen (the 58 features) and --set all (all 1,495 values): checked against the reference rows
ls "$fx"/*.mid > "$tmp/list.txt"
"$EMOGEN" features --set emogen --list "$tmp/list.txt" > "$tmp/emogen.csv"
[ "$(wc -l < "$tmp/emogen.csv")" = 6 ] || fail "expected header + 5 rows"
"$EMOGEN" features --set all --list "$tmp/list.txt" > "$tmp/all.csv"
[ "$(wc -l < "$tmp/all.csv")" = 6 ] || fail "--set all: expected header + 5 rows"
head -1 "$tmp/all.csv" | awk -F, '{ if (NF != 1496) exit 1 }' || fail "--set all: header should have file + 1495 columns"
# the official order: all_feature_names.txt is also the reference CSV's header
head -1 "$fx/reference_rows.csv" | cut -d, -f2- > "$tmp/ref_names.txt"
head -1 "$tmp/all.csv" | cut -d, -f2- | cmp -s - "$tmp/ref_names.txt" || fail "--set all: columns not in the official order"
for f in emogen all; do
python3 - "$tmp/$f.csv" "$fx/reference_rows.csv" <<'PY' || fail "--set $f: values differ from jSymbolic's"
import csv, math, sys
ours = list(csv.reader(open(sys.argv[1])))
ref = list(csv.reader(open(sys.argv[2])))
rcol = {n: i for i, n in enumerate(ref[0])}
rrow = {r[0].split('/', 1)[1].replace('/', '__'): r for r in ref[1:]}
bad = n = 0
for row in ours[1:]:
    r = rrow[row[0].rsplit('/', 1)[1]]
    for name, v in zip(ours[0][1:], row[1:]):
        a, b = float(v), float(r[rcol[name]])
        n += 1
        if not ((math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 + 1e-6 * abs(b)):
            bad += 1
sys.exit(1 if bad or n == 0 else 0)
PY
done

# --window: one row per window (file, window, start / end seconds, values); a window longer than
# the piece is the piece; a window without notes gets a message and no row
"$EMOGEN" features --set all --window 1000 "$fx/emogen_examples__1.mid" > "$tmp/w1.csv"
[ "$(wc -l < "$tmp/w1.csv")" = 2 ] || fail "--window 1000: expected header + 1 row"
head -1 "$tmp/w1.csv" | cut -d, -f1-5 | grep -qx 'file,window,start_seconds,end_seconds,Basic Pitch Histogram_0' || fail "--window header"
[ "$(sed -n 2p "$tmp/w1.csv" | cut -d, -f2)" = 0 ] || fail "--window: first window is 0"
[ "$(sed -n 2p "$tmp/w1.csv" | cut -d, -f5-)" = "$(grep emogen_examples__1 "$tmp/all.csv" | cut -d, -f2-)" ] \
  || fail "--window longer than the piece should give the whole-piece values"
"$EMOGEN" features --window 10 --overlap 2 "$fx/pop909__230.mid" > "$tmp/w10.csv" 2> "$tmp/w10.err"
rows=$(($(wc -l < "$tmp/w10.csv") - 1))
[ "$rows" -ge 10 ] || fail "--window 10 on a 3-minute piece: expected >= 10 windows, got $rows"
grep -q 'window 0: no features' "$tmp/w10.err" || fail "pop909/230 opens with silence: window 0 has no notes"
# windows are numbered in order and start 8 s apart (10 s windows overlapping by 2 s)
awk -F, 'NR > 2 { if ($2 != prev + 1) exit 1 } NR > 1 { prev = $2 }' "$tmp/w10.csv" || fail "window numbers"
awk -F, 'NR > 2 { d = $3 - prev; if (d < 7.9 || d > 8.1) exit 1 } NR > 1 { prev = $3 }' "$tmp/w10.csv" || fail "window starts 8 s apart"
# --overlap-fraction is jSymbolic's argument: 0.2 of 10 s is the same as --overlap 2
"$EMOGEN" features --window 10 --overlap-fraction 0.2 "$fx/pop909__230.mid" 2>/dev/null | cmp -s - "$tmp/w10.csv" || fail "--overlap-fraction"
for bad in "--window 0" "--window -1" "--window x" "--overlap 1" "--window 5 --overlap 5" "--window 5 --overlap-fraction 1" \
           "--window 5 --overlap 1 --overlap-fraction 0.1"; do
  set +e; "$EMOGEN" features $bad "$fx/pop909__230.mid" >/dev/null 2>&1; rc=$?; set -e
  [ "$rc" = 2 ] || fail "'$bad' should be a usage error (2), got $rc"
done
echo "cli.features: ok"
