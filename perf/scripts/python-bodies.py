#!/usr/bin/env python3
"""Writes ingest bodies as a Python agent would post them (json.dumps, 100 events an array, one body a line) from
NAB's real series, data the project's own generator never made:
  as_read   the CSV's values as Python reads them, whole-second timestamps
  computed  a ratio and a rate the agent computes from them (v / 3, v * 1.1 / 60), time.time()-like stamps
Usage: perf/scripts/python-bodies.py <nab data dir> <out dir>   (reads realKnownCause and realAWSCloudwatch)"""
import csv, datetime, glob, json, os, random, sys

data, out = sys.argv[1], sys.argv[2]
random.seed(2026)
rows = []
for f in sorted(glob.glob(data + '/realKnownCause/*.csv')) + sorted(glob.glob(data + '/realAWSCloudwatch/*.csv')):
    source = os.path.basename(f)[:-4].replace('-', '_')[:60]
    with open(f) as fh:
        for r in csv.DictReader(fh):
            t = datetime.datetime.strptime(r['timestamp'], '%Y-%m-%d %H:%M:%S')
            rows.append((source, t.replace(tzinfo=datetime.timezone.utc).timestamp(), float(r['value'])))

def event(kind, source, t, v):
    if kind == 'as_read':
        return {"timestamp": int(t), "source": source, "value": v}
    return {"timestamp": t + random.random(), "source": source, "value": v / 3.0, "rate": v * 1.1 / 60}

os.makedirs(out, exist_ok=True)
for kind in ('as_read', 'computed'):
    with open(os.path.join(out, kind + '.bodies'), 'w') as fh:
        for i in range(0, len(rows) - 100, 100):
            fh.write(json.dumps([event(kind, *row) for row in rows[i:i + 100]]) + '\n')
print(len(rows), 'rows into', out)
