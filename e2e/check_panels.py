#!/usr/bin/env python3
"""Evaluates every query of every dashboard panel through Prometheus' HTTP API: check_panels.py PROM_URL DASHBOARD."""
import json
import sys
import urllib.parse
import urllib.request

prometheus, path = sys.argv[1], sys.argv[2]
dashboard = json.load(open(path))
failures = 0
checked = 0
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$source", ".*")
        query = urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen("%s/api/v1/query?%s" % (prometheus, query), timeout=10) as r:
            answer = json.load(r)
        checked += 1
        results = answer.get("data", {}).get("result", [])
        if answer.get("status") != "success":
            failures += 1
            print("FAIL %-40s %s: %s" % (panel["title"], expr, answer.get("error")))
        elif not results:
            failures += 1
            print("FAIL %-40s %s: no data" % (panel["title"], expr))
        else:
            print("ok   %-40s %d series" % (panel["title"], len(results)))
print("%d queries checked, %d failed" % (checked, failures))
sys.exit(1 if failures else 0)
