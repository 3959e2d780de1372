#!/usr/bin/env bash
# What the Redis write-behind costs, thread by thread: the service at a fixed load of 100-event arrays over 100
# sources (RATE requests/s, default 2000: 200,000 events/s, 800,000 values/s), with Redis and with REDIS_ADDR=none
# in turn, ROUNDS times (default 2). Each run warms for WARM seconds (default 25), then prints the CPU time of each
# thread of the service (and of redis-server) over the next 12 s, and what the write-behind wrote and dropped.
# SERVER_JAR picks the build (default server/target/pulse-server.jar), SERVER_JAVA_OPTS options for its JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."
. perf/scripts/lib.sh
rate=${RATE:-2000}
for round in $(seq 1 "${ROUNDS:-2}"); do
  for mode in redis none; do
    port=$(free_port)
    redis_pid=""
    addr=none
    if [ "$mode" = redis ]; then
      rport=$(free_port)
      start_redis "$rport"
      redis_pid=$REDIS_PID
      addr=127.0.0.1:$rport
    fi
    SERVER_PORT=$port REDIS_ADDR=$addr java ${SERVER_JAVA_OPTS:-} -jar "${SERVER_JAR:-server/target/pulse-server.jar}" 2>/dev/null &
    pid=$!
    wait_http "http://127.0.0.1:$port/health"
    java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --duration $(( ${WARM:-25} + 17 )) --warmup 0 \
      --workload array --batch 100 --rate "$rate" --connections 8 --sources 100 >/dev/null 2>&1 &
    load=$!
    sleep "${WARM:-25}"
    echo "== round $round, REDIS_ADDR=$mode, load average $(cut -d' ' -f1 /proc/loadavg)"
    perf/scripts/thread-cpu.py 12 $pid $redis_pid
    wait $load || true
    [ "$mode" = redis ] && curl -fs "http://127.0.0.1:$port/stats" | python3 -c \
      'import json,sys; r=json.load(sys.stdin)["redis"]; print("  values written", r["values_written"], "dropped", r["values_dropped"])'
    kill $pid; wait $pid 2>/dev/null || true
    [ -n "$redis_pid" ] && kill "$redis_pid"
  done
done
