#!/usr/bin/env bash
# jobs/setup.sh: install what emogen needs (Debian 12 packages) and build it.
# Idempotent: installs only missing packages (one `apt-get update` first), then configures and
# builds; with everything present it only runs an incremental build (a few seconds).
#   jobs/setup.sh              Release build in build/ (-O3 -march=native)
#   jobs/setup.sh --sanitize   also an ASan+UBSan build in build-san/
#   jobs/setup.sh --test-deps  also the tools the tests use (jq, bsdtar, clang for fuzzing, midicsv)
#   jobs/setup.sh --no-build   packages only
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=0; testdeps=0; build=1
for a in "$@"; do
  case "$a" in
    --sanitize) sanitize=1 ;;
    --test-deps) testdeps=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "jobs/setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

pkgs=(gcc make cmake pkg-config openmpi-bin libopenmpi-dev libhdf5-openmpi-dev hdf5-tools
      libarchive-dev libopenblas-dev libcjson-dev jq)
[ $testdeps = 1 ] && pkgs+=(libarchive-tools clang libclang-rt-14-dev midicsv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ $build = 1 ] || exit 0

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- ' || true
test -x build/bin/emogen || { echo "setup: build failed" >&2; exit 1; }
if [ $sanitize = 1 ]; then
  cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DEMOGEN_SANITIZE=ON >/dev/null
  cmake --build build-san -j"$jobs" 2>&1 | grep -Ev '^\[ *[0-9]+%\]|^-- ' || true
  test -x build-san/bin/emogen || { echo "setup: sanitizer build failed" >&2; exit 1; }
fi
echo "setup: built build/bin/emogen$([ $sanitize = 1 ] && echo ' and build-san/bin/emogen')" >&2
