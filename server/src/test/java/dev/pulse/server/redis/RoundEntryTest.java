package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundEntryTest {
    private static double[][] read(byte[] entry) {
        List<double[]> out = new ArrayList<>();
        int n = RoundEntry.parse(entry, (t, v) -> out.add(new double[] {t, v}));
        assertEquals(out.size(), n);
        return out.toArray(new double[0][]);
    }

    private static byte[] entry(double[] times, double[] values, int from, int count) {
        byte[] entry = new byte[RoundEntry.maxBytes(count)];
        entry[0] = RoundEntry.COMPACT;
        int at = 1;
        double last = 0;
        int form = -1;
        for (int i = 0; i < count; i++) {
            int header = at;
            at = RoundEntry.put(entry, at, last, times[from + i], values[from + i], form);
            last = times[from + i];
            form = RoundEntry.valueForm(entry, header);
        }
        return java.util.Arrays.copyOf(entry, at);
    }

    @Test
    void everyTimeAndValueReadsBackBitForBit() {
        Random r = new Random(7);
        double[] times = new double[2000];
        double[] values = new double[2000];
        double t = 1_700_000_000;
        for (int i = 0; i < times.length; i++) {
            t = switch (r.nextInt(6)) {
                case 0 -> t;                                   // the same as the one before
                case 1 -> t + r.nextInt(3) - 1;                // whole seconds, now and then backwards
                case 2 -> 1.7e9 + r.nextDouble();              // a fraction
                case 3 -> -0.0;
                case 4 -> r.nextBoolean() ? 0x1p53 : -1e300;   // past the whole numbers a long holds exactly
                default -> Math.rint(t) + 1;
            };
            times[i] = t;
            values[i] = switch (i % 7) {
                case 0 -> r.nextGaussian() * 1e6;
                case 1 -> -0.0;
                case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
                case 3 -> Math.round(r.nextGaussian() * 1000) / 10.0;
                case 4 -> Math.round(r.nextGaussian() * 1e8) / 10_000.0;
                case 5 -> r.nextInt(1000) - 500;
                default -> r.nextBoolean() ? Double.POSITIVE_INFINITY : 0x1p53 + 2;
            };
        }
        byte[] entry = entry(times, values, 100, 1700);
        assertEquals(RoundEntry.COMPACT, entry[0]);
        double[][] back = read(entry);
        assertEquals(1700, back.length);
        for (int i = 0; i < 1700; i++) {
            assertEquals(Double.doubleToRawLongBits(times[100 + i]), Double.doubleToRawLongBits(back[i][0]), "time " + i);
            assertEquals(Double.doubleToRawLongBits(values[100 + i]), Double.doubleToRawLongBits(back[i][1]), "value " + i);
        }
    }

    @Test
    void wholeNumbersAtEveryVarintLengthsEdgeReadBack() {
        // zigzag turns -64..63 into one byte and -8,192..8,191 into two: the edges and a step past each
        long[] edges = {0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8192, -8193, 1L << 20, -(1L << 20), 1L << 52};
        double[] times = new double[edges.length];
        double[] values = new double[edges.length];
        double t = 0;
        for (int i = 0; i < edges.length; i++) {
            t += edges[i]; // the times step by the edges too
            times[i] = t;
            values[i] = edges[i];
        }
        double[][] back = read(entry(times, values, 0, edges.length));
        for (int i = 0; i < edges.length; i++) {
            assertEquals(times[i], back[i][0], "time " + i);
            assertEquals(values[i], back[i][1], "value " + i);
        }
    }

    @Test
    void theLongestVarintsReadBackAndFitTheEntry() {
        double most = 0x1p53 - 1; // the largest whole number a varint is written for
        double[] times = {most, -most, most, 0, -most};
        double[] values = {most, -most, -most / 10, most / 10_000, 1};
        for (int count = 1; count <= times.length; count++) { // the last value at the very end of its room
            byte[] entry = entry(times, values, times.length - count, count);
            double[][] back = read(entry);
            for (int i = 0; i < count; i++) {
                int j = times.length - count + i;
                assertEquals(Double.doubleToRawLongBits(times[j]), Double.doubleToRawLongBits(back[i][0]), "time " + j);
                assertEquals(Double.doubleToRawLongBits(values[j]), Double.doubleToRawLongBits(back[i][1]), "value " + j);
            }
        }
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] entry = entry(new double[] {1_700_000_000, 1_700_000_000, 1_700_000_001.5},
                new double[] {45.3, 46, 1.0 / 3}, 0, 3);
        byte[] head = {1, // the tag
                0x09, (byte) 0x80, (byte) 0xc4, (byte) 0x9f, (byte) 0xd5, 0x0c, (byte) 0x8a, 0x07, // whole seconds, 453 / 10
                0x01, (byte) 0x98, 0x07,  // the same time, 460 / 10: the previous value's form, tried first
                0x1f, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x06}; // a step of 1.5 x 2^22 in the time's bits, a double
        assertArrayEquals(head, java.util.Arrays.copyOf(entry, head.length));
        assertEquals(head.length + 8, entry.length);
        assertEquals(Double.doubleToRawLongBits(1.0 / 3),
                java.nio.ByteBuffer.wrap(entry, head.length, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
    }

    @Test
    void fractionalTimesTakeAStepOfTheirBitsAndReadBackBitForBit() {
        Random r = new Random(11);
        double[] times = new double[3000];
        double[] values = new double[3000];
        long ms = 1_700_000_000_123L;
        long ns = 1_700_000_000_123_456_789L;
        double t = 1.7e9;
        for (int i = 0; i < times.length; i++) {
            times[i] = switch (i / 1000) {
                case 0 -> (ms += 15_000 + r.nextInt(10)) / 1000.0;     // remote write: milliseconds, a scrape apart
                case 1 -> (ns += 10_000_000L + r.nextInt(1000)) / 1e9; // OTLP: nanoseconds
                default -> t += r.nextDouble() * 0.02;               // a client's clock, a hundred values a second
            };
            values[i] = 45 + r.nextGaussian() * 5; // full precision: a double each
        }
        for (int from = 0; from < times.length; from += 1000) {
            byte[] entry = entry(times, values, from, 1000);
            double[][] back = read(entry);
            for (int i = 0; i < 1000; i++) {
                assertEquals(Double.doubleToRawLongBits(times[from + i]), Double.doubleToRawLongBits(back[i][0]),
                        "time " + (from + i));
                assertEquals(Double.doubleToRawLongBits(values[from + i]), Double.doubleToRawLongBits(back[i][1]));
            }
            // the first time is a double; every later one a step of at most 4 bytes, where a double takes 8
            assertTrue(entry.length <= 1 + 17 + 999 * 13, "entry of " + entry.length + " bytes");
        }
    }

    @Test
    void aStepOfTheTimesBitsTooLongForSevenBytesIsADouble() {
        double[] times = {1.0, 1e300, -1e300, -1e300 * (1 + 0x1p-52), 1.0};
        double[] values = {1, 2, 3, 4, 5};
        byte[] entry = entry(times, values, 0, times.length);
        double[][] back = read(entry);
        for (int i = 0; i < times.length; i++) {
            assertEquals(Double.doubleToRawLongBits(times[i]), Double.doubleToRawLongBits(back[i][0]), "time " + i);
        }
        // headers at 1, 4, 14, 24, 27: (time form << 3) | value form
        assertEquals(0x08, entry[1], "whole seconds from 0, an integer");
        assertEquals(0x10, entry[4] & 0x18, "1e300: a double");
        assertEquals(0x10, entry[14] & 0x18, "its negative: a double");
        assertEquals(0x18, entry[24] & 0x18, "one ulp from that: a step of one");
        assertEquals(0x10, entry[27] & 0x18, "back to 1: a double");
    }

    @Test
    void entriesOfTheOlderTextLayoutStillRead() {
        double[][] back = read("1700000000 45.3,1700000001 46,5.5 -0.0015".getBytes(StandardCharsets.US_ASCII));
        assertEquals(3, back.length);
        assertArrayEquals(new double[] {1_700_000_000, 45.3}, back[0]);
        assertArrayEquals(new double[] {1_700_000_001, 46}, back[1]);
        assertArrayEquals(new double[] {5.5, -0.0015}, back[2]);
    }

    @Test
    void aTruncatedEntryIsRefused() {
        byte[] entry = entry(new double[] {1, 2}, new double[] {3, 4}, 0, 2);
        byte[] cut = java.util.Arrays.copyOf(entry, entry.length - 1);
        assertThrows(IllegalArgumentException.class, () -> RoundEntry.parse(cut, (t, v) -> { }));
        byte[] raw = entry(new double[] {1.5}, new double[] {Math.PI}, 0, 1);
        byte[] rawCut = java.util.Arrays.copyOf(raw, raw.length - 3);
        assertThrows(IllegalArgumentException.class, () -> RoundEntry.parse(rawCut, (t, v) -> { }));
        assertThrows(IllegalArgumentException.class, () -> RoundEntry.parse("17 x".getBytes(StandardCharsets.US_ASCII), (t, v) -> { }));
    }

    /** A restart skips what does not parse by catching this one exception; any bytes must give it or a parse. */
    @Test
    void anyBytesParseOrAreRefusedWithTheOneExceptionTheRestoreCatches() {
        Random r = new Random(11);
        byte[] text = "0123456789 ,.-+eENaInfity".getBytes(StandardCharsets.US_ASCII);
        int refused = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] entry = new byte[1 + r.nextInt(24)];
            for (int k = 0; k < entry.length; k++) {
                entry[k] = i % 2 == 0 ? (byte) r.nextInt(256) : text[r.nextInt(text.length)];
            }
            if (i % 4 == 0) {
                entry[0] = RoundEntry.COMPACT;
            }
            try {
                RoundEntry.parse(entry, (t, v) -> { });
            } catch (IllegalArgumentException e) {
                refused++;
            }
        }
        assertTrue(refused > 10_000 && refused < 200_000, "both outcomes seen: " + refused + " refused");
    }
}
