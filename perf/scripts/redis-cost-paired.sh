#!/usr/bin/env bash
# What the Redis write-behind costs, with Redis on and off measured at the same time rather than in turn: two servers,
# one with a throwaway redis-server and one with REDIS_ADDR=none, each under its own generator (100-event arrays over
# SOURCES sources, 8 connections, RATE requests/s, default 2000: 200,000 events/s). After WARM seconds (default 40)
# it reads both servers' thread CPU (and redis-server's) over the same MEASURE seconds (default 20), prints each total
# and their ratio, each generator's events/s and CPU, ROUNDS times (default 3) with fresh processes. On a shared
# machine whose speed drifts from minute to minute, both sides of a pair then see the same minute; redis-cost.sh
# measures them one after the other. RATE=closed runs both generators flat out and the two sides share the machine:
# the scheduler need not give them equal shares, so compare their CPU per event (service, redis-server and
# generator), not only their events/s. NUMBERS (default short), SERVER_JAR and SERVER_JAVA_OPTS as in redis-cost.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
. perf/scripts/lib.sh
warm=${WARM:-40}
measure=${MEASURE:-20}
load_rate=()
[ "${RATE:-2000}" != closed ] && load_rate=(--rate "${RATE:-2000}")
total() { sed -n 's/^ *\([0-9.]*\) s  total$/\1/p' "$1"; }
pids=() loads=() redis_pid="" work=""
trap 'kill "${pids[@]}" "${loads[@]}" $redis_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for round in $(seq 1 "${ROUNDS:-3}"); do
  work=$(mktemp -d); mkdir "$work/on" "$work/off"
  on=$(free_port)
  start_target pulse-redis "$on" "$work/on"
  pids=("$SERVER_PID") redis_pid=$REDIS_PID
  off=$(free_port "$on" "$REDIS_PORT")
  start_target pulse "$off" "$work/off"
  pids+=("$SERVER_PID")
  wait_http "http://127.0.0.1:$on/health"
  wait_http "http://127.0.0.1:$off/health"
  loads=() reports=()
  for port in "$on" "$off"; do
    reports+=("$(mktemp)")
    # two seconds past the readings, so that the generators are still there when they end
    java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --warmup "$warm" --duration $((measure + 2)) \
      --workload array --numbers "${NUMBERS:-short}" --batch 100 --connections 8 --sources "${SOURCES:-100}" \
      "${load_rate[@]}" >"${reports[-1]}" 2>&1 &
    loads+=($!)
  done
  sleep "$warm"
  cpu_on=$(mktemp); cpu_off=$(mktemp); gen_on=$(mktemp); gen_off=$(mktemp)
  readings=()
  perf/scripts/thread-cpu.py "$measure" "${loads[0]}" >"$gen_on" & readings+=($!)
  perf/scripts/thread-cpu.py "$measure" "${loads[1]}" >"$gen_off" & readings+=($!)
  perf/scripts/thread-cpu.py "$measure" "${pids[0]}" "$redis_pid" >"$cpu_on" & readings+=($!)
  perf/scripts/thread-cpu.py "$measure" "${pids[1]}" >"$cpu_off" & readings+=($!)
  wait "${readings[@]}"
  wait "${loads[@]}" || true
  echo "== round $round, load average $(cut -d' ' -f1 /proc/loadavg)"
  echo "  Redis on:"; sed 's/^/  /' "$cpu_on"
  grep -E "^  requests" "${reports[0]}" || tail -3 "${reports[0]}"
  echo "  REDIS_ADDR=none:"; sed 's/^/  /' "$cpu_off"
  grep -E "^  requests" "${reports[1]}" || tail -3 "${reports[1]}"
  python3 -c 'import sys; on, off, g_on, g_off = map(float, sys.argv[1:])
print("  ratio %.2f; generators %.2f s and %.2f s" % (on / off, g_on, g_off))' \
    "$(total "$cpu_on")" "$(total "$cpu_off")" "$(total "$gen_on")" "$(total "$gen_off")"
  print_redis_values "$on"
  rm -f "$cpu_on" "$cpu_off" "$gen_on" "$gen_off" "${reports[@]}"
  kill "${pids[@]}" "$redis_pid"; wait "${pids[@]}" 2>/dev/null || true
  rm -rf "$work"
  pids=() loads=() redis_pid="" work=""
done
