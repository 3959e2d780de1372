package dev.pulse.protocol.event;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the decoder (Jazzer). Under {@code make test} it replays the corpus in
 * {@code EventDecoderFuzzTestInputs/}; {@code make fuzz} explores. Invariants: nothing escapes as an exception, a
 * split body decodes as the whole one does, the fast path gives what jackson alone gives (the same events, or the
 * same refusal and event index) whole and split at every point, and every accepted JSON body is exactly what
 * Jackson databind reads, under the contract's rules.
 */
class EventDecoderFuzzTest {
    private static final ObjectMapper REFERENCE = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Where {@code make fuzz} keeps what it found; replayed here as plain bodies, in both formats. */
    private static final java.nio.file.Path CORPUS =
            java.nio.file.Path.of(".cifuzz-corpus", EventDecoderFuzzTest.class.getName(), "decodesLikeTheReference");

    /**
     * Whether a body of {@code length} bytes is tried split at {@code at}: every point of a body up to 1 KB; of a
     * longer one, every point of its first and last 256 bytes and every 13th between (a split costs two decodes, so
     * every point of a 4 KB input held the fuzzer to a few inputs a second).
     */
    private static boolean tried(int at, int length) {
        return length <= 1024 || at <= 256 || at >= length - 256 || at % 13 == 0;
    }

    /**
     * Every body the fuzzer kept, as a JSON and as an NDJSON body: the fast path gives what jackson alone gives,
     * whole and split at each point {@link #tried}.
     */
    @org.junit.jupiter.api.TestFactory
    java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> theCorpusDecodesLikeJacksonAloneAtEverySplit() throws Exception {
        java.util.List<java.nio.file.Path> files;
        try (java.util.stream.Stream<java.nio.file.Path> list = java.nio.file.Files.list(CORPUS)) {
            files = list.sorted().toList();
        }
        assertTrue(files.size() > 100, "the corpus is there: " + CORPUS.toAbsolutePath());
        return files.stream().map(f -> org.junit.jupiter.api.DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            byte[] body = java.nio.file.Files.readAllBytes(f);
            for (BodyFormat format : BodyFormat.values()) {
                EventDecoderTest.Outcome reference = EventDecoderTest.reference(format, body);
                for (int at = 0; at <= body.length; at++) {
                    if (tried(at, body.length)) {
                        EventDecoderTest.assertSameVerdict(reference, EventDecoderTest.decode(format, body, at),
                                format + " split at " + at);
                    }
                }
            }
        }));
    }

    @FuzzTest(maxDuration = "60s")
    void decodesLikeTheReference(FuzzedDataProvider data) throws Exception {
        BodyFormat format = data.consumeBoolean() ? BodyFormat.NDJSON : BodyFormat.JSON;
        int split = data.consumeInt(0, 1 << 16);
        byte[] body = data.consumeRemainingAsBytes();
        split = Math.min(split, body.length);

        EventDecoderTest.Outcome whole = EventDecoderTest.decode(format, body);
        EventDecoderTest.Outcome parts = EventDecoderTest.decode(format, body, split);
        if (whole.error() == DecodeError.MALFORMED) {
            // jackson locates an error inside a token that spans two chunks (a string with a bad byte) by its own
            // buffer bookkeeping: the verdict and the event are the same, the offset stays within the body
            assertEquals(DecodeError.MALFORMED, parts.error(), "split at " + split);
            assertEquals(whole.index(), parts.index(), "split at " + split);
            assertTrue(parts.offset() >= 0 && parts.offset() <= body.length, "split at " + split);
        } else {
            assertEquals(whole, parts, "split at " + split);
        }
        EventDecoderTest.Outcome reference = EventDecoderTest.reference(format, body);
        EventDecoderTest.assertSameVerdict(reference, whole, "whole");
        for (int at = 0; at <= body.length; at++) {
            if (tried(at, body.length)) {
                EventDecoderTest.assertSameVerdict(reference, EventDecoderTest.decode(format, body, at), "split at " + at);
            }
        }
        if (!whole.ok() || format != BodyFormat.JSON) {
            return;
        }
        JsonNode tree = REFERENCE.readTree(body); // an accepted body must be JSON the reference reads
        StringBuilder expected = new StringBuilder();
        for (JsonNode event : tree.isArray() ? tree : java.util.List.of(tree)) {
            String source = event.has("source") ? event.get("source").asText() : "default";
            JsonNode ts = event.get("timestamp");
            expected.append(source).append('@').append(ts == null || ts.isNull() ? Double.NaN : ts.asDouble()).append('{');
            for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("source") || f.getKey().equals("timestamp")) {
                    continue;
                }
                assertTrue(f.getValue().isNumber(), f.getKey());
                expected.append(f.getKey()).append('=').append(f.getValue().asDouble()).append(';');
            }
            expected.append('}');
        }
        assertEquals(expected.toString(), whole.events());
    }
}
