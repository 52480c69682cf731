#!/usr/bin/env bash
# cli_basics: the command-line contract: --help everywhere (exit 0), usage errors exit 2,
# `version` names the five linked libraries, and commands run both plainly and under mpirun.
set -u
E=${EMOGEN:?set EMOGEN to the emogen executable}
fails=0
check() { # check "description" expected_rc actual_rc
  if [ "$2" != "$3" ]; then echo "FAIL: $1 (exit $3, expected $2)"; fails=$((fails+1)); else echo "ok: $1"; fi
}
"$E" --help > /tmp/emogen_help.$$ 2>&1; check "emogen --help" 0 $?
grep -q "commands:" /tmp/emogen_help.$$ || { echo "FAIL: --help lists no commands"; fails=$((fails+1)); }
for cmd in $(awk '/^commands:/{f=1;next} f && NF {print $1}' /tmp/emogen_help.$$); do
  out=$("$E" "$cmd" --help 2>&1); rc=$?
  check "emogen $cmd --help" 0 $rc
  case "$out" in *usage*) ;; *) echo "FAIL: emogen $cmd --help prints no usage line"; fails=$((fails+1));; esac
  "$E" "$cmd" --no-such-flag-xyz >/dev/null 2>&1; check "emogen $cmd --no-such-flag-xyz" 2 $?
done
rm -f /tmp/emogen_help.$$
"$E" >/dev/null 2>&1; check "emogen (no command)" 2 $?
"$E" frobnicate >/dev/null 2>&1; check "emogen frobnicate (unknown command)" 2 $?
v=$("$E" version); check "emogen version" 0 $?
for lib in "Open MPI" "HDF5" "parallel" "libarchive" "OpenBLAS" "cJSON"; do
  case "$v" in *"$lib"*) ;; *) echo "FAIL: version output lacks $lib"; fails=$((fails+1));; esac
done
if command -v mpirun >/dev/null; then
  n=$(mpirun -np 2 --oversubscribe "$E" version 2>/dev/null | grep -c '^emogen '); check "version under mpirun -np 2" 2 "$n"
fi
[ $fails -eq 0 ] && echo "cli_basics: all checks passed" && exit 0
echo "cli_basics: $fails checks failed"; exit 1
