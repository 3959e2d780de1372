package dev.pulse.protocol.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast path's field loop, whose usual field ({@code "name":}, guessed from the event before, compact) is checked
 * in one compare and whose other layouts take the longer way: names either side of the compare's length, spaces
 * around every separator, a name order that changes, a name twice; each body decoded as jackson decodes it, whole
 * and cut at every byte.
 */
class FlatFieldsTest {
    private static final String[] NAMES = {"a", "cpu", "memory_bytes", "abcdefghijklm", "abcdefghijklmn",
            "abcdefghijklmno", "abcdefghijklmnopqrstu"};
    private static final String[] SPACES = {"", "", "", " ", "\n", " \t "};

    @Test
    void decodesEveryLayoutAsJacksonDoes() {
        Random r = new Random(23);
        for (int k = 0; k < 400; k++) {
            BodyFormat format = k % 3 == 0 ? BodyFormat.NDJSON : BodyFormat.JSON;
            byte[] body = body(r, format).getBytes(StandardCharsets.UTF_8);
            String at = new String(body, StandardCharsets.UTF_8);
            EventDecoderTest.Outcome expected = EventDecoderTest.reference(format, body);
            assertEquals(expected, EventDecoderTest.decode(format, body), at);
            if (k % 20 == 0) {
                for (int cut = 1; cut < body.length; cut++) {
                    assertEquals(expected, EventDecoderTest.decode(format, body, cut), at + " cut at " + cut);
                }
            }
        }
    }

    @Test
    void decodesSourcesAsJacksonDoes() {
        // up to the longest name and past it, characters outside the source alphabet, empty, escaped
        String[] sources = {"a", "x".repeat(127), "x".repeat(128), "x".repeat(129), "web 1", "web\u00e9", "", "a\\u0041",
                "host-1.example.com:9100", "a_B-9"};
        for (String source : sources) {
            String event = "{\"source\":\"" + source + "\",\"cpu\":1.5}";
            byte[] body = ("[" + event + "," + event + "]").getBytes(StandardCharsets.UTF_8);
            EventDecoderTest.Outcome expected = EventDecoderTest.reference(BodyFormat.JSON, body);
            for (int cut = 1; cut < body.length; cut += 1 + cut / 40) {
                assertEquals(expected, EventDecoderTest.decode(BodyFormat.JSON, body, cut), source + " cut at " + cut);
            }
            assertEquals(expected, EventDecoderTest.decode(BodyFormat.JSON, body), source);
        }
    }

    /** Events (an array, or NDJSON lines) whose fields mostly keep one order and layout, and now and then do not. */
    private static String body(Random r, BodyFormat format) {
        boolean json = format == BodyFormat.JSON;
        StringBuilder b = new StringBuilder(json ? "[" : "");
        int events = 1 + r.nextInt(6);
        boolean spaced = r.nextInt(3) == 0;
        for (int e = 0; e < events; e++) {
            String between = json ? "," : r.nextInt(4) == 0 ? "\r\n" : "\n";
            b.append(e > 0 ? between + space(r, spaced) : "").append('{').append(space(r, spaced));
            int fields = 1 + r.nextInt(NAMES.length);
            int rotate = r.nextInt(5) == 0 ? r.nextInt(NAMES.length) : 0;
            for (int f = 0; f < fields; f++) {
                String name = NAMES[(f + rotate) % NAMES.length];
                if (r.nextInt(60) == 0) {
                    name = NAMES[0]; // a name twice now and then: refused by both
                }
                b.append(f > 0 ? "," + space(r, spaced) : "").append('"').append(name).append('"')
                        .append(space(r, spaced)).append(':').append(space(r, spaced))
                        .append(r.nextInt(1000) / 10.0).append(space(r, spaced));
            }
            if (r.nextBoolean()) {
                b.append(",\"source\"").append(space(r, spaced)).append(':').append(space(r, spaced)).append("\"web-")
                        .append(r.nextInt(3)).append('"');
            }
            b.append('}');
        }
        return b.append(json ? "]" : "\n").toString();
    }

    private static String space(Random r, boolean spaced) {
        return spaced ? SPACES[r.nextInt(SPACES.length)] : "";
    }
}
