#!/usr/bin/env python3
"""Prints a series' stored history, one "<epoch_seconds> <value>" line per value, oldest first.

Reads the output of `redis-cli --no-raw lrange 'metrics:series:{<source>}:<metric>' 0 -1` on stdin. Each list
entry is the tag byte 1, then per value a header byte (bits 3-4 the time: 0 the previous one, 1 whole seconds as a
zigzag varint of the difference from the previous, 2 a little-endian double, 3 a zigzag varint of the difference
of its IEEE 754 bits from the previous time's; bits 0-2 the value: 0-4 a decimal with that many fraction digits as a
zigzag varint of its digits, 7 a little-endian double), its time, its value.
"""
import ast
import struct
import sys


def varint(entry, at):
    z, shift = 0, 0
    while True:
        b = entry[at]
        at += 1
        z |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return (z >> 1) ^ -(z & 1), at


def decode(entry):
    if entry[:1] != b"\x01":  # the older text layout
        for pair in entry.decode().split(","):
            yield pair.split(" ")
        return
    at, time = 1, 0
    while at < len(entry):
        header = entry[at]
        at += 1
        time_form, value_form = header >> 3 & 3, header & 7
        if time_form == 1:
            delta, at = varint(entry, at)
            time = int(time) + delta
        elif time_form == 2:
            time, = struct.unpack_from("<d", entry, at)
            at += 8
        elif time_form == 3:
            step, at = varint(entry, at)
            bits, = struct.unpack("<q", struct.pack("<d", time))
            time, = struct.unpack("<d", struct.pack("<q", (bits + step + 2**63) % 2**64 - 2**63))
        if value_form == 7:
            value, = struct.unpack_from("<d", entry, at)
            at += 8
        else:
            digits, at = varint(entry, at)
            value = digits / 10 ** value_form
        yield time, value


for line in sys.stdin:
    if ") " not in line:
        continue
    for time, value in decode(ast.literal_eval("b" + line.split(") ", 1)[1])):
        print(time, value)
