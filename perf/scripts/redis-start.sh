#!/usr/bin/env bash
# The write-behind from a cold start: a fresh server and redis-server, then a paced load of 100-event bodies from the
# first second (no warm-up, so the first rounds run while the JIT compiles the writer and Lettuce). Prints the
# write-behind's queue depth, values written and values dropped once a second, then what Redis received: its
# commands and the bytes read from its clients (`info commandstats`, `info stats`).
# SECONDS_RUN (default 25), RATE requests/s (default 2000), SOURCES (default 2000, four series each), NUMBERS (default
# full: full-precision values at fractional timestamps), WORKLOAD (default array; remote_write has 100 samples a
# request), SERVER_JAR (default server/target/pulse-server.jar), SERVER_JAVA_OPTS options for its JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."
. perf/scripts/lib.sh
run=${SECONDS_RUN:-25}
port=$(free_port); work=$(mktemp -d)
start_target pulse-redis "$port" "$work"
trap 'kill $SERVER_PID $REDIS_PID 2>/dev/null || true; rm -rf "$work"' EXIT
wait_http "http://127.0.0.1:$port/health"
report=$(mktemp)
java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --warmup 0 --duration "$run" \
  --workload "${WORKLOAD:-array}" --numbers "${NUMBERS:-full}" --batch 100 --connections 8 \
  --sources "${SOURCES:-2000}" --rate "${RATE:-2000}" >"$report" 2>&1 &
load=$!
for second in $(seq 1 "$run"); do
  sleep 1
  curl -fs "http://127.0.0.1:$port/stats" | python3 -c 'import json, sys
r = json.load(sys.stdin)["redis"]
print("%3s s  depth %9d  written %10d  dropped %8d" % (sys.argv[1], r["queue_depth"], r["values_written"], r["values_dropped"]))' "$second"
done
wait $load || true
grep -E "^  (requests|statuses)" "$report" || tail -3 "$report"
rm -f "$report"
redis-cli -p "$REDIS_PORT" info commandstats | grep -E "cmdstat_(rpush|ltrim|hset|exec|xadd)"
redis-cli -p "$REDIS_PORT" info stats | grep -E "total_net_input_bytes|total_commands_processed"
