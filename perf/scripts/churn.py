#!/usr/bin/env python3
"""Churning sources for the lifecycle soak: every tick (100 ms) a new cohort of sources is born, each sends three
events (at its birth and 0.4 s and 0.8 s later) and is never heard of again, as pods that come and go. One NDJSON
POST per tick carries every event of that tick. Prints one line per second: elapsed, sources born, events sent,
requests answered 422 and other failures; exits non-zero if any request was not 200.

usage: churn.py URL SOURCES SECONDS
"""
import http.client
import sys
import time
import urllib.parse

url, total, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
u = urllib.parse.urlparse(url)
ticks = int(seconds * 10)
per_tick = total / ticks
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
born = sent = refused = failed = 0
start = time.monotonic()
cohorts = []  # (first source id, last source id + 1) of each tick so far
next_report = 1.0
for k in range(ticks + 9):
    due = start + k * 0.1
    now = time.monotonic()
    if due > now:
        time.sleep(due - now)
    if k < ticks:
        hi = int(round((k + 1) * per_tick))
        cohorts.append((born, hi))
        born = hi
    lines = []
    for age in (0, 4, 8):  # the cohorts that send this tick
        if 0 <= k - age < len(cohorts):
            lo, hi = cohorts[k - age]
            lines.extend('{"source":"pod-%d","cpu":%d,"rps":%d}' % (i, (i + age) % 97, age) for i in range(lo, hi))
    if not lines:
        continue
    body = "\n".join(lines).encode()
    try:
        conn.request("POST", "/metrics-data", body, {"Content-Type": "application/x-ndjson"})
        r = conn.getresponse()
        r.read()
        if r.status == 422:
            refused += 1
        elif r.status != 200:
            failed += 1
        else:
            sent += len(lines)
    except (OSError, http.client.HTTPException):
        failed += 1
        conn.close()
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    if time.monotonic() - start >= next_report:
        print("%.0f %d %d %d %d" % (time.monotonic() - start, born, sent, refused, failed), flush=True)
        next_report += 1.0
elapsed = time.monotonic() - start
print("churn: %d sources born over %.0f s, %d events accepted, %d requests refused (422), %d failed"
      % (born, elapsed, sent, refused, failed), flush=True)
sys.exit(0 if refused == 0 and failed == 0 else 1)
