package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoundEntryTest {
    private static double[][] read(byte[] entry) {
        List<double[]> out = new ArrayList<>();
        int n = RoundEntry.parse(entry, (t, v) -> out.add(new double[] {t, v}));
        assertEquals(out.size(), n);
        assertEquals(n, RoundEntry.count(entry));
        return out.toArray(new double[0][]);
    }

    @Test
    void everyValueReadsBackBitForBitFromTheSliceItWasTakenFrom() {
        Random r = new Random(7);
        double[] times = new double[1000];
        double[] values = new double[1000];
        for (int i = 0; i < times.length; i++) {
            times[i] = i % 2 == 0 ? 1_700_000_000L + i : 1.7e9 + r.nextDouble();
            values[i] = switch (i % 4) {
                case 0 -> r.nextGaussian() * 1e6;
                case 1 -> -0.0;
                case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
                default -> Math.round(r.nextGaussian() * 1000) / 10.0;
            };
        }
        byte[] entry = RoundEntry.format(times, values, 100, 700);
        assertEquals(1 + 16 * 700, entry.length);
        assertEquals(RoundEntry.BINARY, entry[0]);
        double[][] back = read(entry);
        for (int i = 0; i < 700; i++) {
            assertEquals(Double.doubleToRawLongBits(times[100 + i]), Double.doubleToRawLongBits(back[i][0]));
            assertEquals(Double.doubleToRawLongBits(values[100 + i]), Double.doubleToRawLongBits(back[i][1]));
        }
    }

    @Test
    void theLayoutIsTheDocumentedOneLittleEndianTimeThenValue() {
        byte[] entry = RoundEntry.format(new double[] {1.0}, new double[] {2.0}, 0, 1);
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40}, entry);
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
        byte[] entry = RoundEntry.format(new double[] {1, 2}, new double[] {3, 4}, 0, 2);
        byte[] cut = java.util.Arrays.copyOf(entry, entry.length - 3);
        assertThrows(IllegalArgumentException.class, () -> RoundEntry.parse(cut, (t, v) -> { }));
        assertThrows(IllegalArgumentException.class, () -> RoundEntry.parse("17 x".getBytes(StandardCharsets.US_ASCII), (t, v) -> { }));
    }
}
