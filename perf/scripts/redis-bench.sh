#!/usr/bin/env bash
# Write-behind capacity: the server with a local redis-server, array batches of 100 events (four metrics each)
# open loop at RATE requests/s; 10 s of the same load first (JIT, Redis warm), then MEASURE seconds between two
# reads of /stats. Prints events/s ingested, values/s written to Redis, values dropped, queue depth at the end,
# the client's p99 and the server's CPU per request. Usage: perf/scripts/redis-bench.sh [SERVER_JAR] [RATE]
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=${1:-server/target/pulse-server.jar}; rate=${2:-2000}; measure=${MEASURE:-20}
. perf/scripts/lib.sh
rport=$(free_port); port=$(free_port "$rport"); work=$(mktemp -d)
start_redis "$rport"
redis_pid=$REDIS_PID
sleep 0.5
SERVER_PORT=$port REDIS_ADDR=127.0.0.1:$rport java -jar "$jar" 2>"$work/server.log" &
pid=$!
trap 'kill $pid $redis_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
wait_http "http://127.0.0.1:$port/health"
load() { java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --workload array --batch 100 \
  --rate "$rate" --connections 8 --warmup 0 --sources 100 "$@"; }
load --duration 10 >/dev/null 2>&1
curl -fs "http://127.0.0.1:$port/stats" >"$work/before.json"
load --duration "$measure" --server-pid "$pid" --json "$work/load.json" >/dev/null 2>&1
curl -fs "http://127.0.0.1:$port/stats" >"$work/after.json"
python3 - "$work" "$measure" "$rate" <<'PY'
import json, sys
w, secs = sys.argv[1], float(sys.argv[2])
b, a, l = (json.load(open(f"{w}/{n}.json")) for n in ("before", "after", "load"))
rb, ra = b["redis"], a["redis"]
print("rate %s req/s: ingested %.0f events/s, written %.0f values/s (%.0f events/s), dropped %d, queue %d at the end, p99 %.2f ms, cpu %.0f us/req" % (
    sys.argv[3], (a["events_total"] - b["events_total"]) / secs, (ra["values_written"] - rb["values_written"]) / secs,
    (ra["values_written"] - rb["values_written"]) / secs / 4, ra["values_dropped"] - rb["values_dropped"], ra["queue_depth"],
    l["latency_ms"]["p99"], l["server_cpu_us_per_request"]))
PY
