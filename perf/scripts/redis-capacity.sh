#!/usr/bin/env bash
# Closed-loop capacity with the Redis write-behind on against REDIS_ADDR=none, at steady state: one generator run
# per server (100-event arrays, 100 sources, 8 connections), WARM seconds (default 40) of that load discarded, then
# 12 s measured, with the CPU time of each thread of the service and of redis-server over those 12 s. One generator
# run keeps the generator's own warm-up out of the measured part, which a second generator process started for the
# measurement does not (on a slow two-core machine it took CPU from the server there). ROUNDS (default 3) rounds of
# on, then off (MODES="redis" for Redis on only); RATE requests/s makes it a fixed load instead of a closed loop.
# SERVER_JAR picks the build (default server/target/pulse-server.jar), SERVER_JAVA_OPTS its JVM options. Redis's
# CPU per value is its threads' seconds over the requests measured x 400 (100 events of four metrics).
set -euo pipefail
cd "$(dirname "$0")/../.."
. perf/scripts/lib.sh
warm=${WARM:-40}
for round in $(seq 1 "${ROUNDS:-3}"); do
  for mode in ${MODES:-redis none}; do
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
    report=$(mktemp)
    java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --warmup "$warm" --duration 12 \
      --workload array --batch 100 --connections 8 --sources 100 ${RATE:+--rate $RATE} >"$report" 2>&1 &
    load=$!
    sleep "$warm"
    echo "== round $round, REDIS_ADDR=$mode, load average $(cut -d' ' -f1 /proc/loadavg)"
    perf/scripts/thread-cpu.py 12 $pid $redis_pid
    wait $load || true
    grep -E "^  requests" "$report" || tail -3 "$report"
    rm -f "$report"
    [ "$mode" = redis ] && curl -fs "http://127.0.0.1:$port/stats" | python3 -c \
      'import json,sys; r=json.load(sys.stdin)["redis"]; print("  values written", r["values_written"], "dropped", r["values_dropped"])'
    kill $pid; wait $pid 2>/dev/null || true
    [ -n "$redis_pid" ] && kill "$redis_pid"
  done
done
