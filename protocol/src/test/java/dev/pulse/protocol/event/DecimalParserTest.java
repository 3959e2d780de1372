package dev.pulse.protocol.event;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalParserTest {

    private static double parse(String s) {
        return DecimalParser.parse(s.toCharArray(), 0, s.length());
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
            double v = parse(s);
            if (v == v) {
                fast++;
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(v), s);
            }
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
    }

    @Test
    void fallsBackOffTheFastPath() {
        for (String s : List.of("12345678901234567", "1e23", "1e-23", "9007199254740993", "1.5x", "1e", "1e400")) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
    }
}
