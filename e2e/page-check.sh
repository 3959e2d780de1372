#!/usr/bin/env bash
# Verifies the live page (GET /) in headless Chromium against a real server and Redis: the page loads with no
# console error, shows a source the check posts and the anomaly of a spike in it. Keeps the DOM, the browser's log
# and a screenshot in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/.."

. perf/scripts/lib.sh
e2e_prelude redis-server chromium python3 curl
OUT=target/e2e
mkdir -p "$OUT"

REDIS_PORT=$(free_port); PULSE_PORT=$(free_port "$REDIS_PORT")
start_redis "$REDIS_PORT" "$WORK/redis.log"
PIDS+=("$REDIS_PID")
SERVER_PORT=$PULSE_PORT REDIS_ADDR=127.0.0.1:$REDIS_PORT java -jar "$JAR" >"$OUT/pulse.log" 2>&1 &
PIDS+=($!)
URL="http://127.0.0.1:$PULSE_PORT"
wait_http "$URL/health"

# A steady series, then a spike: the spike must be flagged (the POST's answer says so) and shown.
for i in $(seq 1 30); do
  curl -fs -H 'Content-Type: application/json' -d "{\"source\":\"e2e-web\",\"latency\":$((40 + i % 5))}" \
    "$URL/metrics-data" >/dev/null
done
reply=$(curl -fs -H 'Content-Type: application/json' -d '{"source":"e2e-web","latency":900}' "$URL/metrics-data")
case "$reply" in *'"metric":"latency"'*) ;; *) echo "e2e: the spike was not flagged: $reply"; exit 1 ;; esac
# the write-behind puts the anomaly into the shared stream within a few milliseconds; wait until /anomalies lists it
for _ in $(seq 1 50); do
  curl -fs "$URL/anomalies?source=e2e-web" | grep -q '"metric":"latency"' && break
  sleep 0.1
done

chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d -p "$WORK")" \
    --enable-logging=stderr --v=0 --window-size=1200,800 --virtual-time-budget=5000 "$@"
}
chrome --dump-dom "$URL/" >"$OUT/page.html" 2>"$OUT/chromium.log"
chrome --screenshot="$PWD/$OUT/page.png" "$URL/" >/dev/null 2>>"$OUT/chromium.log"

fail() { echo "e2e page: $1 (see $OUT/)"; exit 1; }
grep -q 'data-errors="0"' "$OUT/page.html" || fail "the page recorded script errors or never finished a poll"
# The page writes nothing to the console, so any console line (an error, an uncaught exception, a failed fetch,
# which headless Chromium logs alike as CONSOLE) fails the check.
if grep -E ':CONSOLE|Uncaught' "$OUT/chromium.log"; then
  fail "console messages"
fi
grep -q '<tr data-source="e2e-web" data-metric="latency"' "$OUT/page.html" || fail "the posted source is not shown"
grep -q '<li data-source="e2e-web" data-metric="latency"' "$OUT/page.html" || fail "the spike is not among the anomalies"
grep -q 'id="status" class="bad"' "$OUT/page.html" && fail "the page could not poll the server"
[ -s "$OUT/page.png" ] || fail "no screenshot"
echo "e2e page: ok (screenshot $OUT/page.png)"
