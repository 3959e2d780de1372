package dev.pulse.protocol.reply;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every double comes out as a decimal that reads back as it, bit for bit, never longer than the JDK's own text, and
 * the same text as {@code Double.toString} gives from Java 19 on (which is this algorithm).
 */
class ShortestDoubleTest {
    private final ShortestDouble shortest = new ShortestDouble();

    private String format(double v) {
        return new String(shortest.bytes(), 0, shortest.format(v), StandardCharsets.US_ASCII);
    }

    @Test
    void knownValuesReadAsPeopleWriteThem() {
        assertEquals("45.3", format(45.3));
        assertEquals("-2.5", format(-2.5));
        assertEquals("0.001", format(0.001));
        assertEquals("1.0E-4", format(1e-4));
        assertEquals("1.0E7", format(1e7));
        assertEquals("1234567.0", format(1234567));
        assertEquals("0.30000000000000004", format(0.1 + 0.2));
        assertEquals("4.9E-324", format(Double.MIN_VALUE));
        assertEquals("1.7976931348623157E308", format(Double.MAX_VALUE));
        assertEquals("2.2250738585072014E-308", format(Double.MIN_NORMAL));
    }

    @Test
    void everyDoubleReadsBackBitForBit() {
        Random r = new Random(42);
        boolean sameAsJdk = Runtime.version().feature() >= 19;
        for (int i = 0; i < 1_000_000; i++) {
            double v = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(r.nextLong());            // any bits: every exponent
                case 1 -> r.nextGaussian() * 50;                             // a mean, a z-score
                case 2 -> Math.round(r.nextGaussian() * 1e4) / 100.0;       // a short decimal
                case 3 -> Double.longBitsToDouble(r.nextLong() >>> 12);      // subnormal
                default -> (r.nextLong() >>> r.nextInt(64)) * (r.nextBoolean() ? 1 : -1); // an integer
            };
            if (!Double.isFinite(v) || v == 0) {
                continue;
            }
            String text = format(v);
            assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Double.parseDouble(text)), text);
            String jdk = Double.toString(v);
            assertTrue(text.length() <= jdk.length(), text + " against " + jdk);
            if (sameAsJdk) {
                assertEquals(jdk, text);
            }
        }
    }

    @Test
    void zeroAndNonFiniteAreTheCallersToWrite() {
        assertThrows(IllegalArgumentException.class, () -> shortest.format(0.0));
        assertThrows(IllegalArgumentException.class, () -> shortest.format(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> shortest.format(Double.POSITIVE_INFINITY));
    }
}
