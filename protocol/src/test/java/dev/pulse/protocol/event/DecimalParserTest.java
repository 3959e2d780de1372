package dev.pulse.protocol.event;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalParserTest {

    private static double parse(String s) {
        return DecimalParser.parse(s.toCharArray(), 0, s.length());
    }

    /** Whether the parser reads {@code s} (not NaN); if it does, the double must be the JDK's, bit for bit. */
    private static boolean readsAsTheJdk(String s) {
        double v = parse(s);
        if (v != v) {
            return false;
        }
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(v), s);
        return true;
    }

    @Test
    void agreesBitForBitWithTheJdkOnItsFastPath() {
        Random r = new Random(11);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            String s = switch (i % 4) {
                case 0 -> Long.toString(r.nextLong() % 1_000_000_000_000_000L);
                case 1 -> String.format("%.1f", r.nextGaussian() * 100);
                case 2 -> (r.nextBoolean() ? "-" : "") + r.nextInt(100_000) + "." + r.nextInt(10_000_000) + "e" + (r.nextInt(40) - 20);
                default -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(30) - 15));
            };
            fast += readsAsTheJdk(s) ? 1 : 0;
        }
        assertTrue(fast > 100_000, "most inputs take the fast path: " + fast);
    }

    @Test
    void handlesTheEdges() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parse("-0.0")));
        assertEquals(0.0, parse("0"));
        assertEquals(1.7e9, parse("1700000000"));
        assertEquals(-0.0015, parse("-1.5e-3"));
        assertEquals(1e22, parse("1E+22"));
        assertEquals(123.0, parse("0000123"));
        assertEquals(1e-23, parse("1e-23"));
        assertEquals(12345678901234567.0, parse("12345678901234567"));
        assertEquals(0.30000000000000004, parse("0.30000000000000004"));
    }

    @Test
    void readsFullPrecisionDoublesAsTheJdkDoes() {
        Random r = new Random(12);
        int read = 0;
        for (int i = 0; i < 200_000; i++) {
            double d = switch (i % 3) {
                case 0 -> r.nextGaussian() * 100;               // a metric, as Python's repr or JSON.stringify write it
                case 1 -> 1.7e9 + r.nextDouble() * 1e8;         // time.time()
                default -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL); // any finite magnitude
            };
            read += readsAsTheJdk(Double.toString(d)) ? 1 : 0; // the JDK reads back d itself
        }
        assertTrue(read > 190_000, "all but subnormal and far exponents are read here: " + read);
    }

    @Test
    void roundsNumbersNearHalfWayBetweenTwoDoublesAsTheJdkDoes() {
        // The decimals just below, at and above the middle of two neighbouring doubles, cut to 16-18 digits: where a
        // truncated power of ten could round the wrong way.
        Random r = new Random(13);
        int read = 0;
        for (int i = 0; i < 50_000; i++) {
            double d = i % 2 == 0 ? r.nextDouble() * Math.pow(10, r.nextInt(40) - 20)
                    : Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
            BigDecimal middle = new BigDecimal(d).add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
            for (RoundingMode mode : List.of(RoundingMode.DOWN, RoundingMode.UP, RoundingMode.HALF_EVEN)) {
                read += readsAsTheJdk(middle.round(new MathContext(16 + i % 3, mode)).toString()) ? 1 : 0;
            }
        }
        assertTrue(read > 100_000, "most are read here: " + read);
    }

    @Test
    void fallsBackOffTheFastPath() {
        // 19 digits; not JSON; past the powers' table; subnormal; past the largest double; exactly half-way
        for (String s : List.of("1234567890123456789", "1.5x", "1e", "1e400", "1e-400", "4.9e-324", "1.8e308",
                "9007199254740993")) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
    }
}
