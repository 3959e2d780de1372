#!/usr/bin/env bash
# Soak: the load generator at a fixed rate against the server with Redis on, for SOAK_SECONDS (default 600).
# Every SAMPLE_SECONDS it forces a GC and records heap used after it, RSS, open file descriptors and the recent p99
# from /stats; at the end it fails if heap after GC or RSS grew by more than 25% from the first third of the run to
# the last, if descriptors leaked, or if p99 drifted above 3x its early level. Usage: make soak [SOAK_SECONDS=600]
set -euo pipefail
cd "$(dirname "$0")/../.."
SOAK_SECONDS=${SOAK_SECONDS:-600}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
RATE=${RATE:-5000}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
for tool in redis-server jcmd python3 curl; do command -v "$tool" >/dev/null || { echo "soak: $tool missing"; exit 1; }; done
. perf/scripts/lib.sh
rport=$(free_port); port=$(free_port "$rport"); work=$(mktemp -d)
start_redis "$rport" "$work/redis.log"
redis_pid=$REDIS_PID
SERVER_PORT=$port REDIS_ADDR=127.0.0.1:$rport java -Xmx512m -jar server/target/pulse-server.jar 2>"$work/server.log" &
pid=$!
load_pid=
trap 'kill $pid $redis_pid $load_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
wait_http "http://127.0.0.1:$port/health"

java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$port" --rate "$RATE" --connections 16 --workload mixed \
  --sources 200 --anomaly-rate 0.01 --warmup "$WARMUP_SECONDS" --duration "$SOAK_SECONDS" --json "$work/load.json" >"$work/load.txt" 2>/dev/null &
load_pid=$!
sleep "$WARMUP_SECONDS"  # JIT warm-up and the first sources' windows filling are not drift
echo "t_s heap_after_gc_mb rss_mb fds p99_ms queue_depth dropped"
end=$((SECONDS + SOAK_SECONDS))
while [ $SECONDS -lt $end ] && kill -0 $load_pid 2>/dev/null; do
  sleep "$SAMPLE_SECONDS"
  jcmd "$pid" GC.run >/dev/null
  heap=$(jcmd "$pid" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K","",v); print int(v/1024); exit}}')
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/"$pid"/status)
  fds=$(ls /proc/"$pid"/fd | wc -l)
  read -r p99 depth dropped < <(curl -fs "http://127.0.0.1:$port/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["latency_ms"]["p99"], d["redis"]["queue_depth"], d["redis"]["values_dropped"])')
  echo "$SECONDS $heap $rss $fds $p99 $depth $dropped" | tee -a "$work/samples.txt"
done
wait $load_pid || true
cat "$work/load.txt"
# the write-behind must catch up: once the queue is empty, Redis has every value the server accepted (the
# generator's events carry four metrics each; the queue counts values)
for _ in $(seq 1 100); do
  read -r depth accepted written < <(curl -fs "http://127.0.0.1:$port/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["redis"]["queue_depth"], d["events_total"], d["redis"]["values_written"])')
  [ "$depth" = 0 ] && [ $((4 * accepted)) = "$written" ] && break; sleep 0.1
done
echo "events accepted $accepted, values written to Redis $written"
echo "0 0 0 0 0 0 0 $accepted $written" >>"$work/samples.txt"
python3 - "$work/samples.txt" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
accepted, written = rows.pop()[7:9]
third = max(1, len(rows) // 3)
first, last = rows[:third], rows[-third:]
avg = lambda rs, k: sum(r[k] for r in rs) / len(rs)
checks = [("heap after GC", avg(last, 1) <= 1.25 * avg(first, 1) + 8),
          ("RSS", avg(last, 2) <= 1.25 * avg(first, 2)),
          ("file descriptors", max(r[3] for r in last) <= max(r[3] for r in first) + 5),
          ("p99", avg(last, 4) <= 3 * avg(first, 4) + 1),
          ("nothing dropped", rows[-1][6] == 0),
          ("every accepted value written to Redis", 4 * accepted == written > 0)]
print("first third: heap %.0f MB, RSS %.0f MB, fds %.0f, p99 %.2f ms" % (avg(first, 1), avg(first, 2), avg(first, 3), avg(first, 4)))
print("last third:  heap %.0f MB, RSS %.0f MB, fds %.0f, p99 %.2f ms" % (avg(last, 1), avg(last, 2), avg(last, 3), avg(last, 4)))
for name, ok in checks:
    print(("ok   " if ok else "FAIL ") + name)
sys.exit(0 if all(ok for _, ok in checks) else 1)
PY
