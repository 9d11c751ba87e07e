#!/usr/bin/env bash
# Sync benchmark, one run on loopback, against the real cunwu-server:
#   1. host A (cunwu-admin demo) is seeded to 10k, then 100k appeal ops, pushed through
#      /v1/sync by native devices (tests/bench/sync_driver seed: villagers file, courtyard heads
#      handle, villagers rate; 12 ops an appeal). At each size a fresh device of the county staff
#      member (staff-qs, who receives the whole county) syncs from nothing (the host's snapshot
#      of the user's scope, POST /v1/snapshot, then incremental syncs): once as the
#      WebAssembly core under node (tests/bench/wasm_sync.mjs, database on disk via NODERAWFS;
#      --fresh 1: the host builds the snapshot on request) and once natively (sync_driver pull).
#      Then 1% more ops are pushed; a second WASM device of the same user starts from the
#      snapshot the host kept from the first's request ("prepared", 1% behind, then caught up
#      by syncing), and both first devices sync again (incremental).
#   2. host B (--threads 256) gets 200 villagers (one invite, POST /v1/auth/register) whose 200
#      devices then push at once, 5 round trips of 5 new appeals each, back to back, each a
#      normal sync (push, and pull from the device's cursor) (sync_driver load): ops/s accepted
#      and request latency p50/p99. Three such runs, each with 200 new devices of the same
#      villagers; the median run (by ops/s) is judged for throughput. Then three runs where
#      the same 200 devices offer 10,000 ops/s together on a fixed schedule (open loop, 10
#      requests of 5 ops each): the median run (by p99) is judged for latency. Back to back,
#      the latency only restates the throughput (200 x 5 ops in flight / ops per second,
#      Little's law). Then a diagnostic run with pulls that find nothing, to tell the push's
#      cost from the pull's.
#   3. The peer: PouchDB 9 + express-pouchdb 4.2 (npm, pinned, installed once into
#      .deps/pouchdb-bench), the same record counts written to the server, replication to a
#      fresh PouchDB client (leveldb adapter, on disk) timed, then 1% more and again.
# It prints one table with our figures, PouchDB's and the ratios, and PASS/MISS against the
# targets (initial sync to the WASM device: 10k ops <= 0.3 s, 100k <= 3 s, judged apart for a
# snapshot the host built on request and for one it had kept from an earlier build for the same
# user (a second device, after 1% more ops: it catches up by syncing); ingest >= 10k ops/s
# with p99 <= 100 ms at 200 devices, the p99 at 10k ops/s offered). A miss does not fail the
# script; an error does.
# Takes about 3-4 minutes on 2 cores (plus the npm install the first time). Builds nothing:
# build the native and wasm presets first.
#
# usage: scripts/sync_bench.sh [native-build-dir] [wasm-build-dir]   (default build/native build/wasm)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
native_dir="${1:-build/native}"
wasm_dir="${2:-build/wasm}"
server="$native_dir/native/cunwu-server"
admin="$native_dir/native/cunwu-admin"
driver="$native_dir/tests/bench/sync_driver"
export CUNWU_WASM_MODULE="$root/$wasm_dir/web/cunwu_core.js"
for f in "$server" "$admin" "$driver" "$CUNWU_WASM_MODULE"; do
  [[ -f "$f" ]] || { echo "sync_bench.sh: $f not found; build the native and wasm presets first" >&2; exit 2; }
done

pouch_dir="$root/.deps/pouchdb-bench"
pouch_pkgs="pouchdb@9.0.0 express-pouchdb@4.2.0 express@4.21.2"
staff_phone=13800000015   # staff-qs, county staff: receives every op of the county

work="$(mktemp -d /tmp/cunwu-sync-bench.XXXXXX)"
results="$work/results.jsonl"
pids=()
cleanup() {
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "sync_bench.sh: $*" >&2
  exit 1
}
step() { echo "== $(date +%H:%M:%S) $*"; }
# record KEY JSON: keeps one measurement for the table.
record() { printf '{"key":"%s","r":%s}\n' "$1" "$2" >>"$results"; echo "   $1: $2"; }

# start_host NAME [server flags...]: a demo county in $work/NAME served on a free port; sets PORT.
start_host() {
  local name="$1"
  shift
  "$admin" demo --data "$work/$name" >/dev/null || fail "cunwu-admin demo failed"
  "$server" --data "$work/$name" --port 0 "$@" >"$work/$name.out" 2>"$work/$name.log" &
  local pid=$!
  pids+=("$pid")
  PORT=""
  for _ in $(seq 100); do
    PORT="$(sed -n 's|.*listening on http://[^:]*:\([0-9]*\)/.*|\1|p' "$work/$name.out")"
    [[ -n "$PORT" ]] && break
    kill -0 "$pid" 2>/dev/null || fail "cunwu-server $name exited: $(tail -n 3 "$work/$name.log")"
    sleep 0.1
  done
  [[ -n "$PORT" ]] || fail "cunwu-server $name did not start"
}

# --- the peer's packages (once) ---------------------------------------------------------
step "PouchDB: $pouch_pkgs in ${pouch_dir#"$root"/}"
if [[ "$(cat "$pouch_dir/installed.txt" 2>/dev/null)" != "$pouch_pkgs" ]]; then
  mkdir -p "$pouch_dir"
  echo '{"private": true, "description": "PouchDB for scripts/sync_bench.sh"}' >"$pouch_dir/package.json"
  # shellcheck disable=SC2086
  npm install --prefix "$pouch_dir" --no-audit --no-fund --save-exact --loglevel=error $pouch_pkgs >/dev/null ||
    fail "npm install $pouch_pkgs failed"
  echo "$pouch_pkgs" >"$pouch_dir/installed.txt"
else
  echo "   already installed"
fi

# --- host A: initial and incremental sync at 10k and 100k ops ---------------------------
start_host county-a
port_a=$PORT
for size in 10000 100000; do
  step "host A: seeding to $size ops through /v1/sync (native devices)"
  out="$("$driver" seed --port "$port_a" --target-ops "$size" --state "$work")" || fail "seeding failed"
  record "seed_$size" "$out"
  step "host A: initial sync, WASM device under node ($size), snapshot built on request"
  out="$(node tests/bench/wasm_sync.mjs --server "http://127.0.0.1:$port_a" --phone $staff_phone \
         --db "$work/wasm-$size.db" --replica "wasm-staff-$size" --fresh 1)" || fail "WASM initial sync failed"
  record "wasm_initial_$size" "$out"
  step "host A: initial sync, native device ($size)"
  out="$("$driver" pull --port "$port_a" --phone $staff_phone --db "$work/native-$size.db" \
         --replica "native-staff-$size")" || fail "native initial sync failed"
  record "native_initial_$size" "$out"
  ops_now="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["ops"])' "$out")"
  step "host A: 1% more ops, then incremental syncs"
  out="$("$driver" seed --port "$port_a" --target-ops $((ops_now + size / 100)) --state "$work")" || fail "seeding 1% failed"
  record "seed_inc_$size" "$out"
  step "host A: initial sync, a second WASM device of the same user, snapshot prepared (kept from the first's, 1% behind)"
  out="$(node tests/bench/wasm_sync.mjs --server "http://127.0.0.1:$port_a" --phone $staff_phone \
         --db "$work/wasm-$size-2.db" --replica "wasm-staff-$size-2")" || fail "WASM initial sync (prepared) failed"
  record "wasm_prepared_$size" "$out"
  out="$(node tests/bench/wasm_sync.mjs --server "http://127.0.0.1:$port_a" --phone $staff_phone \
         --db "$work/wasm-$size.db" --replica "wasm-staff-$size")" || fail "WASM incremental sync failed"
  record "wasm_incremental_$size" "$out"
  out="$("$driver" pull --port "$port_a" --phone $staff_phone --db "$work/native-$size.db" \
         --replica "native-staff-$size")" || fail "native incremental sync failed"
  record "native_incremental_$size" "$out"
done

# --- host B: 200 devices pushing at once ------------------------------------------------
# Its own county: official numbers are per county and day, YYYYMMDD + 3 to 6 digits; host A has
# numbered about 8,400 appeals today already, host B numbers the 49,000 below from 001.
start_host county-b --threads 256
host_b_pid="${pids[-1]}"
port_b=$PORT
step "host B: 200 villagers register with one invite code"
invite="$("$admin" invite --data "$work/county-b" --courtyard qs/dq/hs/y1 --uses 200 --days 1 |
          sed -n 's/^invite code: \([A-Z0-9]*\).*/\1/p')"
[[ -n "$invite" ]] || fail "no invite code from cunwu-admin invite"
out="$("$driver" register --port "$port_b" --invite "$invite" --count 200 --out "$work/accounts.txt")" ||
  fail "registration failed"
record register "$out"
for run in 1 2 3; do
  step "host B: 200 devices push 5 x 5 new appeals each, at once (run $run of 3)"
  out="$("$driver" load --port "$port_b" --accounts "$work/accounts.txt" --courtyard qs/dq/hs/y1 \
         --requests 5 --ops 5 --cursors "$work/cursors.txt" --host-pid "$host_b_pid")" || fail "ingest load failed"
  record "ingest_$run" "$out"
done
# Back to back, 200 devices with one request of 5 ops each in flight always wait about
# 200 x 5 / throughput for an answer (Little's law): at 10,000 ops/s that is 100 ms for every
# request, whatever the host does. The latency target is judged where it means something: at
# 10,000 ops/s offered by the same 200 devices on a fixed schedule (open loop; a request's
# latency counts from when it was due, so a host that falls behind is charged for the wait).
for run in 1 2 3; do
  step "host B: 200 devices offer 10,000 ops/s together, 10 x 5 new appeals each (run $run of 3)"
  out="$("$driver" load --port "$port_b" --accounts "$work/accounts.txt" --courtyard qs/dq/hs/y1 \
         --requests 10 --ops 5 --rate 10000 --cursors "$work/cursors.txt" \
         --host-pid "$host_b_pid")" || fail "ingest load at 10,000 ops/s failed"
  record "paced_$run" "$out"
done
step "host B: the same, push only (diagnostic: a cursor beyond the log, so the pulls find nothing)"
out="$("$driver" load --port "$port_b" --accounts "$work/accounts.txt" --courtyard qs/dq/hs/y1 \
       --requests 4 --ops 5 --pull none --host-pid "$host_b_pid")" || fail "push-only load failed"
record ingest_push_only "$out"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
pids=()

# --- the peer ---------------------------------------------------------------------------
step "PouchDB: write 10k then 100k documents to express-pouchdb, replicate to a fresh client"
while IFS= read -r line; do
  record "pouchdb_$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["records"])' "$line")" "$line"
done < <(node tests/bench/pouchdb_sync.mjs --deps "$pouch_dir" --dir "$work/pouchdb" --counts 10000,100000 ||
         echo '{"records":"failed"}')
grep -q '"pouchdb_failed"' "$results" && fail "the PouchDB run failed"

# --- the table --------------------------------------------------------------------------
python3 - "$results" <<'PY'
import json, sys

r = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    r[j["key"]] = j["r"]

def s(ms):
    return f"{ms / 1000:.2f} s"

rows, verdicts = [], []
for size in (10000, 100000):
    w, n, p = r[f"wasm_initial_{size}"], r[f"native_initial_{size}"], r[f"pouchdb_{size}"]
    label = f"initial sync, {w['ops']:,} ops, snapshot built on request"
    rows.append((label, s(w["ms"]), s(n["ms"]), f"{s(p['initial_ms'])} ({p['records']:,} docs)",
                 f"{p['initial_ms'] / w['ms']:.1f}x"))
    target = 0.3 if size == 10000 else 3.0
    def verdict(w, how):
        ok = w["ms"] / 1000 <= target
        sn = w["snapshot"] or {}
        return (f"{'PASS' if ok else 'MISS'} initial sync of {size // 1000}k ops to the WASM device, snapshot {how}: "
                f"{w['ms'] / 1000:.2f} s {'<=' if ok else '>'} {target} s "
                f"(waiting for the host {w['http_ms'] / 1000:.2f} s, opening and applying in WASM {w['apply_ms'] / 1000:.2f} s, "
                f"snapshot of {sn.get('bytes', 0) / 1e6:.1f} MB, {sn.get('wire_bytes', 0) / 1e6:.2f} MB gzipped, "
                f"{sn.get('source', '?')} by the host, {sn.get('behind', 0):,} ops behind, "
                f"then {w['trips']} round trip(s) pulling {w['pulled']:,} ops)")
    verdicts.append(verdict(w, "built on request"))
    wp = r[f"wasm_prepared_{size}"]
    rows.append((f"initial sync, {wp['ops']:,} ops, prepared snapshot ({(wp['snapshot'] or {}).get('behind', 0):,} behind)",
                 s(wp["ms"]), "-", "", ""))
    verdicts.append(verdict(wp, "prepared in advance (kept from the first device's build)"))
    wi, ni = r[f"wasm_incremental_{size}"], r[f"native_incremental_{size}"]
    rows.append((f"incremental sync, {wi['pulled']:,} new ops (1%)", s(wi["ms"]), s(ni["ms"]),
                 f"{s(p['incremental_ms'])} ({p['incremental_records']:,} docs)", f"{p['incremental_ms'] / wi['ms']:.1f}x"))
# The median of the three runs of each kind: one run of about a second swings by a third on a
# shared machine. Throughput from the runs back to back, with their own latencies; latency from
# the runs at the target rate (see the script's header).
runs = sorted((r[f"ingest_{k}"] for k in (1, 2, 3)), key=lambda g: g["ops_per_s"])
g = runs[1]
rows.append((f"host ingest, {g['clients']} devices pushing back to back (median of 3 runs)", "-",
             f"{g['ops_per_s']:,.0f} ops/s", "not measured", ""))
rows.append(("  each run: ops/s, p99", "", ", ".join(f"{x['ops_per_s']:,.0f} {x['p99_ms']:.0f} ms" for x in runs), "", ""))
rows.append(("  request latency p50 / p99", "", f"{g['p50_ms']:.0f} / {g['p99_ms']:.0f} ms", "", ""))
if g.get("host_cpu_ms", -1) >= 0:
    rows.append(("  CPU while it ran: host per op / driver", "",
                 f"{1000 * g['host_cpu_ms'] / g['ops']:.0f} us / {g['driver_cpu_ms']:.0f} ms", "", ""))
paced = sorted((r[f"paced_{k}"] for k in (1, 2, 3)), key=lambda x: x["p99_ms"])
q = paced[1]
rows.append((f"host ingest, {q['clients']} devices offering {q['offered_ops_per_s']:,.0f} ops/s (median of 3 by p99)", "-",
             f"{q['ops_per_s']:,.0f} ops/s", "not measured", ""))
rows.append(("  each run: p50 / p99", "", ", ".join(f"{x['p50_ms']:.0f} / {x['p99_ms']:.0f} ms" for x in paced), "", ""))
if q.get("host_cpu_ms", -1) >= 0:
    rows.append(("  CPU while it ran: host per op / driver", "",
                 f"{1000 * q['host_cpu_ms'] / q['ops']:.0f} us / {q['driver_cpu_ms']:.0f} ms", "", ""))
for label, x in (("back to back", g), ("at 10,000 ops/s", q)):
    rows.append((f"  the host's writer {label}: batches, requests each, busy", "",
                 f"{x['batches']:.0f}, {x['requests_per_batch']:.1f}, {100 * x['writer_busy']:.0f}%", "", ""))
ok_rate, ok_p99 = g["ops_per_s"] >= 10000, q["p99_ms"] <= 100
verdicts.append(f"{'PASS' if ok_rate else 'MISS'} ingest at {g['clients']} devices: {g['ops_per_s']:,.0f} ops/s "
                f"{'>=' if ok_rate else '<'} 10,000 ({g['ops']:,} ops, {g['requests']:,} requests of 5 ops back to back "
                f"in {g['seconds']:.2f} s; p50 {g['p50_ms']:.0f} ms, p99 {g['p99_ms']:.0f} ms, which back to back is about "
                f"{g['clients']} x 5 / throughput)")
verdicts.append(f"{'PASS' if ok_p99 else 'MISS'} ingest p99 latency at {q['offered_ops_per_s']:,.0f} ops/s offered by "
                f"{q['clients']} devices: {q['p99_ms']:.0f} ms {'<=' if ok_p99 else '>'} 100 ms "
                f"(p50 {q['p50_ms']:.0f} ms, max {q['max_ms']:.0f} ms; {q['ops']:,} ops answered at {q['ops_per_s']:,.0f} ops/s)")
d = r["ingest_push_only"]
rows.append(("  the same, push only (diagnostic)", "-", f"{d['ops_per_s']:,.0f} ops/s", "", ""))
rows.append(("  request latency p50 / p99", "", f"{d['p50_ms']:.0f} / {d['p99_ms']:.0f} ms", "", ""))

head = ("", "cunwu WASM (node)", "cunwu native", "PouchDB 9 (leveldb)", "PouchDB / WASM")
widths = [max(len(str(x[i])) for x in rows + [head]) for i in range(5)]
print()
print("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(head)))
for row in rows:
    print("  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(row)))
print("PouchDB / WASM: PouchDB's time divided by ours; above 1 means the cunwu WASM device was faster.")
print("Both devices keep their database on disk (SQLite through NODERAWFS; PouchDB's leveldb adapter);")
print("both hosts are separate processes on loopback; a new cunwu device starts from the host's snapshot (one SQLite file),")
print("later syncs pull 1000 ops a trip (PouchDB replicates with batch_size 1000 throughout).")
for k in ("seed_10000", "seed_100000"):
    x = r[k]
    print(f"seeding: {x['ops'] - x['ops_before']:,} ops pushed through /v1/sync in {x['ms'] / 1000:.1f} s "
          f"({(x['ops'] - x['ops_before']) / x['ms'] * 1000:,.0f} ops/s, 3 villager + 3 head devices)")
print()
for v in verdicts:
    print(v)
PY
