"""The pulse load test users know: writers POST events, readers ask /analyze and /stats.

Headless, 500 users spawned 10 per second, against a local server:
    locust -f perf/locust/locustfile.py --headless -u 500 -r 10 -t 60s --host http://127.0.0.1:8080
With AUTH_TOKEN set in the environment, the POSTs carry it as a bearer token (the server's AUTH_TOKEN).
"""
import os
import random
import time

from locust import HttpUser, between, task

SOURCES = ["web-%d" % i for i in range(20)]


class MetricsUser(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.source = random.choice(SOURCES)
        token = os.environ.get("AUTH_TOKEN")
        self.auth = {"Authorization": "Bearer " + token} if token else {}

    @task(6)
    def post_event(self):
        spike = 10 if random.random() < 0.01 else 1
        event = {"timestamp": time.time(), "source": self.source, "cpu": random.gauss(45, 5) * spike,
                 "rps": random.gauss(105, 10), "memory": random.gauss(50, 2), "latency": random.gauss(25, 3)}
        self.client.post("/metrics-data", json=event, name="/metrics-data", headers=self.auth)

    @task(2)
    def analyze_source(self):
        self.client.get("/analyze?source=%s" % self.source, name="/analyze?source=S")

    @task(1)
    def analyze_fleet(self):
        self.client.get("/analyze?source=*", name="/analyze?source=*")

    @task(1)
    def stats(self):
        self.client.get("/stats", name="/stats")
