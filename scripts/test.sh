#!/usr/bin/env bash
# Runs every test of cunwu on a fresh Debian 12 machine: installs what is missing, then builds
# and runs the whole suite natively, under ASan+UBSan, and as WebAssembly under node, plus the
# examples (registered as tests) and one benchmark comparison run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs it

jobs=${CUNWU_JOBS:-$(nproc)}
summary=()
for preset in native native-asan wasm; do
  echo "=== ${preset}: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== ${preset}: tests"
  start=$(date +%s)
  ctest --test-dir "build/$preset" -j "$jobs" --output-on-failure --timeout 900
  summary+=("${preset}: passed in $(( $(date +%s) - start )) s")
done

echo "=== benchmark: native vs wasm (fold of appeal ops)"
scripts/bench.sh build/native build/wasm

printf '%s\n' "${summary[@]}"
