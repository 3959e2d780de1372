#!/usr/bin/env python3
"""Prints the one-line summary of a load generator run: bench-line.py JSON TARGET LABEL [SUFFIX].

JSON is the generator's --json report; the line gives target, label, requests/s, events/s, p50/p99/p99.9 ms, server
CPU per request, statuses and connection errors, then SUFFIX. http-bench.sh and http-bench-paired.sh print it.
"""
import json
import sys

r = json.load(open(sys.argv[1]))
l = r["latency_ms"]
print("%-12s %-28s %9.0f req/s %10.0f events/s  p50 %7.3f  p99 %7.3f  p99.9 %8.3f ms  cpu %6.1f us/req  %s errors=%d%s"
      % (sys.argv[2], sys.argv[3], r["requests_per_second"], r["events_per_second"], l["p50"], l["p99"], l["p99_9"],
         r["server_cpu_us_per_request"], json.dumps(r["statuses"]), r["connection_errors"],
         sys.argv[4] if len(sys.argv) > 4 else ""))
