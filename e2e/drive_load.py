#!/usr/bin/env python3
"""Drives a short mixed load with injected anomalies at a running pulse server: drive_load.py URL SECONDS."""
import http.client
import json
import os
import random
import sys
import time
from urllib.parse import urlparse

url = urlparse(sys.argv[1])
seconds = float(sys.argv[2])
rng = random.Random(7)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
token = os.environ.get("AUTH_TOKEN", "")


def call(method, path, body=None, content_type="application/json"):
    headers = {"Content-Type": content_type} if body is not None else {}
    if token and method != "GET":
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


deadline = time.time() + seconds
statuses = {}
step = 0
while time.time() < deadline:
    batch = []
    for source in ("web-1", "web-2", "db-1"):
        event = {"timestamp": time.time(), "source": source, "cpu": 40 + rng.gauss(0, 2), "rps": 100 + rng.gauss(0, 5),
                 "memory": 50 + rng.gauss(0, 1), "latency": 25 + rng.gauss(0, 1)}
        if step % 40 == 39:
            event["cpu"] = 400  # injected spike
        batch.append(event)
    for status in (call("POST", "/metrics-data", json.dumps(batch)),
                   call("GET", "/analyze?source=web-1"),
                   call("GET", "/analyze?source=*")):
        statuses[status] = statuses.get(status, 0) + 1
    if step % 25 == 0:
        for status in (call("POST", "/metrics-data", '{"cpu": "high"}'), call("GET", "/nowhere")):
            statuses[status] = statuses.get(status, 0) + 1
    step += 1
    time.sleep(0.01)
print("load: %d rounds, statuses %s" % (step, json.dumps(statuses, sort_keys=True)))
