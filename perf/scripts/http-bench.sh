#!/usr/bin/env bash
# Runs one load-generator scenario against a server process started here; the generator reads that process's CPU
# time from /proc over the measured interval, so the report can quote CPU per request (the fair figure when the
# load generator shares the machine). Usage:
#   perf/scripts/http-bench.sh floor|pulse|pulse-redis|victoria LABEL [load generator options...]
# SERVER_JAR (default server/target/pulse-server.jar) picks the build to measure, for before/after runs;
# WARM_SECONDS (default 5) how long the same load warms the server before the measured run; SERVER_JAVA_OPTS are
# given to the server's JVM (e.g. -XX:+UseParallelGC, the collector the container image runs).
# Prints one line: target, label, requests/s, events/s, p50/p99/p99.9 ms, server CPU µs per request, statuses.
# For pulse-redis the CPU is the server's and redis-server's together, and the line ends with the values the
# write-behind dropped. victoria is VictoriaMetrics (Debian victoria-metrics) with an empty store; give it
# --workload vm_import.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=$1; label=$2; shift 2
. perf/scripts/lib.sh
port=$(free_port)
out=$(mktemp -d)
start_target "$target" "$port" "$out"
pid=$SERVER_PID
redis_pid=$REDIS_PID
cpu_pids=$pid
[ -n "$redis_pid" ] && cpu_pids="$pid,$redis_pid"
trap 'kill $pid 2>/dev/null; [ -n "$redis_pid" ] && kill $redis_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT

# warm the server's JIT with the same load; the measured run warms the generator too, then reads the server's CPU
java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --duration "${WARM_SECONDS:-5}" --warmup 0 "$@" >/dev/null 2>&1 || true
java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --warmup 3 --server-pid "$cpu_pids" --json "$out/r.json" "$@" \
  >/dev/null 2>&1 || true
dropped=""
if [ "$target" = pulse-redis ]; then
  dropped=" values_dropped=$(curl -fs "http://127.0.0.1:$port/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["redis"]["values_dropped"])')"
fi
perf/scripts/bench-line.py "$out/r.json" "$target" "$label" "$dropped"
