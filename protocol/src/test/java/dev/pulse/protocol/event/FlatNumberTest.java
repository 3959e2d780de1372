package dev.pulse.protocol.event;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path's numbers, those read with room to spare (followed by more of the body) and those near the end of a
 * chunk: each the same double, bit for bit, as the JDK reads (an integral {@code -0} is 0, as jackson reads an
 * integer), and each refused or accepted as jackson decides.
 */
class FlatNumberTest {
    private final EventDecoder fast = new EventDecoder(new EventBatch());
    private final EventDecoder reference = EventDecoder.jacksonOnly(new EventBatch());

    @Test
    void readsEveryNumberAsTheJdkDoes() {
        Random r = new Random(20);
        int plain = 0;
        for (int i = 0; i < 100_000; i++) {
            String n = number(r);
            boolean atEnd = i % 3 == 0; // no room after the number: the byte-by-byte reader
            String body = "{\"source\":\"s\",\"v\":" + n + (atEnd ? "}" : ",\"padding_to_leave_room_after_it\":1}");
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            boolean ok = decode(fast, bytes);
            assertEquals(decode(reference, bytes), ok, body);
            if (!ok) {
                continue;
            }
            double expected = n.matches("-?[0-9]+") && Double.parseDouble(n) == 0 ? 0.0 : Double.parseDouble(n);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(fast.batch().metricValue(0)), body);
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(reference.batch().metricValue(0)), body);
            plain += atEnd ? 0 : 1;
        }
        assertTrue(plain > 40_000, "most numbers are valid and have room after them: " + plain);
    }

    @Test
    void readsFullPrecisionDoublesOnTheFastPath() {
        // As Python's repr, JavaScript's JSON.stringify and Go write them: up to 17 digits, no exponent. A few
        // (a double that is such a decimal exactly, seen through a truncated power of ten) are left to jackson.
        Random r = new Random(21);
        int fastPath = 0;
        for (int i = 0; i < 20_000; i++) {
            double d = i % 2 == 0 ? r.nextGaussian() * 100 : 1.7e9 + r.nextDouble() * 1e8;
            String n = new BigDecimal(Double.toString(d)).toPlainString();
            boolean atEnd = i % 3 == 0;
            String body = "{\"source\":\"s\",\"v\":" + n + (atEnd ? "}" : ",\"padding_to_leave_room_after_it\":1}");
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            EventBatch batch = new EventBatch();
            int end = new FlatEventScanner(batch).event(bytes, 0, bytes.length);
            if (end == FlatEventScanner.UNUSUAL) {
                continue;
            }
            fastPath++;
            assertEquals(bytes.length, end, body);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(batch.metricValue(0)), body);
        }
        assertTrue(fastPath > 19_900, "on the fast path: " + fastPath);
    }

    @Test
    void readsNumbersCutAtEveryByte() {
        byte[] body = "[{\"t\":1.5,\"u\":-0,\"v\":-0.0,\"w\":0.000000000000001,\"x\":123456789012345,\"y\":1e3,\"z\":4}]"
                .getBytes(StandardCharsets.US_ASCII);
        assertTrue(decode(reference, body));
        for (int cut = 1; cut < body.length; cut++) {
            fast.begin(BodyFormat.JSON);
            assertTrue(fast.feed(body, 0, cut) && fast.feed(body, cut, body.length - cut) && fast.finish(), "cut " + cut);
            for (int m = 0; m < 7; m++) {
                assertEquals(Double.doubleToRawLongBits(reference.batch().metricValue(m)),
                        Double.doubleToRawLongBits(fast.batch().metricValue(m)), "cut " + cut + " metric " + m);
            }
        }
    }

    private static boolean decode(EventDecoder d, byte[] body) {
        d.begin(BodyFormat.JSON);
        return d.feed(body, 0, body.length) && d.finish();
    }

    /** A number as clients write them, and now and then one off the fast path or not JSON at all. */
    private static String number(Random r) {
        StringBuilder s = new StringBuilder();
        if (r.nextInt(3) == 0) {
            s.append('-');
        }
        switch (r.nextInt(10)) {
            case 0 -> s.append('0');
            case 1 -> s.append("0").append(r.nextInt(10)); // a leading zero: not JSON
            default -> digits(s, r, 1 + r.nextInt(r.nextInt(4) == 0 ? 20 : 6), true);
        }
        int kind = r.nextInt(10);
        if (kind < 6) {
            s.append('.');
            digits(s, r, kind == 0 ? r.nextInt(3) : 1 + r.nextInt(r.nextInt(4) == 0 ? 20 : 4), false); // none: not JSON
        }
        if (r.nextInt(12) == 0) {
            s.append(r.nextBoolean() ? 'e' : 'E').append(r.nextBoolean() ? "-" : "").append(r.nextInt(30));
        }
        return s.toString();
    }

    private static void digits(StringBuilder s, Random r, int n, boolean leading) {
        for (int k = 0; k < n; k++) {
            int d = r.nextInt(10);
            s.append((char) ('0' + (leading && k == 0 && d == 0 ? 1 + r.nextInt(9) : d)));
        }
        if (r.nextInt(8) == 0) {
            s.append("0000"); // trailing zeros, and runs of them in the fraction
        }
    }
}
