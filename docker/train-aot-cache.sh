#!/usr/bin/env bash
# The training run behind the image's AOT cache (see Dockerfile): starts the server as the image runs it, sends
# what a start sees (health checks, ingest with an anomaly, /analyze, /stats, /metrics), stops it with SIGTERM;
# the JVM writes CACHE as it exits. Usage: train-aot-cache.sh CACHE JAR JAVA [java options...]
set -euo pipefail
cache=$1 jar=$2 java=$3
shift 3
log=$(mktemp)
# Port 0: builds may run on a host network where any fixed port can be taken. Redis on port 1 is refused at
# once: the start-up path with Redis configured is trained, and no Redis that happens to be reachable is written.
SERVER_PORT=0 REDIS_ADDR=127.0.0.1:1 "$java" "$@" -XX:AOTCacheOutput="$cache" -jar "$jar" >"$log" 2>&1 &
pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$log")
  [[ -n $port ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { cat "$log"; exit 1; }

request() { # METHOD PATH [BODY]: fails unless the answer is 2xx
  local body=${3:-} status
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&3
  read -r _ status _ <&3
  cat <&3 >/dev/null
  exec 3<&-
  [[ $status == 2* ]] || { echo "training: $1 $2 answered $status" >&2; return 1; }
}

for i in $(seq 0 59); do
  cpu=$(( i == 55 ? 400 : 40 + i % 5 ))
  request POST /metrics-data "{\"source\":\"web-$((i % 3))\",\"cpu\":$cpu,\"rps\":$((100 + i % 7)),\"memory\":50.5,\"latency\":25}"
  (( i % 10 )) || request GET /health
done
request POST /metrics-data '[{"source":"web-1","cpu":41},{"source":"web-2","custom_x":1.5}]'
for path in '/analyze?source=web-1' '/analyze?source=*' /stats /metrics /health; do
  request GET "$path"
done
# The Redis client starts in the background connector, whose first attempt comes a second after start-up: let it
# run, so the cache holds the client's classes for the start that finds Redis reachable.
sleep 2.5
kill -TERM "$pid"
wait "$pid" || { cat "$log"; exit 1; }
[[ -s $cache ]] || { cat "$log"; exit 1; }
grep -v ' INFO ' "$log" >&2 || true
rm -f "$log"
