#!/usr/bin/env bash
# What the Redis write-behind costs, thread by thread: the service under 100-event arrays over SOURCES sources, 8
# connections, with Redis and with REDIS_ADDR=none in turn (MODES, default "redis none"), ROUNDS times (default 2).
# MODES may also hold "down": an address nothing listens on, so the event loops fill their rings as usual (dropping
# the oldest values) while the writer has nothing to write.
# RATE requests/s (default 2000: 200,000 events/s, 800,000 values/s) is a fixed load; RATE=closed is the closed loop,
# for capacity. One generator run per server: WARM seconds (default 25) of the load discarded, then MEASURE seconds
# (default 12) measured, for which it prints the requests and events/s, the CPU time of each thread of the service
# (and of redis-server), and what the write-behind wrote and dropped. With Redis on, the JIT is still compiling the
# writer's and Lettuce's per-round paths for a minute or more: WARM=90 measures the steady state. One generator run keeps its own warm-up out of the measured part (a
# second generator JVM started for the measurement took CPU from the server on a slow two-core machine). Redis's
# CPU per value is its threads' seconds over the requests measured x 400 (100 events of four metrics); it also prints
# the bytes a second redis-server read in the measured part.
# WORKLOAD (default array) may be any of the generator's, e.g. remote_write (100 samples a request, not 400);
# NUMBERS (default short) is the generator's --numbers: full sends full-precision doubles and fractional timestamps,
# as Python clients do. SOURCES (default 100) is the generator's --sources, four series each.
# SERVER_JAR picks the build (default server/target/pulse-server.jar), SERVER_JAVA_OPTS options for its JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."
. perf/scripts/lib.sh
rate=${RATE:-2000}
warm=${WARM:-25}
measure=${MEASURE:-12}
load_rate=()
[ "$rate" != closed ] && load_rate=(--rate "$rate")
# The bytes redis-server has read from its clients.
redis_read() {
  redis-cli -p "$1" info stats | tr -d '\r' | sed -n 's/^total_net_input_bytes://p'
}
for round in $(seq 1 "${ROUNDS:-2}"); do
  for mode in ${MODES:-redis none}; do
    port=$(free_port)
    redis_pid=""
    addr=none
    if [ "$mode" = redis ]; then
      rport=$(free_port "$port")
      start_redis "$rport"
      redis_pid=$REDIS_PID
      addr=127.0.0.1:$rport
    elif [ "$mode" = down ]; then
      addr=127.0.0.1:$(free_port "$port")
    fi
    SERVER_PORT=$port REDIS_ADDR=$addr java ${SERVER_JAVA_OPTS:-} -jar "${SERVER_JAR:-server/target/pulse-server.jar}" 2>/dev/null &
    pid=$!
    wait_http "http://127.0.0.1:$port/health"
    report=$(mktemp)
    java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --warmup "$warm" --duration "$measure" \
      --workload "${WORKLOAD:-array}" --numbers "${NUMBERS:-short}" --batch 100 --connections 8 --sources "${SOURCES:-100}" \
      "${load_rate[@]}" >"$report" 2>&1 &
    load=$!
    sleep "$warm"
    echo "== round $round, REDIS_ADDR=$mode, load average $(cut -d' ' -f1 /proc/loadavg)"
    [ "$mode" = redis ] && read_before=$(redis_read "$rport")
    perf/scripts/thread-cpu.py "$measure" $pid $redis_pid
    [ "$mode" = redis ] && echo "  redis read $(( ($(redis_read "$rport") - read_before) / measure )) bytes/s"
    wait $load || true
    grep -E "^  requests" "$report" || tail -3 "$report"
    rm -f "$report"
    [ "$mode" = redis ] && print_redis_values "$port"
    kill $pid; wait $pid 2>/dev/null || true
    if [ -n "$redis_pid" ]; then kill "$redis_pid"; fi
  done
done
