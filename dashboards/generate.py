#!/usr/bin/env python3
"""Writes dashboards/pulse.json: the Grafana dashboard of the pulse service (run after editing the panels here)."""
import json
import os

DS = {"type": "prometheus", "uid": "${datasource}"}

PANELS = [
    # (title, unit, [(expr, legend)], description)
    ("Request rate by route", "reqps", [("sum by (path) (rate(http_requests_total[1m]))", "{{path}}")],
     "HTTP requests answered per second, per route."),
    ("Error rate by route", "reqps",
     [("sum by (path, status) (rate(http_requests_total{status=~\"4..|5..|other\"}[1m]))", "{{path}} {{status}}")],
     "Answers other than 2xx per second, by route and status."),
    ("Latency p50 / p99 by route", "s",
     [("histogram_quantile(0.5, sum by (le, path) (rate(http_request_duration_seconds_bucket[1m])))", "p50 {{path}}"),
      ("histogram_quantile(0.99, sum by (le, path) (rate(http_request_duration_seconds_bucket[1m])))", "p99 {{path}}")],
     "Request handling time from the first decoded byte to the reply, from the duration histogram."),
    ("Events ingested / s", "ops", [("sum(rate(events_ingested_total[1m]))", "events/s")],
     "Events applied to the rolling windows per second."),
    ("Rejected requests by reason", "reqps", [("sum by (reason) (rate(events_rejected_total[1m]))", "{{reason}}")],
     "Ingest requests refused (400/413/415/422/503), by reason."),
    ("Anomalies by metric (per minute)", "short",
     [("sum by (metric) (increase(anomalies_detected_total[1m]))", "{{metric}}")],
     "Values flagged as anomalies in the last minute, by metric name."),
    ("Anomalies by source (per minute)", "short",
     [("sum by (source) (increase(anomalies_detected_total{source=~\"$source\"}[1m]))", "{{source}}")],
     "Values flagged as anomalies in the last minute, by source, over all its metrics and replicas."),
    ("Rolling average ($source)", "short",
     [("metrics_rolling_average{source=~\"$source\"}", "{{source}} {{metric}}")],
     "Mean of each series' rolling window."),
    ("z-score ($source)", "short", [("metrics_zscore{source=~\"$source\"}", "{{source}} {{metric}}")],
     "z-score of each series' last value against the window before it."),
    ("Anomaly score ($source)", "percentunit",
     [("metrics_anomaly_score{source=~\"$source\"}", "{{source}} {{metric}}")],
     "The detector's score of each series' last value, 0 to 1."),
    ("Active connections", "short", [("sum(active_connections)", "connections")],
     "Open client connections."),
    ("Redis queue depth", "short", [("sum(redis_queue_depth)", "queued events")],
     "Metric values waiting in the write-behind queue."),
    ("Redis writes, drops, failures", "ops",
     [("sum(rate(redis_values_written_total[1m]))", "written/s"),
      ("sum(rate(redis_values_dropped_total[1m]))", "dropped/s"),
      ("sum(rate(redis_write_failures_total[1m]))", "failed batches/s")],
     "Write-behind throughput; any drop means the queue overflowed during an outage."),
    ("Fleet view cache hit rate", "percentunit",
     [("sum(rate(analyze_cache_hits_total[5m])) / clamp_min(sum(rate(analyze_cache_hits_total[5m])) + sum(rate(analyze_cache_misses_total[5m])), 1e-9)", "hit rate")],
     "Share of /analyze?source=* answered from the snapshot cache."),
    ("JVM heap", "bytes",
     [("sum by (area) (jvm_memory_bytes_used{area=\"heap\"})", "used"),
      ("sum by (area) (jvm_memory_bytes_committed{area=\"heap\"})", "committed")],
     "Heap used and committed."),
    ("GC time per second", "s", [("sum by (gc) (rate(jvm_gc_collection_seconds_sum[1m]))", "{{gc}}")],
     "Seconds spent in garbage collection per second, by collector."),
]


def panel(i, title, unit, targets, description):
    return {
        "id": i + 1,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DS,
        "gridPos": {"h": 8, "w": 8, "x": (i % 3) * 8, "y": (i // 3) * 8},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": [{"refId": chr(ord("A") + k), "datasource": DS, "expr": e, "legendFormat": l}
                    for k, (e, l) in enumerate(targets)],
    }


dashboard = {
    "uid": "pulse-overview",
    "title": "pulse",
    "tags": ["pulse"],
    "schemaVersion": 39,
    "version": 1,
    "editable": True,
    "refresh": "10s",
    "time": {"from": "now-30m", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus", "current": {"text": "Prometheus", "value": "prometheus"}},
        {"name": "source", "type": "query", "datasource": DS, "query": "label_values(metrics_rolling_average, source)",
         "definition": "label_values(metrics_rolling_average, source)", "refresh": 2, "includeAll": True,
         "multi": True, "allValue": ".*", "current": {"text": "All", "value": "$__all"}},
    ]},
    "panels": [panel(i, *p) for i, p in enumerate(PANELS)],
}

with open(os.path.join(os.path.dirname(__file__), "pulse.json"), "w") as f:
    json.dump(dashboard, f, indent=2)
    f.write("\n")
