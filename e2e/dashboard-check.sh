#!/usr/bin/env bash
# Verifies the Grafana dashboard against a real Prometheus: starts Redis, the service and Prometheus (with the
# scrape configuration the Kubernetes manifest ships, its discovery block replaced by a static target), drives a
# short load with injected anomalies, then evaluates every query of every panel and fails on an error or no data.
set -euo pipefail
cd "$(dirname "$0")/.."

. perf/scripts/lib.sh
e2e_prelude redis-server prometheus promtool python3 curl

REDIS_PORT=$(free_port); PULSE_PORT=$(free_port "$REDIS_PORT"); PROM_PORT=$(free_port "$REDIS_PORT" "$PULSE_PORT")

start_redis "$REDIS_PORT" "$WORK/redis.log"
PIDS+=("$REDIS_PID")
TOKEN=e2e-token
AUTH_TOKEN=$TOKEN SERVER_PORT=$PULSE_PORT REDIS_ADDR=127.0.0.1:$REDIS_PORT java -jar "$JAR" >"$WORK/pulse.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PULSE_PORT/health"

# The shipped configuration, discovery swapped for the local target, scraped every second; its rules and token
# file laid out beside it as in the pod, and remote write sent to the local service.
mkdir -p "$WORK/rules" "$WORK/secrets"
cp k8s/prometheus/rules/*.rules.yml "$WORK/rules/"
printf '%s' "$TOKEN" >"$WORK/secrets/auth-token"
awk -v target="127.0.0.1:$PULSE_PORT" '
  /# discovery: begin/ { print "    static_configs:"; print "      - targets: [\"" target "\"]"; skip = 1; next }
  /# discovery: end/ { skip = 0; next }
  !skip { sub(/scrape_interval: 5s/, "scrape_interval: 1s"); sub(/evaluation_interval: 5s/, "evaluation_interval: 1s")
          sub(/http:\/\/pulse:8080/, "http://" target); print }
' k8s/prometheus/prometheus.yml >"$WORK/prometheus.yml"
promtool check config "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PROM_PORT/-/ready"

AUTH_TOKEN=$TOKEN python3 e2e/drive_load.py "http://127.0.0.1:$PULSE_PORT" 15
curl -fs "http://127.0.0.1:$PULSE_PORT/metrics" | promtool check metrics
sleep 3
python3 e2e/check_panels.py "http://127.0.0.1:$PROM_PORT" dashboards/pulse.json
# The stack watches itself: Prometheus remote-writes pulse's recorded request rate (with the token) into pulse.
for _ in $(seq 1 30); do
  curl -fs "http://127.0.0.1:$PULSE_PORT/analyze?source=pulse" 2>/dev/null | grep -q 'pulse:http_requests:rate1m' && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PULSE_PORT/analyze?source=pulse" | grep -q 'pulse:http_requests:rate1m' \
  || { echo "FAIL remote write: pulse:http_requests:rate1m is not in /analyze?source=pulse"; exit 1; }
echo "ok   remote write of pulse's own series: /analyze?source=pulse has pulse:http_requests:rate1m"
# The shipped rules are loaded and evaluate without error against the real series.
curl -fs "http://127.0.0.1:$PROM_PORT/api/v1/rules" | python3 -c '
import json, sys
groups = json.load(sys.stdin)["data"]["groups"]
rules = [r for g in groups for r in g["rules"]]
bad = [r["name"] for r in rules if r.get("health") != "ok"]
print("%d rules loaded, unhealthy: %s" % (len(rules), bad or "none"))
sys.exit(1 if not rules or bad else 0)'

