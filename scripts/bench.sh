#!/usr/bin/env bash
# Runs the fold benchmark natively and as WebAssembly under node, then prints ops/s on both
# targets, the native/WASM ratio, and PASS/FAIL against the targets:
#   native  >= 100k ops/s
#   WASM    within 2.5x of native
# It reports, it does not gate: exit 0 even when a target is missed, non-zero only when a run
# crashed or failed its own checks. Builds nothing: build both presets first.
#
# usage: scripts/bench.sh [native-build-dir] [wasm-build-dir] [-- extra benchmark flags]
#   defaults: build/native build/wasm. CUNWU_BENCH_OPS (default 100000) sets the op count.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
native_dir="build/native"
wasm_dir="build/wasm"
[[ $# -gt 0 && "$1" != "--" ]] && { native_dir="$1"; shift; }
[[ $# -gt 0 && "$1" != "--" ]] && { wasm_dir="$1"; shift; }
[[ $# -gt 0 && "$1" == "--" ]] && shift
extra=("$@")

cd "$root" || exit 2
native_bin="$native_dir/tests/bench/fold_bench"
wasm_js="$wasm_dir/tests/bench/fold_bench.js"
for f in "$native_bin" "$wasm_js"; do
  if [[ ! -f "$f" ]]; then
    echo "bench.sh: $f not found; build it first (cmake --build $(dirname "$(dirname "$(dirname "$f")")"))" >&2
    exit 2
  fi
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
failed=0

echo "== native: $native_bin (CUNWU_BENCH_OPS=${CUNWU_BENCH_OPS:-100000})"
"$native_bin" --benchmark_out="$out/native.json" --benchmark_out_format=json "${extra[@]}"
rc=$?
if [[ $rc -ne 0 ]]; then echo "bench.sh: native run failed (exit $rc)" >&2; failed=1; fi

echo "== wasm: node $wasm_js"
node --no-experimental-fetch "$wasm_js" --benchmark_out="$out/wasm.json" --benchmark_out_format=json "${extra[@]}"
rc=$?
if [[ $rc -ne 0 ]]; then echo "bench.sh: wasm run failed (exit $rc)" >&2; failed=1; fi

python3 - "$out/native.json" "$out/wasm.json" <<'EOF' || failed=1
import json, sys

NATIVE_TARGET = 100_000  # ops/s
RATIO_TARGET = 2.5       # WASM may be at most this many times slower than native

def load(path):
    try:
        with open(path) as f:
            runs = json.load(f)["benchmarks"]
    except (OSError, ValueError, KeyError) as e:
        print(f"bench.sh: cannot read {path}: {e}", file=sys.stderr)
        return None
    # "ingest/in_order/iterations:1/real_time" -> "ingest/in_order"
    return {r["name"].split("/iterations:")[0]: r for r in runs if r.get("run_type", "iteration") == "iteration"}

native, wasm = load(sys.argv[1]), load(sys.argv[2])
if native is None or wasm is None:
    sys.exit(1)

def rate(runs, name):
    r = runs.get(name)
    return None if r is None or r.get("error_occurred") else r.get("items_per_second")

def fmt(x):
    return "-" if x is None else f"{x:,.0f}"

names = list(native) + [n for n in wasm if n not in native]
print()
print(f"{'benchmark':<20} {'native ops/s':>14} {'wasm ops/s':>14}  native/wasm")
for name in names:
    n, w = rate(native, name), rate(wasm, name)
    ratio = f"{n / w:.1f}x  (wasm is {n / w:.1f}x slower)" if n and w else "-"
    print(f"{name:<20} {fmt(n):>14} {fmt(w):>14}  {ratio}")
print()
bad = False
for name in names:
    n, w = rate(native, name), rate(wasm, name)
    if n is None or w is None:
        print(f"{name}: no result (run failed)")
        bad = True
        continue
    ok_native = n >= NATIVE_TARGET
    ok_ratio = n / w <= RATIO_TARGET
    print(f"{'PASS' if ok_native and ok_ratio else 'FAIL'} {name}: "
          f"native {n / 1000:.1f}k ops/s {'>=' if ok_native else '<'} {NATIVE_TARGET // 1000}k "
          f"[{'ok' if ok_native else 'missed'}], "
          f"wasm {n / w:.1f}x slower {'<=' if ok_ratio else '>'} {RATIO_TARGET}x "
          f"[{'ok' if ok_ratio else 'missed'}]")
sys.exit(1 if bad else 0)
EOF

exit $failed
