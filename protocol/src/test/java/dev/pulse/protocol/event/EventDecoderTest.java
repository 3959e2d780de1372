package dev.pulse.protocol.event;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventDecoderTest {

    /** What a decode produced, in a form that compares whole results. */
    record Outcome(boolean ok, String events, DecodeError error, int index, long offset) {
    }

    static Outcome decode(BodyFormat format, byte[] body, int... splits) {
        return decode(new EventDecoder(new EventBatch()), format, body, splits);
    }

    /** Decoded by jackson alone, the fast path off: the reference. */
    static Outcome reference(BodyFormat format, byte[] body) {
        return decode(EventDecoder.jacksonOnly(new EventBatch()), format, body);
    }

    static Outcome decode(EventDecoder d, BodyFormat format, byte[] body, int... splits) {
        d.begin(format);
        int from = 0;
        boolean ok = true;
        for (int split : splits) {
            ok = d.feed(body, from, split - from);
            from = split;
        }
        ok = ok && d.feed(body, from, body.length - from);
        ok = ok && d.finish();
        return ok ? new Outcome(true, describe(d.batch()), null, 0, -1)
                : new Outcome(false, null, d.error(), d.errorIndex(), d.errorOffset());
    }

    static Outcome decode(BodyFormat format, String body) {
        return decode(format, body.getBytes(StandardCharsets.UTF_8));
    }

    static String describe(EventBatch b) {
        StringBuilder s = new StringBuilder();
        for (int e = 0; e < b.size(); e++) {
            s.append(b.sourceName(e)).append('@').append(b.timestamp(e)).append('{');
            for (int m = b.metricStart(e); m < b.metricStart(e) + b.metricCount(e); m++) {
                s.append(b.metricName(m)).append('=').append(b.metricValue(m)).append(';');
            }
            s.append('}');
        }
        return s.toString();
    }

    @Test
    void decodesTheContractsExampleEvent() {
        Outcome o = decode(BodyFormat.JSON,
                "{\"timestamp\": 1234567890, \"source\": \"web-1\", \"cpu\": 45.5, \"rps\": 105.3, \"memory\": 50.2, \"latency\": 25.1}");
        assertEquals("web-1@1.23456789E9{cpu=45.5;rps=105.3;memory=50.2;latency=25.1;}", o.events());
    }

    @Test
    void defaultsSourceAndLeavesTimestampAbsent() {
        assertEquals("default@NaN{cpu=1.0;}", decode(BodyFormat.JSON, "{\"cpu\":1}").events());
        assertEquals("default@NaN{cpu=1.0;}", decode(BodyFormat.JSON, "{\"timestamp\":null,\"cpu\":1}").events());
        assertEquals("default@1.5{cpu=1.0;}", decode(BodyFormat.JSON, "{\"timestamp\":1.5,\"cpu\":1}").events());
    }

    @Test
    void decodesArraysAndNdjsonThroughTheSamePath() {
        String expected = "a@NaN{cpu=1.0;}b@NaN{x_1=2.5;}";
        assertEquals(expected, decode(BodyFormat.JSON, "[{\"source\":\"a\",\"cpu\":1},{\"source\":\"b\",\"x_1\":2.5}]").events());
        assertEquals(expected, decode(BodyFormat.NDJSON, "{\"source\":\"a\",\"cpu\":1}\n\n{\"source\":\"b\",\"x_1\":2.5}\n").events());
        assertEquals(expected, decode(BodyFormat.NDJSON, "\n{\"source\":\"a\",\"cpu\":1}\r\n  \r\n{\"source\":\"b\",\"x_1\":2.5}").events());
    }

    @Test
    void keepsNumbersExact() {
        assertEquals("default@NaN{a=1.0E9;b=-0.001;c=1.2345678901234567E19;d=9.007199254740992E15;e=1.0E-300;}",
                decode(BodyFormat.JSON, "{\"a\":1e9,\"b\":-1e-3,\"c\":12345678901234567890,\"d\":9007199254740993,\"e\":1e-300}").events());
        assertEquals("default@NaN{big=1.0E308;}", decode(BodyFormat.JSON, "{\"big\":1e308}").events());
    }

    @Test
    void handlesEscapesInKeysAndUnicodeInIgnoredPlaces() {
        // an escaped key decodes to a plain metric name
        assertEquals("default@NaN{cpu=1.0;}", decode(BodyFormat.JSON, "{\"c\\u0070u\":1}").events());
        assertRefused(decode(BodyFormat.JSON, "{\"source\":\"w\\u00e9b\",\"cpu\":1}"), DecodeError.BAD_NAME, 0);
        assertRefused(decode(BodyFormat.JSON, "{\"source\":\"wéb\",\"cpu\":1}"), DecodeError.BAD_NAME, 0);
        assertRefused(decode(BodyFormat.JSON, "{\"cpü\":1}"), DecodeError.BAD_NAME, 0);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("{\"cpu\":\"1\"}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"cpu\":true}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"cpu\":null}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"cpu\":{\"a\":1}}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"cpu\":[1]}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"cpu\":1e400}", DecodeError.NOT_FINITE, 0),
                Arguments.of("{\"cpu\":-1e400}", DecodeError.NOT_FINITE, 0),
                Arguments.of("{\"timestamp\":\"now\",\"cpu\":1}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"source\":5,\"cpu\":1}", DecodeError.WRONG_TYPE, 0),
                Arguments.of("{\"source\":\"\",\"cpu\":1}", DecodeError.BAD_NAME, 0),
                Arguments.of("{\"source\":\"a b\",\"cpu\":1}", DecodeError.BAD_NAME, 0),
                Arguments.of("{\"source\":\"" + "s".repeat(129) + "\",\"cpu\":1}", DecodeError.BAD_NAME, 0),
                Arguments.of("{\"" + "m".repeat(65) + "\":1}", DecodeError.BAD_NAME, 0),
                Arguments.of("{\"bad-name\":1}", DecodeError.BAD_NAME, 0),
                Arguments.of("{\"\":1}", DecodeError.BAD_NAME, 0),
                Arguments.of("{\"cpu\":1,\"cpu\":2}", DecodeError.DUPLICATE_FIELD, 0),
                Arguments.of("{\"source\":\"a\",\"source\":\"b\",\"cpu\":1}", DecodeError.DUPLICATE_FIELD, 0),
                Arguments.of("{\"source\":\"a\"}", DecodeError.NO_METRIC, 0),
                Arguments.of("{}", DecodeError.NO_METRIC, 0),
                Arguments.of("[]", DecodeError.EMPTY_BATCH, 0),
                Arguments.of("", DecodeError.EMPTY_BATCH, 0),
                Arguments.of("   ", DecodeError.EMPTY_BATCH, 0),
                Arguments.of("[{\"cpu\":1},{\"cpu\":\"x\"}]", DecodeError.WRONG_TYPE, 1),
                Arguments.of("[{\"cpu\":1},{\"cpu\":2},{}]", DecodeError.NO_METRIC, 2),
                Arguments.of("[{\"cpu\":1},5]", DecodeError.WRONG_TYPE, 1),
                Arguments.of("[[{\"cpu\":1}]]", DecodeError.WRONG_TYPE, 0),
                Arguments.of("5", DecodeError.WRONG_TYPE, 0),
                Arguments.of("\"x\"", DecodeError.WRONG_TYPE, 0),
                // after a single event, what follows it is still the single event's request: index 0
                Arguments.of("{\"cpu\":1} {\"cpu\":2}", DecodeError.MALFORMED, 0),
                Arguments.of("{\"cpu\":NaN}", DecodeError.MALFORMED, 0),
                Arguments.of("{\"cpu\":Infinity}", DecodeError.MALFORMED, 0),
                Arguments.of("{\"cpu\":1", DecodeError.MALFORMED, 0),
                Arguments.of("{\"cpu\":1}}", DecodeError.MALFORMED, 0),
                Arguments.of("[{\"cpu\":1}", DecodeError.MALFORMED, 1),
                Arguments.of("{\"cpu\":1} trailing", DecodeError.MALFORMED, 0));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWithReasonAndIndex(String body, DecodeError reason, int index) {
        assertRefused(decode(BodyFormat.JSON, body), reason, index);
    }

    @Test
    void refusesNdjsonLinesThatAreNotObjects() {
        assertRefused(decode(BodyFormat.NDJSON, "{\"cpu\":1}\n[{\"cpu\":2}]\n"), DecodeError.WRONG_TYPE, 1);
        assertRefused(decode(BodyFormat.NDJSON, "\n\n"), DecodeError.EMPTY_BATCH, 0);
        assertRefused(decode(BodyFormat.NDJSON, "{\"cpu\":1}\n{\"cpu\":\n"), DecodeError.MALFORMED, 1);
        assertEquals(10, decode(BodyFormat.NDJSON, "{\"cpu\":1}\n5").offset(), "the line's first byte");
    }

    @Test
    void reportsTheByteOffsetOfMalformedJson() {
        assertEquals(7, decode(BodyFormat.JSON, "{\"cpu\":x}").offset());
        assertEquals(9, decode(BodyFormat.JSON, "{\"cpu\":1 2}").offset());
        assertEquals(10, decode(BodyFormat.JSON, "{\"cpu\":1} x").offset());
        assertEquals(-1, decode(BodyFormat.JSON, "{\"cpu\":\"x\"}").offset());
    }

    /** A token that is wrong as a whole (a word, a number, a value where none may stand) is placed at its first byte. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json|JSON|0", "{\"cpu\":tru}|JSON|7", "{\"cpu\":1.}|JSON|7", "{\"cpu\":-Infinity}|JSON|7",
            "{\"cpu\":NaN}|JSON|7", "{\"cpu\":01}|JSON|7", "'  {\"cpu\":+1}'|JSON|9", "{\"cpu\":1} {\"cpu\":2}|JSON|10",
            "5|JSON|0", "null|JSON|0", "[{\"cpu\":1},5]|JSON|11", "[{\"cpu\":12},[1]]|JSON|12"})
    void placesAWrongTokenAtItsFirstByte(String body, BodyFormat format, long offset) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(offset, decode(format, bytes, cut).offset(), body + " cut at " + cut);
        }
    }

    @Test
    void refusesDeepNestingAtOnce() {
        String deep = "[".repeat(100_000);
        assertRefused(decode(BodyFormat.JSON, deep), DecodeError.WRONG_TYPE, 0);
    }

    @Test
    void refusesEventsWithTooManyFields() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i <= EventDecoder.MAX_FIELDS_PER_EVENT; i++) {
            b.append(i == 0 ? "" : ",").append("\"m").append(i).append("\":1");
        }
        assertRefused(decode(BodyFormat.JSON, b.append('}').toString()), DecodeError.WRONG_TYPE, 0);
    }

    static List<String> splitCases() {
        List<String> cases = new ArrayList<>();
        cases.add("{\"timestamp\": 1234567890.25, \"source\": \"web-1\", \"cpu\": 45.5, \"rps\": 105.3, \"memory\": 5e9, \"latency\": 25.1}");
        cases.add("[{\"source\":\"a.b:c-d_e\",\"cpu\":-1.5e-3},{\"c\\u0070u\":2,\"timestamp\":null},{\"x\":12345678901234567890}]");
        cases.add("[{\"cpu\":1},{\"cpu\":\"x\"}]");
        cases.add("{\"cpu\":1,\"cpu\":2}");
        cases.add("{\"cpu\":x}");
        cases.add("[{\"cpu\":1}] garbage");
        cases.add("{\"source\":\"\\u0077eb\",\"cpu\":1}");
        return cases;
    }

    @Test
    void givesTheSameResultForEverySplitPoint() {
        for (String json : splitCases()) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            Outcome whole = decode(BodyFormat.JSON, body);
            for (int split = 0; split <= body.length; split++) {
                assertEquals(whole, decode(BodyFormat.JSON, body, split), json + " split at " + split);
            }
            int[] every = new int[body.length];
            for (int i = 0; i < body.length; i++) {
                every[i] = i;
            }
            assertEquals(whole, decode(BodyFormat.JSON, body, every), json + " one byte at a time");
        }
    }

    @Test
    void theFastPathAndJacksonAloneAgreeAtEverySplitPoint() {
        List<String> cases = new ArrayList<>(splitCases());
        cases.add("[{\"source\":\"a\",\"cpu\":1},{\"source\":\"\\u0061\",\"cpu\":2},{\"source\":\"a\",\"cpu\":3}]");
        cases.add("[{\"cpu\":1} {\"cpu\":2}]");
        cases.add("[{\"cpu\":1},]");
        cases.add("[{\"cpu\":01}]");
        cases.add("[{\"cpu\":1.},{\"cpu\":.5}]");
        cases.add("[{\"cpu\":-},{\"cpu\":1e}]");
        cases.add("{\"cpu\":1}\uFEFF");
        cases.add("\uFEFF{\"cpu\":1}");
        cases.add("{\"timestamp\":nul,\"cpu\":1}");
        cases.add("{\"timestamp\":null,\"cpu\":1e-400,\"rps\":123456789012345.6,\"x\":-0}");
        cases.add("{\"a}b\":1}");
        cases.add("[{\"cpu\":1}]]");
        for (BodyFormat format : BodyFormat.values()) {
            for (String json : cases) {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                Outcome reference = reference(format, body);
                for (int split = 0; split <= body.length; split++) {
                    assertSameVerdict(reference, decode(format, body, split), format + " " + json + " split at " + split);
                }
            }
        }
        byte[] escaped = cases.get(splitCases().size()).getBytes(StandardCharsets.UTF_8);
        assertEquals("a@NaN{cpu=1.0;}a@NaN{cpu=2.0;}a@NaN{cpu=3.0;}", decode(BodyFormat.JSON, escaped).events(),
                "the event with an escape goes to jackson, the events around it are read alike");
    }

    /** Jackson's non-blocking parser took {@code ,} and {@code '}'} in two chunks as a complete object. */
    @Test
    void refusesAnObjectClosedAfterACommaWhereverTheBodyIsCut() {
        String[][] cases = {
                {"JSON", "{\"cpu\":110110555888815555,}", "0", "26"}, // a number too long for the fast path
                {"JSON", "{\"source\":\"\\u0061\",\"cpu\":1, \n}", "0", "29"}, // an escape, white space
                {"JSON", "[{\"cpu\":1},{\"cpu\":110110555888815555,}]", "1", "37"},
                {"NDJSON", "{\"cpu\":1}\n{\"cpu\":110110555888815555,}\n", "1", "36"},
                {"JSON", "{\"cpu\":1.25," + " ".repeat(1500) + "}", "0", "1512"}, // more white space than is kept
        };
        for (String[] c : cases) {
            BodyFormat format = BodyFormat.valueOf(c[0]);
            byte[] body = c[1].getBytes(StandardCharsets.UTF_8);
            Outcome refused = new Outcome(false, null, DecodeError.MALFORMED, Integer.parseInt(c[2]), Long.parseLong(c[3]));
            assertEquals(refused, decode(format, body), c[1]);
            for (int split = 0; split <= body.length; split++) {
                assertEquals(refused, decode(format, body, split), c[1] + " split at " + split);
                assertEquals(refused, decode(EventDecoder.jacksonOnly(new EventBatch()), format, body, split),
                        "jackson alone: " + c[1] + " split at " + split);
            }
            EventDecoder d = new EventDecoder(new EventBatch());
            decode(d, format, body, body.length - 1);
            assertEquals("malformed JSON: unexpected character '}' where a field name in double quotes should start",
                    d.message(), "in the words jackson's refusal of a whole body gives");
        }
    }

    /**
     * Jackson's non-blocking parser took {@code :} and {@code '}'} in two chunks as a field whose value is the end of
     * the object: a wrong type, where one feed refuses it as malformed. Found by the decoder fuzzer.
     */
    @Test
    void refusesAFieldWithoutAValueWhereverTheBodyIsCut() {
        String[][] cases = {
                {"JSON", "{\"cpu\":110110555888815555,\"rps\":}", "0"}, // a number too long for the fast path
                {"JSON", "{\"source\":\"\\u0061\",\"cpu\": \n}", "0"}, // an escape, white space
                {"NDJSON", "{\"a\":11056666666666666666666666666669111}{\"b\":}", "1"}, // the fuzzer's case, cut down
                {"NDJSON", "{\"cpu\":1}\n{\"cpu\":110110555888815555,\"rps\":}\n", "1"},
        };
        for (String[] c : cases) {
            BodyFormat format = BodyFormat.valueOf(c[0]);
            byte[] body = c[1].getBytes(StandardCharsets.UTF_8);
            Outcome refused = new Outcome(false, null, DecodeError.MALFORMED, Integer.parseInt(c[2]), c[1].lastIndexOf('}'));
            assertEquals(refused, decode(format, body), c[1]);
            for (int split = 0; split <= body.length; split++) {
                assertEquals(refused, decode(format, body, split), c[1] + " split at " + split);
                assertEquals(refused, decode(EventDecoder.jacksonOnly(new EventBatch()), format, body, split),
                        "jackson alone: " + c[1] + " split at " + split);
            }
        }
    }

    /** Jackson's non-blocking parser took {@code 3.1.} as a number in one feed and as a malformed one in two. */
    @Test
    void judgesANumberAlikeWhereverTheBodyIsCut() {
        String longRun = "1".repeat(HeldTail.MAX_NUMBER + 100);
        String[][] cases = {
                {"JSON", "{\"source\":3.1.}"},
                {"JSON", "[{\"cpu\":1},3.1.]"},
                {"NDJSON", "{\"cpu\":1}\n3.1..5"},
                {"JSON", "{\"cpu\":1.5.}"},
                {"NDJSON", "{\"cpu\":1}\n{\"cpu\":22}\n{\"cpu\":-3e+2}"},
                {"JSON", "{\"cpu\":" + longRun + "}"}, // longer than is held: past jackson's limit on a number
        };
        for (String[] c : cases) {
            BodyFormat format = BodyFormat.valueOf(c[0]);
            byte[] body = c[1].getBytes(StandardCharsets.UTF_8);
            Outcome whole = decode(format, body);
            for (int split = 0; split <= body.length; split++) {
                Outcome cut = decode(format, body, split);
                Outcome jackson = decode(EventDecoder.jacksonOnly(new EventBatch()), format, body, split);
                for (Outcome o : List.of(cut, jackson)) {
                    assertEquals(whole.ok(), o.ok(), c[1] + " split at " + split);
                    assertEquals(whole.events(), o.events(), c[1] + " split at " + split);
                    assertEquals(whole.error(), o.error(), c[1] + " split at " + split);
                    assertEquals(whole.index(), o.index(), c[1] + " split at " + split);
                }
            }
        }
        assertEquals(DecodeError.WRONG_TYPE, decode(BodyFormat.JSON, "{\"source\":3.1.}").error());
        assertTrue(decode(BodyFormat.NDJSON, cases[4][1]).ok());
    }

    /** Jackson's table of names took {@code "\xFFpu"} for {@code "pu"} once it had seen that name. */
    @Test
    void refusesA0xFFByteInANameWhoseRestWasSeenBefore() {
        byte[] bad = {'{', '"', 'c', 'p', 'u', '"', ':', '1', ',', '"', (byte) 0xFF, 'p', 'u', '"', ':', '2', '}'};
        // the table is jackson's, shared by every parser of the process: a body jackson reads puts "pu" in it
        assertTrue(decode(EventDecoder.jacksonOnly(new EventBatch()), BodyFormat.JSON,
                "{\"pu\":1,\"u\":2}".getBytes(StandardCharsets.UTF_8)).ok());
        for (EventDecoder d : List.of(new EventDecoder(new EventBatch()), EventDecoder.jacksonOnly(new EventBatch()))) {
            for (int split = 0; split <= bad.length; split++) {
                Outcome o = decode(d, BodyFormat.JSON, bad, split);
                assertEquals(new Outcome(false, null, DecodeError.MALFORMED, 0, 10), o, "split at " + split);
                assertEquals("malformed JSON: invalid UTF-8 start byte 0xff", d.message());
            }
        }
    }

    @Test
    void aCommaAndABraceInsideAStringAreNoTrailingComma() {
        byte[] body = "{\"source\":\"\\u0061\",\"a\\\",}\":1,\"cpu\":2}".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= body.length; split++) {
            Outcome o = decode(BodyFormat.JSON, body, split);
            assertEquals(DecodeError.BAD_NAME, o.error(), "the name is refused, not the JSON: split at " + split);
        }
    }

    /** The same events, or the same refusal (reason and event index) with an offset inside the body. */
    static void assertSameVerdict(Outcome reference, Outcome actual, String what) {
        assertEquals(reference.ok(), actual.ok(), what + ": " + reference + " / " + actual);
        if (reference.ok()) {
            assertEquals(reference.events(), actual.events(), what);
        } else {
            assertEquals(reference.error(), actual.error(), what + ": " + reference + " / " + actual);
            assertEquals(reference.index(), actual.index(), what);
        }
    }

    @Test
    void givesTheSameResultForNdjsonFedByteByByte() {
        byte[] body = "{\"source\":\"a\",\"cpu\":1}\n\n{\"source\":\"b\",\"cpu\":2.5}\n".getBytes(StandardCharsets.UTF_8);
        Outcome whole = decode(BodyFormat.NDJSON, body);
        assertTrue(whole.ok());
        int[] every = new int[body.length];
        for (int i = 0; i < body.length; i++) {
            every[i] = i;
        }
        assertEquals(whole, decode(BodyFormat.NDJSON, body, every));
    }

    @Test
    void feedsDirectAndHeapBuffers() {
        byte[] body = "[{\"cpu\":1},{\"cpu\":2}]".getBytes(StandardCharsets.UTF_8);
        for (ByteBuf buf : new ByteBuf[]{Unpooled.wrappedBuffer(body), Unpooled.directBuffer().writeBytes(body)}) {
            EventDecoder d = new EventDecoder(new EventBatch());
            d.begin(BodyFormat.JSON);
            assertTrue(d.feed(buf.retainedSlice(0, 7)));
            assertTrue(d.feed(buf.retainedSlice(7, body.length - 7)));
            assertTrue(d.finish());
            assertEquals("default@NaN{cpu=1.0;}default@NaN{cpu=2.0;}", describe(d.batch()));
            assertEquals(0, buf.readerIndex(), "feeding does not consume the caller's buffer");
            buf.release();
        }
    }

    @Test
    void reusesTheBatchAcrossRequests() {
        EventDecoder d = new EventDecoder(new EventBatch());
        for (int i = 0; i < 3; i++) {
            d.begin(BodyFormat.JSON);
            byte[] body = ("{\"source\":\"s" + i + "\",\"cpu\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            assertTrue(d.feed(body, 0, body.length));
            assertTrue(d.finish());
            assertEquals("s" + i + "@NaN{cpu=" + (double) i + ";}", describe(d.batch()));
        }
        d.begin(BodyFormat.JSON);
        byte[] bad = "{\"cpu\":[".getBytes(StandardCharsets.UTF_8);
        assertFalse(d.feed(bad, 0, bad.length));
        assertFalse(d.finish());
    }

    /**
     * One fast decoder kept across many bodies whose events change their field order, drop fields, repeat a name
     * or bring more names than its cache holds: its guesses of the next name and its duplicate stamps carry over from
     * event to event and body to body, and never change a verdict.
     */
    @Test
    void aDecoderKeptAcrossBodiesAgreesWithJacksonAloneWhateverTheFieldOrder() {
        java.util.Random random = new java.util.Random(20);
        String[] names = {"timestamp", "source", "cpu", "rps", "memory", "latency", "memory_used_bytes_total",
                "a", "b", "c0", "c1"};
        EventDecoder kept = new EventDecoder(new EventBatch());
        for (int body = 0; body < 2000; body++) {
            StringBuilder json = new StringBuilder("[");
            int events = 1 + random.nextInt(4);
            for (int e = 0; e < events; e++) {
                json.append(e == 0 ? "{" : ",{");
                int fields = 1 + random.nextInt(6);
                for (int f = 0; f < fields; f++) {
                    // mostly the names in one order, now and then another name, a repeat or one of many fresh names
                    int pick = random.nextInt(10) < 7 ? Math.min(f, names.length - 1) : random.nextInt(names.length);
                    String name = random.nextInt(50) == 0 ? "m" + random.nextInt(1000) : names[pick];
                    String value = name.equals("source") ? "\"s" + random.nextInt(3) + "\""
                            : name.equals("timestamp") && random.nextBoolean() ? "null" : String.valueOf(random.nextInt(100));
                    json.append(f == 0 ? "" : ",").append('"').append(name).append("\":").append(value);
                }
                json.append('}');
            }
            byte[] bytes = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
            assertSameVerdict(reference(BodyFormat.JSON, bytes), decode(kept, BodyFormat.JSON, bytes), json.toString());
        }
    }

    /**
     * Numbers of every shape and length (leading zeros in fractions, 15 and 16 significant digits, exponents, a
     * chunk's end inside them, the array's last bytes) read as jackson alone reads them, and an accepted one is
     * {@code Double.parseDouble}'s double (an integer -0 being the integer 0).
     */
    @Test
    void numbersOfEveryLengthAreReadAsJacksonAloneReadsThem() {
        java.util.Random random = new java.util.Random(15);
        EventDecoder kept = new EventDecoder(new EventBatch());
        for (int k = 0; k < 20000; k++) {
            StringBuilder number = new StringBuilder(random.nextInt(4) == 0 ? "-" : "");
            int intDigits = random.nextInt(4) == 0 ? 1 + random.nextInt(20) : 1 + random.nextInt(4);
            for (int d = 0; d < intDigits; d++) {
                number.append((char) ('0' + (d == 0 && random.nextInt(8) != 0 ? 1 + random.nextInt(9) : random.nextInt(10))));
            }
            if (random.nextBoolean()) {
                number.append('.');
                int zeros = random.nextInt(3) == 0 ? random.nextInt(12) : 0;
                int fracDigits = random.nextInt(10) == 0 ? random.nextInt(3) : 1 + random.nextInt(random.nextBoolean() ? 3 : 18);
                number.append("0".repeat(zeros));
                for (int d = 0; d < fracDigits; d++) {
                    number.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(10) == 0) {
                number.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "-" : "")
                        .append(random.nextInt(30));
            }
            String json = "{\"cpu\":" + number + (random.nextBoolean() ? "}" : ",\"rps\":1}");
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            Outcome reference = reference(BodyFormat.JSON, body);
            assertSameVerdict(reference, decode(kept, BodyFormat.JSON, body), json);
            assertSameVerdict(reference, decode(kept, BodyFormat.JSON, body, 7 + random.nextInt(number.length())), json + " split");
            if (reference.ok()) {
                double value = Double.parseDouble(number.toString());
                if (number.indexOf(".") < 0 && number.indexOf("e") < 0 && number.indexOf("E") < 0) {
                    value += 0.0; // an integer -0 is read as the integer 0
                }
                String expected = "default@NaN{cpu=" + value + ";";
                assertTrue(reference.events().startsWith(expected), json + ": " + reference.events());
            }
        }
    }

    private static void assertRefused(Outcome o, DecodeError reason, int index) {
        assertFalse(o.ok(), "expected a refusal");
        assertEquals(reason, o.error());
        assertEquals(index, o.index());
    }
}
