#!/usr/bin/env bash
# Churn soak: CHURN_SOURCES (1,000,000) distinct short-lived sources over CHURN_SECONDS (600) against the server with
# Redis, MAX_SOURCES=10000 and SERIES_TTL_MS (2000): each source sends three events in its first second and is never
# heard of again (perf/scripts/churn.py). Every SAMPLE_SECONDS it forces a GC and records heap used after it, RSS,
# the Redis key count and the sources held. It fails if any request was refused (once their predecessors expired,
# new sources must find room), or if heap after GC, RSS or the Redis key count grew by more than 25% from the first
# third of the run to the last; at the end every source must have expired, in memory and in Redis.
# Usage: make soak-churn [CHURN_SECONDS=600 CHURN_SOURCES=1000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
CHURN_SECONDS=${CHURN_SECONDS:-600}
CHURN_SOURCES=${CHURN_SOURCES:-1000000}
SERIES_TTL_MS=${SERIES_TTL_MS:-2000}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
for tool in redis-server redis-cli jcmd python3 curl; do command -v "$tool" >/dev/null || { echo "soak-churn: $tool missing"; exit 1; }; done
. perf/scripts/lib.sh
rport=$(free_port); port=$(free_port "$rport"); work=$(mktemp -d)
start_redis "$rport" "$work/redis.log"
redis_pid=$REDIS_PID
load_pid=
SERVER_PORT=$port REDIS_ADDR=127.0.0.1:$rport MAX_SOURCES=10000 SERIES_TTL_MS=$SERIES_TTL_MS \
  java -Xmx512m -jar "${SERVER_JAR:-server/target/pulse-server.jar}" 2>"$work/server.log" &
pid=$!
trap 'kill $pid $redis_pid $load_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
wait_http "http://127.0.0.1:$port/health"

python3 perf/scripts/churn.py "http://127.0.0.1:$port" "$CHURN_SOURCES" "$CHURN_SECONDS" >"$work/churn.txt" &
load_pid=$!
echo "t_s heap_after_gc_mb rss_mb redis_keys sources_held series_expired"
end=$((SECONDS + CHURN_SECONDS))
while [ $SECONDS -lt $end ] && kill -0 $load_pid 2>/dev/null; do
  sleep "$SAMPLE_SECONDS"
  # Redis and the registry first: a forced GC pauses the server, and keys whose refresh it delays would expire
  keys=$(redis-cli -p "$rport" dbsize)
  read -r held expired < <(curl -fs "http://127.0.0.1:$port/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["sources"], d["series_expired"])')
  jcmd "$pid" GC.run >/dev/null
  heap=$(jcmd "$pid" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); print int(v/1024); exit}}')
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/"$pid"/status)
  echo "$SECONDS $heap $rss $keys $held $expired" | tee -a "$work/samples.txt"
done
churn_ok=0
wait $load_pid || churn_ok=$?
load_pid=
tail -1 "$work/churn.txt"
born=$(awk '/^churn:/ {print $2}' "$work/churn.txt")
# after the last source's TTL and a sweep, nothing is held and Redis keeps only the writer's marker
for _ in $(seq 1 100); do
  read -r held expired < <(curl -fs "http://127.0.0.1:$port/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["sources"], d["series_expired"])')
  keys=$(redis-cli -p "$rport" dbsize)
  [ "$held" = 0 ] && [ "$keys" -le 1 ] && break; sleep 0.1
done
echo "at the end: sources held $held, series expired $expired (of $((2 * born)) created), redis keys $keys"
echo "0 0 0 0 0 0 $churn_ok $held $keys $expired $born" >>"$work/samples.txt"
python3 - "$work/samples.txt" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
churn_rc, held, keys, expired, born = rows.pop()[6:11]
third = max(1, len(rows) // 3)
first, last = rows[:third], rows[-third:]
avg = lambda rs, k: sum(r[k] for r in rs) / len(rs)
checks = [("no request refused or failed", churn_rc == 0),
          ("heap after GC", avg(last, 1) <= 1.25 * avg(first, 1) + 8),
          ("RSS", avg(last, 2) <= 1.25 * avg(first, 2)),
          # a live source holds at most three keys (two lists, a hash); the count follows the live sources
          ("Redis keys", avg(last, 3) <= 1.25 * avg(first, 3) + 1000 and max(r[3] for r in rows) <= 3 * 10000 + 2),
          # a source whose events the driver sent more than a TTL apart (it fell behind) is created again
          ("every series expired, in memory and in Redis", held == 0 and keys <= 1 and expired >= 2 * born)]
print("first third: heap %.0f MB, RSS %.0f MB, Redis keys %.0f, sources held %.0f"
      % (avg(first, 1), avg(first, 2), avg(first, 3), avg(first, 4)))
print("last third:  heap %.0f MB, RSS %.0f MB, Redis keys %.0f, sources held %.0f"
      % (avg(last, 1), avg(last, 2), avg(last, 3), avg(last, 4)))
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
sys.exit(0 if all(ok for _, ok in checks) else 1)
PY
