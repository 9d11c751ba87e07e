#!/usr/bin/env bash
# Runs every test of cunwu on a fresh Debian 12 machine: installs what is missing, then builds
# and runs the whole suite natively, under ASan+UBSan, and as WebAssembly under node, plus the
# examples (registered as tests), the WASM client against the real host (integration), a short
# libFuzzer run of the sync message parser and the benchmark comparison runs.
set -euo pipefail
script_start=$(date +%s)
cd "$(dirname "$0")/.."
scripts/setup.sh
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs it

jobs=${CUNWU_JOBS:-$(nproc)}
suite_start=$(date +%s)
summary=("setup: $(( suite_start - script_start )) s")
for preset in native native-asan wasm; do
  echo "=== ${preset}: configure and build"
  start=$(date +%s)
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  built=$(( $(date +%s) - start ))
  echo "=== ${preset}: tests"
  start=$(date +%s)
  ctest --test-dir "build/$preset" -j "$jobs" --output-on-failure --timeout 900
  summary+=("${preset}: built in ${built} s, tests passed in $(( $(date +%s) - start )) s")
done

echo "=== integration: WASM client under node against the real host"
start=$(date +%s)
node tests/integration/wasm_client.mjs
summary+=("integration (WASM client, real host): passed in $(( $(date +%s) - start )) s")

echo "=== web: the app in headless chromium against the real host (tests/web/e2e.mjs)"
start=$(date +%s)
# playwright-core, pinned in web/package-lock.json; installed once (again only if the pin changes).
if ! cmp -s web/package-lock.json web/node_modules/.cunwu-installed-lock 2>/dev/null; then
  (cd web && npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.cunwu-installed-lock)
fi
node tests/web/e2e.mjs
summary+=("web (browser e2e, real host): passed in $(( $(date +%s) - start )) s; screenshots in build/screenshots/")

echo "=== fuzz: the sync message parser under libFuzzer (ASan+UBSan), ${CUNWU_FUZZ_SECONDS:-30} s"
start=$(date +%s)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"
corpus=$(mktemp -d)
cp shared/protocol/examples/*.json "$corpus/"
build/fuzz/tests/fuzz/sync_message_fuzz -max_total_time="${CUNWU_FUZZ_SECONDS:-30}" -max_len=65536 \
  -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
rm -rf "$corpus"
summary+=("fuzz: sync message parser ran ${CUNWU_FUZZ_SECONDS:-30} s without a finding ($(( $(date +%s) - start )) s with its build)")

echo "=== benchmark: native vs wasm (fold of appeal ops)"
start=$(date +%s)
scripts/bench.sh build/native build/wasm
summary+=("benchmark, fold: $(( $(date +%s) - start )) s")

echo "=== benchmark: sync over loopback (WASM and native devices, 200 pushing devices, PouchDB)"
start=$(date +%s)
scripts/sync_bench.sh build/native build/wasm
summary+=("benchmark, sync: $(( $(date +%s) - start )) s")

printf '%s\n' "${summary[@]}" "whole suite: $(( $(date +%s) - script_start )) s"
