#!/usr/bin/env python3
"""Prints the CPU time each thread name of the given processes used over an interval, most first.

Usage: thread-cpu.py SECONDS PID [PID...]. Thread names have their digits replaced by N, so a pool's threads add up
(the event loops are one line). Reads /proc/<pid>/task/*/stat (utime + stime, in clock ticks of 1/100 s).
"""
import collections
import os
import re
import sys
import time


def snapshot(pids):
    ticks = collections.Counter()
    for pid in pids:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            except OSError:
                continue  # the thread ended meanwhile
            name = re.sub(r"\d+", "N", stat[stat.index("(") + 1:stat.rindex(")")])
            fields = stat[stat.rindex(")") + 2:].split()
            ticks[name] += int(fields[11]) + int(fields[12])
    return ticks


seconds, pids = float(sys.argv[1]), sys.argv[2:]
before = snapshot(pids)
time.sleep(seconds)
after = snapshot(pids)
total = 0
for name in sorted(after, key=lambda n: before[n] - after[n]):
    used = after[name] - before[name]
    if used > 0:
        print(f"{used / 100:8.2f} s  {name}")
        total += used
print(f"{total / 100:8.2f} s  total")
