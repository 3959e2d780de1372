#!/usr/bin/env bash
# Remote-write ingest, pulse against VictoriaMetrics' own /api/v1/write, on the same bodies in the same run.
# Each round runs the load generator (remote_write workload: BATCH-sample requests, timestamps advancing, one shard
# of series per connection) against pulse, then against VictoriaMetrics, alternating ROUNDS times, and reads what
# each actually ingested from its own counters: pulse's events_ingested_total, VictoriaMetrics'
# vm_rows_inserted_total{type="promremotewrite"}. Prints samples/s per run and the ratio.
# Usage: perf/scripts/remote-write-bench.sh  (after make build; needs victoria-metrics, curl, python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
. perf/scripts/lib.sh

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-8}
BATCH=${BATCH:-1000}
work=$(mktemp -d)
trap 'kill ${PULSE_PID:-} ${VM_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT

pulse_port=$(free_port)
REDIS_ADDR=none SERVER_PORT=$pulse_port MAX_METRICS_PER_SOURCE=1024 MAX_SOURCES=100000 \
  java -jar server/target/pulse-server.jar >"$work/pulse.log" 2>&1 &
PULSE_PID=$!
vm_port=$(free_port "$pulse_port")
victoria-metrics -httpListenAddr=127.0.0.1:$vm_port -storageDataPath="$work/vm" -retentionPeriod=100y \
  -loggerLevel=ERROR >"$work/vm.log" 2>&1 &
VM_PID=$!
wait_http "http://127.0.0.1:$pulse_port/health"
wait_http "http://127.0.0.1:$vm_port/health"

pulse_count() { curl -fs "http://127.0.0.1:$pulse_port/metrics" | awk '$1=="events_ingested_total"{printf "%d", $2}'; }
vm_count() { curl -fs "http://127.0.0.1:$vm_port/metrics" | awk -F' ' '$1=="vm_rows_inserted_total{type=\"promremotewrite\"}"{printf "%d", $2}'; }

run() { # name port counter-function
  local before after start end
  before=$($3); start=$(date +%s.%N)
  java -jar perf/target/pulse-load.jar --url "http://127.0.0.1:$2" --workload remote_write --batch "$BATCH" \
    --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" >"$work/$1.out" 2>&1
  end=$(date +%s.%N)
  sleep 1 # VictoriaMetrics counts rows once they are added to its in-memory parts
  after=$($3)
  python3 -c "import sys; n=$after-$before; s=$end-$start; print(f'$1 ingested {n} samples in {s:.1f} s: {n/s:,.0f} samples/s')"
  grep -E "requests/s|status" "$work/$1.out" | head -3 | sed 's/^/    /'
}

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r"
  run pulse "$pulse_port" pulse_count
  run victoriametrics "$vm_port" vm_count
done
