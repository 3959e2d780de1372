package dev.pulse.protocol.reply;

import dev.pulse.protocol.labelled.Allocation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonWriterTest {
    private final ByteBuf buf = Unpooled.buffer(256);
    private final JsonWriter w = new JsonWriter().target(buf);

    @AfterEach
    void release() {
        buf.release();
    }

    private String text() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void placesCommasBetweenMembersAndElementsOnly() {
        w.beginObject().name("a").value(1).name("b").value("x").name("c").value(true).endObject();
        assertEquals("{\"a\":1,\"b\":\"x\",\"c\":true}", text());
    }

    @Test
    void namesEncodedOnceWriteWhatTheirTextWrites() {
        JsonWriter.Name a = JsonWriter.Name.of("a");
        JsonWriter.Name zscore = JsonWriter.Name.of("z_score");
        w.beginObject().name(a).value(1).name("b").beginArray().beginObject().name(zscore).value(2.5).endObject()
                .endArray().name(zscore).nullValue().endObject();
        assertEquals("{\"a\":1,\"b\":[{\"z_score\":2.5}],\"z_score\":null}", text());
    }

    @Test
    void namesEncodedOnceRefuseWhatWouldNeedEscaping() {
        for (String bad : new String[] {"quo\"te", "back\\slash", "tab\t", "caf\u00e9", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> JsonWriter.Name.of(bad), bad);
        }
    }

    @Test
    void nestedContainersEachCountTheirOwnElements() {
        w.beginObject()
                .name("list").beginArray().value(1).beginObject().name("k").nullValue().endObject().value(2).endArray()
                .name("inner").beginObject().name("deep").beginArray().beginArray().endArray().endArray().endObject()
                .name("last").value(0.5)
                .endObject();
        assertEquals("{\"list\":[1,{\"k\":null},2],\"inner\":{\"deep\":[[]]},\"last\":0.5}", text());
        assertEquals(0, w.depth());
    }

    @Test
    void emptyContainers() {
        w.beginArray().beginObject().endObject().beginArray().endArray().beginObject().endObject().endArray();
        assertEquals("[{},[],{}]", text());
    }

    @Test
    void aNewTargetForgetsWhatWasOpen() {
        w.beginObject().name("a").beginArray().value(1);
        buf.clear();
        w.target(buf).beginObject().name("b").value(2).endObject();
        assertEquals("{\"b\":2}", text());
        assertEquals(0, w.depth());
    }

    @Test
    void escapesNamesAndValues() {
        w.beginObject().name("q\"b\\").value("line\nfeed\r\ttab\u0001\u001f é 漢 \uD83D\uDE00")
                .name("é").value("\"quoted\"").name("").value("")
                .endObject();
        assertEquals("{\"q\\\"b\\\\\":\"line\\nfeed\\r\\ttab\\u0001\\u001f é 漢 \uD83D\uDE00\","
                + "\"é\":\"\\\"quoted\\\"\",\"\":\"\"}", text());
    }

    @Test
    void nonFiniteDoublesAreNullAndNumbersKeepTheirForm() {
        w.beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY).value(Double.NEGATIVE_INFINITY)
                .value(3.0).value(-0.0).value(-2.5).value(1e20).value(Long.MIN_VALUE).value(-7L).value((String) null)
                .endArray();
        assertEquals("[null,null,null,3.0,0,-2.5,1.0E20,-9223372036854775808,-7,null]", text());
    }

    @Test
    void rawValuesTakeTheirPlaceAmongOthers() {
        w.beginObject().name("a").rawValue("{\"x\":1}").name("b").rawValue("[\"é\"]".getBytes(StandardCharsets.UTF_8))
                .endObject();
        assertEquals("{\"a\":{\"x\":1},\"b\":[\"é\"]}", text());
    }

    @Test
    void nestingIsBoundedAndClosingTooMuchThrows() {
        for (int i = 0; i < JsonWriter.MAX_DEPTH; i++) {
            w.beginArray();
        }
        assertThrows(IllegalStateException.class, w::beginArray);
        assertThrows(IllegalStateException.class, w::beginObject);
        w.value(1).value(2); // the deepest level still tracks its elements
        for (int i = 0; i < JsonWriter.MAX_DEPTH; i++) {
            w.endArray();
        }
        assertEquals("[".repeat(JsonWriter.MAX_DEPTH) + "1,2" + "]".repeat(JsonWriter.MAX_DEPTH), text());
        assertThrows(IllegalStateException.class, w::endObject);
    }

    @Test
    void textLongerThanTheBlockKeepsItsOrder() {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < 9_000; i++) {
            name.append(i % 1000 == 999 ? '"' : (char) ('a' + i % 26));
        }
        w.beginObject().name(name).beginArray();
        StringBuilder expected = new StringBuilder("{\"").append(name.toString().replace("\"", "\\\"")).append("\":[");
        for (int i = 0; i < 3_000; i++) {
            w.value(i * 1.5 - 7);
            expected.append(i > 0 ? "," : "").append(Double.toString(i * 1.5 - 7));
        }
        w.endArray().name("tail").value("é\n" + name).endObject();
        expected.append("],\"tail\":\"é\\n").append(name.toString().replace("\"", "\\\"")).append("\"}");
        assertEquals(expected.toString(), text());
    }

    @Test
    void anOpenValueIsInTheBufferOnceAskedFor() {
        w.beginObject().name("a").value(1);
        assertEquals("{\"a\":1", w.buffer().toString(StandardCharsets.UTF_8));
        w.endObject();
        assertEquals("{\"a\":1}", text());
    }

    @Test
    void longsOfEveryLengthAndSign() {
        long[] values = {0, 7, -7, 9, 10, 99, 100, 12_345, 999_999_999_999L, 1_000_000_000_000_000_000L,
                Long.MAX_VALUE, Long.MIN_VALUE, -1_000_000_000_000_000_000L};
        w.beginArray();
        StringBuilder expected = new StringBuilder("[");
        for (long v : values) {
            w.value(v);
            expected.append(expected.length() > 1 ? "," : "").append(v);
        }
        w.endArray();
        assertEquals(expected.append(']').toString(), text());
        PrometheusTextWriter exposition = new PrometheusTextWriter().target(buf);
        for (long v : values) { // the exposition's integers come from the same formatter
            buf.clear();
            exposition.sample("x").value(false, v);
            assertEquals("x " + v + "\n", text());
        }
    }

    @Test
    void exposedLabelValuesAreEscapedAndKeepCharactersPastTheBasicPlane() {
        PrometheusTextWriter exposition = new PrometheusTextWriter().target(buf);
        exposition.sample("x").label(true, "path", "/\uD83D\uDE00 \"q\" \\ \n é").value(true, 1L);
        assertEquals("x{path=\"/\uD83D\uDE00 \\\"q\\\" \\\\ \\n é\"} 1\n", text());
    }

    @Test
    void writingAReplyAllocatesNothing() {
        for (int round = 0; round < 3; round++) { // the first rounds load classes and grow the buffer
            buf.clear();
            reply(w.target(buf));
        }
        buf.clear();
        assertEquals(0, Allocation.bytes(() -> reply(w.target(buf))), "bytes allocated writing one reply");
    }

    private static void reply(JsonWriter w) {
        w.beginObject().name("accepted").value(3).name("anomalies").beginArray();
        for (int i = 0; i < 3; i++) {
            w.beginObject().name("source").value("web-1").name("value").value(i + 0.25).name("z").value(Double.NaN)
                    .endObject();
        }
        w.endArray().endObject();
    }
}
