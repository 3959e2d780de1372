#!/usr/bin/env bash
# http-bench.sh for two servers at once: both started here, each under its own generator with the same options, both
# warmed and measured over the same seconds, so that a ratio between them is not a ratio between two minutes of a
# machine whose speed drifts. Usage:
#   perf/scripts/http-bench-paired.sh FIRST SECOND LABEL [load generator options...]
# FIRST and SECOND are http-bench.sh's targets: floor, pulse, pulse-redis or victoria.
# Prints http-bench.sh's line for each, then the second's requests/s and CPU per request over the first's. With
# closed-loop options both generators run flat out and the two sides share the machine. SERVER_JAR, SERVER_JAVA_OPTS
# and WARM_SECONDS as in http-bench.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
first=$1; second=$2; label=$3; shift 3
. perf/scripts/lib.sh
out=$(mktemp -d)
ports=() pids=() cpu_pids=() kill_pids=()
trap 'kill "${kill_pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT
for i in 0 1; do
  target=$([ "$i" = 0 ] && echo "$first" || echo "$second")
  port=$(free_port "${ports[@]}")
  mkdir -p "$out/$i"
  start_target "$target" "$port" "$out/$i"
  ports+=("$port")
  kill_pids+=("$SERVER_PID" ${REDIS_PID:+"$REDIS_PID"})
  cpu_pids+=("$SERVER_PID${REDIS_PID:+,$REDIS_PID}")
done
for i in 0 1; do
  java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:${ports[$i]}" --duration "${WARM_SECONDS:-5}" \
    --warmup 0 "$@" >/dev/null 2>&1 &
  pids+=($!)
done
wait "${pids[@]}" || true
pids=()
for i in 0 1; do
  java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:${ports[$i]}" --warmup 3 --server-pid "${cpu_pids[$i]}" \
    --json "$out/$i.json" "$@" >/dev/null 2>&1 &
  pids+=($!)
done
wait "${pids[@]}" || true
perf/scripts/bench-line.py "$out/0.json" "$first" "$label"
perf/scripts/bench-line.py "$out/1.json" "$second" "$label"
python3 - "$out/0.json" "$out/1.json" "$first" "$second" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
print("%s over %s: requests/s %.2f, CPU per request %.2f" % (
    sys.argv[4], sys.argv[3], b["requests_per_second"] / a["requests_per_second"],
    b["server_cpu_us_per_request"] / a["server_cpu_us_per_request"]))
PY
