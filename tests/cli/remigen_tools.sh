#!/usr/bin/env bash
# remigen_tools: `emogen tokenize` and `emogen detokenize` on the vendored fixtures
# (tests/data/remigen/): output equal to the reference token files, the EmoGen file layout, ids,
# dictionaries, batch mode with a rejected file, strict and lenient decoding, exit codes.
set -u
E=${EMOGEN:?set EMOGEN to the emogen executable}
D=${EMOGEN_SOURCE_DIR:?set EMOGEN_SOURCE_DIR}/tests/data/remigen
T=$(mktemp -d /tmp/emogen_remigen.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails+1)); }
check() { [ "$2" = "$3" ] && ok "$1" || bad "$1 (got '$3', expected '$2')"; }
strip() { tr -d '\n' < "$1" | sed 's/ *$//'; }

# one file -> one line on stdout, equal to the reference tokens
for n in Q1_0vLPYiPN7qY_0 emogen_examples_11 pop909_766; do
  "$E" tokenize "$D/midi/$n.mid" > "$T/$n.out"; check "tokenize $n exit" 0 $?
  [ "$(wc -l < "$T/$n.out")" = 1 ] && ok "tokenize $n: one line" || bad "tokenize $n: not one line"
  [ "$(strip "$T/$n.out")" = "$(strip "$D/tokens/$n.txt")" ] && ok "tokenize $n = reference" || bad "tokenize $n differs"
done

# --ids: full-vocabulary ids; --dict: Piano ids. The file starts with s-19 (6/8): full id 610 + 19,
# Piano id 344 (line 341 of dict_Piano.txt + the 4 specials - 1); b-1 is full id 0, Piano id 4
ids=$("$E" tokenize --ids "$D/midi/emogen_examples_11.mid"); check "tokenize --ids exit" 0 $?
check "ids count" 1272 "$(echo $ids | wc -w)"
check "first full id is s-19 (610 + 19)" 629 "$(echo $ids | cut -d' ' -f1)"
check "last full id is b-1" 0 "$(echo $ids | awk '{print $NF}')"
pids=$("$E" tokenize --ids --dict "$D/dict_Piano.txt" "$D/midi/emogen_examples_11.mid")
check "first Piano id is s-19" 344 "$(echo $pids | cut -d' ' -f1)"
check "last Piano id is b-1" 4 "$(echo $pids | awk '{print $NF}')"
"$E" tokenize --dict "$D/dict_Piano.txt" "$D/midi/emogen_examples_11.mid" >/dev/null 2>&1; check "--dict without --ids" 2 $?

# batch: -o DIR, one .txt per input in EmoGen's layout (tokens, \n, empty line); a bad file is
# listed at the end and the exit code is 1; the good files are still written
printf 'not a midi file' > "$T/broken.mid"
"$E" tokenize -q -o "$T/out" "$D/midi/Q4_Xf2fox7zhCQ_0.mid" "$T/broken.mid" "$D/midi/emogen_examples_7.mid" \
  2> "$T/batch.err"; rc=$?
check "batch with a bad file exits 1" 1 $rc
grep -q "broken.mid" "$T/batch.err" && ok "batch names the rejected file" || bad "batch does not name the rejected file"
for n in Q4_Xf2fox7zhCQ_0 emogen_examples_7; do
  [ -f "$T/out/$n.txt" ] && cmp -s "$T/out/$n.txt" "$D/tokens/$n.txt" && ok "batch wrote $n.txt byte-identical to EmoGen's" \
    || bad "batch output $n.txt"
done
printf '%s\n%s\n' "$D/midi/Q4_Xf2fox7zhCQ_0.mid" "$D/midi/emogen_examples_7.mid" > "$T/list.txt"
"$E" tokenize -q -o "$T/out2" --list "$T/list.txt" 2>/dev/null; rc=$?
check "batch --list exit (no rejects)" 0 $rc
[ -f "$T/out2/emogen_examples_7.txt" ] && ok "--list output written" || bad "--list output missing"
# two inputs with one base name: the second is rejected, unless --tree keeps their folders apart
mkdir -p "$T/x" "$T/y"; cp "$D/midi/emogen_examples_7.mid" "$T/x/a.mid"; cp "$D/midi/emogen_examples_11.mid" "$T/y/a.mid"
"$E" tokenize -q -o "$T/out3" "$T/x/a.mid" "$T/y/a.mid" 2>/dev/null; check "same base name twice exits 1" 1 $?
cmp -s "$T/out3/a.txt" "$D/tokens/emogen_examples_7.txt" && ok "the first one is kept" || bad "same base name: first output"
"$E" tokenize -q -o "$T/out4" --tree "$T" "$T/x/a.mid" "$T/y/a.mid"; check "--tree exit" 0 $?
cmp -s "$T/out4/x/a.txt" "$D/tokens/emogen_examples_7.txt" && cmp -s "$T/out4/y/a.txt" "$D/tokens/emogen_examples_11.txt" \
  && ok "--tree keeps the folders" || bad "--tree outputs"
"$E" tokenize "$D/midi/Q4_Xf2fox7zhCQ_0.mid" "$D/midi/emogen_examples_7.mid" >/dev/null 2>&1
check "two inputs without -o" 2 $?
"$E" tokenize "$T/broken.mid" > /dev/null 2> "$T/one.err"; check "one bad file exits 1" 1 $?
grep -q "broken.mid" "$T/one.err" && ok "one bad file: named on stderr" || bad "one bad file: not named"

# detokenize: strings, full ids and Piano ids give the same MIDI bytes
"$E" detokenize -q "$D/tokens/emogen_examples_11.txt" -o "$T/a.mid"; check "detokenize exit" 0 $?
echo $ids > "$T/ids.txt"; echo $pids > "$T/pids.txt"
"$E" detokenize -q --ids "$T/ids.txt" -o "$T/b.mid"; check "detokenize --ids exit" 0 $?
"$E" detokenize -q --dict "$D/dict_Piano.txt" "$T/pids.txt" -o "$T/c.mid"; check "detokenize --dict exit" 0 $?
cmp -s "$T/a.mid" "$T/b.mid" && cmp -s "$T/a.mid" "$T/c.mid" && ok "same MIDI from strings, ids, Piano ids" \
  || bad "MIDI differs between strings / ids / Piano ids"
head -c 4 "$T/a.mid" | grep -q MThd && ok "output is a MIDI file" || bad "output is not MIDI"
# the decoded file tokenizes back to the same tokens (no same-pitch overlaps, no d-0 in this file)
[ "$("$E" tokenize "$T/a.mid")" = "$(strip "$D/tokens/emogen_examples_11.txt")" ] \
  && ok "tokenize(detokenize(t)) = t" || bad "tokenize(detokenize(t)) differs"

# strict (default) stops at the first invalid token and names it; lenient skips and counts
printf 's-9 t-35 o-0 i-0 p-60 <unk> d-4 v-20 b-1\n' > "$T/badtok.txt"
"$E" detokenize "$T/badtok.txt" -o "$T/d.mid" 2> "$T/strict.err"; check "strict invalid token exits 1" 1 $?
grep -q "token 5" "$T/strict.err" && ok "strict names the token index" || bad "strict message: $(cat "$T/strict.err")"
[ -e "$T/d.mid" ] && bad "strict wrote a file" || ok "strict wrote no file"
"$E" detokenize --lenient "$T/badtok.txt" -o "$T/d.mid" 2> "$T/lenient.err"; check "lenient exits 0" 0 $?
grep -q "skipped 1 invalid" "$T/lenient.err" && ok "lenient counts the skipped token" || bad "lenient message: $(cat "$T/lenient.err")"
"$E" detokenize "$T/badtok.txt" >/dev/null 2>&1; check "detokenize without -o" 2 $?
"$E" detokenize >/dev/null 2>&1; check "detokenize without input" 2 $?
"$E" detokenize "$T/nonexistent.txt" -o "$T/e.mid" >/dev/null 2>&1; check "detokenize missing input" 1 $?

[ $fails -eq 0 ] && echo "remigen_tools: all checks passed" && exit 0
echo "remigen_tools: $fails checks failed"; exit 1
