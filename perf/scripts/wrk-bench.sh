#!/usr/bin/env bash
# The batched-ingest throughput measured with wrk, a client that is not the project's own: one server process
# started here, WARM_SECONDS (default 10: the JIT is still at work after 5 s) of the same load, then a measured
# wrk run. Usage:
#   perf/scripts/wrk-bench.sh floor|pulse LABEL [wrk options...]     e.g. -t1 -c8 -d10s
# The body is perf/wrk/post-array.lua's: BATCH events a request (default 100), NDJSON=1 for NDJSON bodies.
# SERVER_JAR and SERVER_JAVA_OPTS as for http-bench.sh. Prints one line: target, label, requests/s, events/s,
# p50/p99 ms as wrk reports them (coordinated omission not corrected), server CPU µs per request, non-2xx answers.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=$1; label=$2; shift 2
. perf/scripts/lib.sh
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
port=$(free_port)
out=$(mktemp -d)
case "$target" in floor|pulse) ;; *) echo "target: floor | pulse"; exit 2 ;; esac
start_target "$target" "$port" "$out"
pid=$SERVER_PID
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$out"' EXIT
url="http://127.0.0.1:$port"
script=perf/wrk/post-array.lua
wrk "$@" -d "${WARM_SECONDS:-10}s" -s "$script" "$url" >/dev/null 2>&1 || true
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu)
wrk "$@" --latency -s "$script" "$url" >"$out/wrk.txt" 2>&1
after=$(cpu)
python3 - "$out/wrk.txt" "$target" "$label" "$before" "$after" "$(getconf CLK_TCK)" "${BATCH:-100}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
target, label = sys.argv[2], sys.argv[3]
before, after, hz, batch = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in ([\d.]+)s", text).group(1))
def ms(p):
    m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, text)
    v = float(m.group(1)); return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
cpu_us = (after - before) / hz * 1e6 / total
print("%-6s %-24s %9.0f req/s %10.0f events/s  p50 %7.3f  p99 %7.3f ms  cpu %6.1f us/req  non-2xx %s" % (
    target, label, rps, rps * batch, ms(50), ms(99), cpu_us, non2xx.group(1) if non2xx else 0))
PY
