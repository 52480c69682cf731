#!/usr/bin/env bash
# jobs/test.sh: set up, build (Release and ASan+UBSan) and run every test with ctest in both builds,
# then run each fuzz target briefly under ASan+UBSan. Exits non-zero on any failure.
# Tests on the big corpora read $EMOGEN_SHARED (default ../shared beside the repo) and skip when it
# is missing, except under CI=true, where missing data fails.
#   jobs/test.sh [--quick]    --quick: Release build only, no sanitizer build, no fuzzing
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0; [ "${1:-}" = "--quick" ] && quick=1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
if [ $quick = 1 ]; then jobs/setup.sh --test-deps || exit 1
else jobs/setup.sh --test-deps --sanitize || exit 1; fi
status=0
echo "== tests, Release build =="
(cd build && ctest --output-on-failure -j2) || status=1
if [ $quick = 0 ]; then
  echo "== tests, AddressSanitizer + UndefinedBehaviorSanitizer build =="
  (cd build-san && ctest --output-on-failure -j2) || status=1
  if [ -d tests/fuzz ] && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
    echo "== fuzzing (libFuzzer, ASan+UBSan, ${EMOGEN_FUZZ_SECONDS:-30} s per target) =="
    jobs/fuzz.sh "${EMOGEN_FUZZ_SECONDS:-30}" || status=1
  fi
fi
[ $status = 0 ] && echo "jobs/test.sh: all test suites passed" || echo "jobs/test.sh: FAILURES (see above)"
exit $status
