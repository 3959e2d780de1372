package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryFormatTest {
    private final EntryFormat format = new EntryFormat();

    private String text(double ts, double v) {
        return new String(format.buffer(), 0, format.format(ts, v), StandardCharsets.US_ASCII);
    }

    @Test
    void writesIntegersAndShortDecimalsPlainAndEverythingElseAsJavaDoes() {
        assertEquals("1700000000 45.3", text(1_700_000_000, 45.3));
        assertEquals("5.5 -0.0015", text(5.5, -0.0015));
        assertEquals("0 0.05", text(0, 0.05));
        assertEquals("-1 -7", text(-1, -7));
        assertEquals("0 0", text(-0.0, 0));
        assertEquals("1 2.675", text(1, 2.675));
        assertEquals("1 999999999999999", text(1, 1e15 - 1));
        assertEquals("1 " + Double.toString(1e15), text(1, 1e15));
        assertEquals("1 " + Double.toString(1.0 / 3), text(1, 1.0 / 3));
        assertEquals("1 " + Double.toString(1e-5), text(1, 1e-5));
        assertEquals("1 " + Double.toString(123456789012.5), text(1, 123456789012.5));
        assertEquals("1 " + Double.toString(Double.MAX_VALUE), text(1, Double.MAX_VALUE));
    }

    @Test
    void theLongestEntryFitsTheBuffer() {
        assertEquals("-1.7976931348623157E308 -4.9E-324", text(-Double.MAX_VALUE, -Double.MIN_VALUE));
        assertEquals("1 2", text(1, 2));
    }

    @Test
    void aTimestampRepeatedFromTheLastEntryReadsTheSameAsAFreshOne() {
        double[][] entries = {{1_700_000_000, 1}, {1_700_000_000, 22.5}, {1_700_000_001, 3}, {1_700_000_000, 4},
                {-0.0, 1}, {0.0, 1}, {1.5, -2}, {1.5, 7}, {1e300, 8}, {1e300, 9}, {-Double.MAX_VALUE, 1},
                {-Double.MAX_VALUE, -Double.MIN_VALUE}};
        for (double[] e : entries) {
            EntryFormat fresh = new EntryFormat();
            String plain = new String(fresh.buffer(), 0, fresh.format(e[0], e[1]), StandardCharsets.US_ASCII);
            assertEquals(plain, text(e[0], e[1]));
        }
    }

    @Test
    void everyEntryReadsBackAsExactlyTheSameDoubles() {
        Random r = new Random(9);
        for (int i = 0; i < 200_000; i++) {
            double ts = i % 2 == 0 ? 1_700_000_000L + r.nextInt(1_000_000) : 1.7e9 + r.nextDouble();
            double v = switch (i % 5) {
                case 0 -> r.nextInt(100_000) - 50_000;
                case 1 -> r.nextGaussian() * 1e6;
                case 2 -> Math.round(r.nextGaussian() * 1000) / 10.0;
                case 3 -> Math.round(r.nextGaussian() * 1e6) / 10_000.0;
                default -> Double.longBitsToDouble(r.nextLong());
            };
            if (!Double.isFinite(v)) {
                continue;
            }
            String entry = text(ts, v);
            int space = entry.indexOf(' ');
            assertEquals(ts, Double.parseDouble(entry.substring(0, space)), entry);
            assertEquals(v, Double.parseDouble(entry.substring(space + 1)), entry);
            if (i % 5 == 2 && Math.abs(v) >= 1e-3 && v != Math.rint(v)) {
                assertEquals(Double.toString(v), entry.substring(space + 1), "one fraction digit, as Java prints it");
            }
        }
    }
}
