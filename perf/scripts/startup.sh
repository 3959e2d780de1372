#!/usr/bin/env bash
# One start of the server, timed from exec to the first 200 from /health, then the process is killed: the command
# hyperfine repeats (BENCHMARKS.md "Start-up"). Usage: startup.sh PORT [java options...]
#   hyperfine -w 2 -r 20 'perf/scripts/startup.sh 18080'
# JAVA (default java) and JAR (default server/target/pulse-server.jar) choose what runs; the environment
# (REDIS_ADDR etc.) is passed on. /health is polled every 2 ms with bash's /dev/tcp, so no curl start is counted.
set -euo pipefail
port=$1; shift
. "$(dirname "$0")/lib.sh"
JAVA=${JAVA:-java}
JAR=${JAR:-server/target/pulse-server.jar}
SERVER_PORT=$port "$JAVA" "$@" -jar "$JAR" >/dev/null 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
until health_200 "$port"; do
  kill -0 $pid 2>/dev/null || { echo "server exited" >&2; exit 1; }
  sleep 0.002
done
