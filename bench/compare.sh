#!/usr/bin/env bash
# Load test: yorisoi vs an equivalent bot on LINE's official Node.js SDK, side
# by side, same payloads, connections and duration, both replying through the
# same fast fake Messaging API on loopback.
#   bench/compare.sh            (env: DURATION=20 CONNS=64 THREADS=2 RATE=5000)
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
cmake --build "$build" -j"$(nproc)" --target yorisoi yorisoi_fake_line_api

if [[ ! -d $scratch/peer/node_modules/@line/bot-sdk ]]; then
  mkdir -p "$scratch/peer" && cp bench/peer/package.json bench/peer/server.js "$scratch/peer/"
  (cd "$scratch/peer" && npm install --no-audit --no-fund --loglevel=error)
fi
cp bench/peer/server.js "$scratch/peer/server.js"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }  # user + system
rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }
wait_http() {
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "compare.sh: $1 did not come up"; exit 1
}
replies() { curl -s "http://127.0.0.1:$api_port/stats" | python3 -c \
  'import json,sys; d=json.load(sys.stdin); print(d["reply"]+d["push"])'; }

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
  # 1. Maximum acknowledged throughput.
  local cpu0; cpu0=$(cpu_s "$pid")
  local max; max=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s bench/load/webhook.lua \
    "http://127.0.0.1:$port" -- "$scratch/webhooks.txt" "$THREADS" "$CONNS" | tail -1)
  local cpu1; cpu1=$(cpu_s "$pid")
  local sent; sent=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["requests"])' "$max")
  # Replies delivered: wait until the count stops growing (queue drained).
  local before=-1 now; now=$(replies); local t0=$SECONDS
  while [[ $now != "$before" ]]; do before=$now; sleep 2; now=$(replies); done
  local drain=$((SECONDS - t0))
  # 2. Fixed rate: acknowledgement latency at RATE webhooks/s.
  python3 bench/load/gen_webhooks.py --secret "$secret" --count "$n" --out "$scratch/webhooks.txt"
  local fixed; fixed=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s bench/load/webhook.lua \
    "http://127.0.0.1:$port" -- "$scratch/webhooks.txt" "$THREADS" "$CONNS" "$RATE" | tail -1)
  sleep 3
  local peak; peak=$(rss_kb "$pid" VmHWM)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  kill "$api"; wait "$api" 2>/dev/null || true
  python3 - "$name" "$max" "$fixed" "$sent" "$now" "$DURATION" "$drain" "$idle" "$peak" \
    "$cpu0" "$cpu1" <<'PY'
import json, sys
name, mx, fx, sent, delivered, dur, drain, idle, peak, cpu0, cpu1 = sys.argv[1:]
mx, fx = json.loads(mx), json.loads(fx)
print(json.dumps({"name": name, "max": mx, "fixed_rate": fx, "acked_max_run": int(sent),
                  "replies_delivered_max_run": int(delivered),
                  "replies_per_s": int(delivered) / (float(dur) + float(drain)),
                  "idle_rss_mb": int(idle) / 1024, "peak_rss_mb": int(peak) / 1024,
                  "cpu_s_max_run": float(cpu1) - float(cpu0),
                  "acks_per_cpu_s": int(sent) / max(0.01, float(cpu1) - float(cpu0))}))
PY
}

data="$scratch/data-$$"; rm -rf "$data"; mkdir -p "$data"
ours=$(YORISOI_PORT=18080 YORISOI_DATA_DIR="$data" LINE_CHANNEL_SECRET=$secret \
  LINE_CHANNEL_ACCESS_TOKEN=bench_token YORISOI_LINE_API_BASE="http://127.0.0.1:$api_port" \
  run yorisoi 18080 "$build/yorisoi" serve | tail -1)
peer=$(PORT=18090 LINE_CHANNEL_SECRET=$secret LINE_API_BASE="http://127.0.0.1:$api_port" \
  run node-sdk 18090 node "$scratch/peer/server.js" | tail -1)

python3 - "$ours" "$peer" "$DURATION" "$CONNS" "$THREADS" "$RATE" <<'PY'
import json, os, subprocess, sys
ours, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
dur, conns, threads, rate = sys.argv[3:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
rows = [
  ("acknowledged webhooks/s (max)", lambda r: r["max"]["rps"], "{:,.0f}"),
  ("p50 ack latency at max (ms)", lambda r: r["max"]["p50_ms"], "{:.2f}"),
  ("p99 ack latency at max (ms)", lambda r: r["max"]["p99_ms"], "{:.2f}"),
  (f"achieved rate at target {rate}/s", lambda r: r["fixed_rate"]["rps"], "{:,.0f}"),
  (f"p50 ack latency at {rate}/s (ms)", lambda r: r["fixed_rate"]["p50_ms"], "{:.2f}"),
  (f"p99 ack latency at {rate}/s (ms)", lambda r: r["fixed_rate"]["p99_ms"], "{:.2f}"),
  ("replies delivered/s", lambda r: r["replies_per_s"], "{:,.0f}"),
  ("acknowledged / answered (max run)",
   lambda r: f'{r["acked_max_run"]:,} / {r["replies_delivered_max_run"]:,}', "{}"),
  ("server CPU time in the max run (s)", lambda r: r["cpu_s_max_run"], "{:.1f}"),
  ("acknowledged webhooks per server CPU-second", lambda r: r["acks_per_cpu_s"], "{:,.0f}"),
  ("idle RSS (MB)", lambda r: r["idle_rss_mb"], "{:.1f}"),
  ("peak RSS (MB)", lambda r: r["peak_rss_mb"], "{:.1f}"),
]
print(f"machine: {cpu}, {os.cpu_count()} cores; {threads} wrk threads, {conns} connections, {dur} s per run")
node = subprocess.run(["node", "-v"], capture_output=True, text=True).stdout.strip()
print(f"| metric | yorisoi | @line/bot-sdk 11 (Node {node}) | ratio |")
print("|---|---|---|---|")
for label, f, fmt in rows:
    a, b = f(ours), f(peer)
    ratio = f"{a / b:.1f}×" if isinstance(a, float) and b else ""
    print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {ratio} |")
json.dump({"yorisoi": ours, "peer": peer, "duration_s": int(dur), "connections": int(conns),
           "machine": cpu}, open("bench/results/latest.json", "w"), indent=1)
PY
