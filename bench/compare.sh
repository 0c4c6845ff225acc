#!/usr/bin/env bash
# Load test: yorisoi vs an equivalent bot on LINE's official Node.js SDK, side
# by side, same payloads, connections and duration, both replying through the
# same fast fake Messaging API on loopback.
# yorisoi runs with bench/load/yorisoi-bench.json: config/yorisoi.json with
# worker_nice 10, as on a host of its own.
#   bench/compare.sh            (env: DURATION=20 CONNS=64 THREADS=2 RATE=5000;
#                                ONLY=yorisoi runs yorisoi alone and prints its JSON)
# Prints a table and writes bench/results/latest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
DURATION=${DURATION:-20}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
RATE=${RATE:-5000}
build=${YORISOI_BENCH_BUILD_DIR:-build-bench}
scratch=${BENCH_SCRATCH:-/tmp/yorisoi-bench}
secret=bench_secret
api_port=19099
mkdir -p "$scratch" bench/results

command -v wrk >/dev/null || { echo "compare.sh: wrk is missing (apt-get install wrk)"; exit 1; }
command -v node >/dev/null || { echo "compare.sh: node is missing"; exit 1; }

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DYORISOI_BUILD_BENCH=ON \
  -DYORISOI_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target yorisoi yorisoi_fake_line_api yorisoi_ceiling_server

if [[ ! -d $scratch/peer/node_modules/@line/bot-sdk ]]; then
  mkdir -p "$scratch/peer" && cp bench/peer/package.json bench/peer/server.js "$scratch/peer/"
  (cd "$scratch/peer" && npm install --no-audit --no-fund --loglevel=error)
fi
cp bench/peer/server.js "$scratch/peer/server.js"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
wait_http() {
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "compare.sh: $1 did not come up"; exit 1
}
stats() { curl -s "http://127.0.0.1:$api_port/stats"; }
replies() { stats | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["reply"]+d["push"])'; }
# CPU seconds per thread name ({"io": 1.2, "dispatch": 3.4, …}) and in all.
threads_cpu() {
  python3 - "$1" <<'PY'
import glob, json, os, sys
pid, tick, out = sys.argv[1], os.sysconf("SC_CLK_TCK"), {}
for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
    try:
        raw = open(stat).read()
    except OSError:
        continue
    name, rest = raw[raw.index("(") + 1:raw.rindex(")")], raw[raw.rindex(")") + 2:].split()
    out[name] = out.get(name, 0) + (int(rest[11]) + int(rest[12])) / tick
f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
out["(total)"] = (int(f[11]) + int(f[12])) / tick
print(json.dumps(out))
PY
}
now_s() { date +%s.%N; }

# run NAME PORT START_COMMAND...
run() {
  local name=$1 port=$2; shift 2
  "$build/bench/yorisoi_fake_line_api" "$api_port" 1 & local api=$!; pids+=("$api")
  wait_http "http://127.0.0.1:$api_port/stats"
  "$@" >"$scratch/$name.log" 2>&1 & local pid=$!; pids+=("$pid")
  wait_http "http://127.0.0.1:$port/"
  sleep 1
  local idle; idle=$(rss_kb "$pid" VmRSS)
  local n=$(( (RATE * DURATION > 150000 ? RATE * DURATION : 150000) * 2 ))
  python3 bench/load/gen_webhooks.py --secret "$secret" --count "$n" --out "$scratch/webhooks.txt"
  # 1. Maximum acknowledged throughput, then until every acknowledged event
  #    is answered (or nothing more arrives for 10 s).
  local cpu0; cpu0=$(threads_cpu "$pid")
  local t0; t0=$(now_s)
  local max; max=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s bench/load/webhook.lua \
    "http://127.0.0.1:$port" -- "$scratch/webhooks.txt" "$THREADS" "$CONNS" | tail -1)
  local sent; sent=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["requests"] - d["non2xx"])' "$max")
  local now before=-1 still=0; now=$(replies)
  while (( now < sent && still < 100 )); do
    sleep 0.1; before=$now; now=$(replies)
    if [[ $now == "$before" ]]; then still=$((still + 1)); else still=0; fi
  done
  local t1; t1=$(now_s)
  local cpu1; cpu1=$(threads_cpu "$pid")
  local api_stats; api_stats=$(stats)
  # 2. Fixed rate: acknowledgement latency at RATE webhooks/s.
  python3 bench/load/gen_webhooks.py --secret "$secret" --count "$n" --out "$scratch/webhooks.txt"
  local fixed; fixed=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s bench/load/webhook.lua \
    "http://127.0.0.1:$port" -- "$scratch/webhooks.txt" "$THREADS" "$CONNS" "$RATE" | tail -1)
  sleep 3
  local peak; peak=$(rss_kb "$pid" VmHWM)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  kill "$api"; wait "$api" 2>/dev/null || true
  python3 - "$name" "$max" "$fixed" "$sent" "$now" "$t0" "$t1" "$idle" "$peak" \
    "$cpu0" "$cpu1" "$api_stats" <<'PY'
import json, sys
name, mx, fx, sent, delivered, t0, t1, idle, peak, cpu0, cpu1, api = sys.argv[1:]
mx, fx, cpu0, cpu1, api = map(json.loads, (mx, fx, cpu0, cpu1, api))
sent, delivered = int(sent), int(delivered)
cpu = {k: v - cpu0.get(k, 0) for k, v in cpu1.items()}
total = cpu["(total)"]
print(json.dumps({"name": name, "max": mx, "fixed_rate": fx, "acked_max_run": sent,
                  "replies_delivered_max_run": delivered,
                  "repeats_refused": api["reply_repeat"] + api["push_repeat"],
                  "replies_per_s": delivered / (float(t1) - float(t0)),
                  "seconds_until_all_answered": float(t1) - float(t0),
                  "idle_rss_mb": int(idle) / 1024, "peak_rss_mb": int(peak) / 1024,
                  "cpu_s_max_run": total, "cpu_by_thread": cpu,
                  "cpu_ms_per_answer": 1000 * total / max(1, delivered),
                  "acks_per_cpu_s": sent / max(0.01, total)}))
PY
}

data="$scratch/data-$$"; rm -rf "$data"; mkdir -p "$data"
if [[ ${ONLY:-} == yorisoi ]]; then
  # One server only (while working on it): its JSON line, no table.
  YORISOI_PORT=18080 YORISOI_DATA_DIR="$data" LINE_CHANNEL_SECRET=$secret \
    LINE_CHANNEL_ACCESS_TOKEN=bench_token YORISOI_LINE_API_BASE="http://127.0.0.1:$api_port" \
    run yorisoi 18080 "$build/yorisoi" serve --config bench/load/yorisoi-bench.json | tail -1
  exit 0
fi
ours=$(YORISOI_PORT=18080 YORISOI_DATA_DIR="$data" LINE_CHANNEL_SECRET=$secret \
  LINE_CHANNEL_ACCESS_TOKEN=bench_token YORISOI_LINE_API_BASE="http://127.0.0.1:$api_port" \
  run yorisoi 18080 "$build/yorisoi" serve --config bench/load/yorisoi-bench.json | tail -1)
ceiling=$(run ceiling 18070 "$build/bench/yorisoi_ceiling_server" 18070 \
  "http://127.0.0.1:$api_port" "$secret" | tail -1)
peer=$(PORT=18090 LINE_CHANNEL_SECRET=$secret LINE_API_BASE="http://127.0.0.1:$api_port" \
  run node-sdk 18090 node "$scratch/peer/server.js" | tail -1)

python3 - "$ours" "$peer" "$ceiling" "$DURATION" "$CONNS" "$THREADS" "$RATE" <<'PY'
import datetime, json, os, subprocess, sys
ours, peer, ceil = map(json.loads, sys.argv[1:4])
dur, conns, threads, rate = sys.argv[4:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
rows = [
  ("acknowledged webhooks/s (max)", lambda r: r["max"]["rps"], "{:,.0f}"),
  ("p50 ack latency at max (ms)", lambda r: r["max"]["p50_ms"], "{:.2f}"),
  ("p99 ack latency at max (ms)", lambda r: r["max"]["p99_ms"], "{:.2f}"),
  (f"achieved rate at target {rate}/s", lambda r: r["fixed_rate"]["rps"], "{:,.0f}"),
  (f"p50 ack latency at {rate}/s (ms)", lambda r: r["fixed_rate"]["p50_ms"], "{:.2f}"),
  (f"p99 ack latency at {rate}/s (ms)", lambda r: r["fixed_rate"]["p99_ms"], "{:.2f}"),
  ("answers delivered/s (first request → every acknowledged event answered)",
   lambda r: r["replies_per_s"], "{:,.0f}"),
  ("acknowledged / answered once / repeats refused (max run)",
   lambda r: f'{r["acked_max_run"]:,} / {r["replies_delivered_max_run"]:,} / {r["repeats_refused"]}', "{}"),
  ("server CPU time, max run until all answered (s)", lambda r: r["cpu_s_max_run"], "{:.1f}"),
  ("server CPU s per 1,000 answered events", lambda r: r["cpu_ms_per_answer"], "{:.3f}"),
  ("acknowledged webhooks per server CPU-second", lambda r: r["acks_per_cpu_s"], "{:,.0f}"),
  ("idle RSS (MB)", lambda r: r["idle_rss_mb"], "{:.1f}"),
  ("peak RSS (MB)", lambda r: r["peak_rss_mb"], "{:.1f}"),
]
print(f"{datetime.date.today()}; machine: {cpu}, {os.cpu_count()} cores; {threads} wrk threads, "
      f"{conns} connections, {dur} s per run")
node = subprocess.run(["node", "-v"], capture_output=True, text=True).stdout.strip()
print(f"| metric | yorisoi | @line/bot-sdk 11 (Node {node}) | yorisoi / SDK | "
      "ceiling: same stack, constant reply | yorisoi / ceiling |")
print("|---|---|---|---|---|---|")
for label, f, fmt in rows:
    a, b, c = f(ours), f(peer), f(ceil)
    ratio = f"{a / b:.2f}×" if isinstance(a, float) and b else ""
    rc = f"{a / c:.2f}×" if isinstance(a, float) and c else ""
    print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio} | {fmt.format(c)} | {rc} |")
print()
print("yorisoi CPU by thread in the max run (ms per answered event):")
n = max(1, ours["replies_delivered_max_run"])
for k, v in sorted(ours["cpu_by_thread"].items(), key=lambda kv: -kv[1]):
    if v > 0: print(f"  {k:16s} {1000 * v / n:.3f}")
json.dump({"yorisoi": ours, "peer": peer, "ceiling": ceil, "duration_s": int(dur), "connections": int(conns),
           "machine": cpu}, open("bench/results/latest.json", "w"), indent=1)
PY
