package dev.pulse.protocol.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.pulse.protocol.event.JacksonNameTable;
import dev.pulse.protocol.event.JsonSyntax;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.Skip;

import java.io.IOException;
import java.util.List;

/**
 * Decoder of OTLP/HTTP JSON bodies (the protobuf JSON mapping of {@code ExportMetricsServiceRequest}, field names
 * in lowerCamelCase, 64-bit integers as strings or numbers, enums as numbers or names) into a
 * {@link LabelledBatch}, with the same rules as {@link OtlpProtoDecoder}. Read with jackson-core's streaming parser;
 * a Sum's temporality, which may follow its points, is read first by a second parser over the Sum's bytes.
 *
 * <p>Cost: a parser per request and per Sum; strings are copied once into the batch. Not thread-safe: one instance
 * per event loop.
 */
public final class OtlpJsonDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** Bad input found by the decoder itself (jackson reports its own). */
    private static final class Bad extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private final LabelledBatch batch;
    private final OtlpPoints points;
    private final byte[] digits = new byte[20];

    // All fields below: owned by the decoding event loop.
    private byte[] buf;
    private int start;
    private int end;
    private int depth;
    private String message;

    public OtlpJsonDecoder(LabelledBatch batch, List<String> sourceAttributes) {
        this.batch = batch;
        this.points = new OtlpPoints(sourceAttributes);
    }

    public String message() {
        return message;
    }

    /** Decodes the JSON in {@code buf[off, off+len)}. */
    public DecodeResult decode(byte[] buf, int off, int len) {
        batch.clear(true);
        message = null;
        this.buf = buf;
        this.start = off;
        this.end = off + len;
        this.depth = 0;
        int ff = JacksonNameTable.firstFF(buf, off, off + len);
        if (ff >= 0) {
            return fail("the body is not valid JSON at byte " + (ff - off) + ": invalid UTF-8 start byte 0xff");
        }
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Bad("not a JSON object");
            }
            object(p, this::requestField);
            if (p.nextToken() != null) {
                throw new Bad("content follows the request object");
            }
            return DecodeResult.OK;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            return fail("the body is not valid JSON at byte " + at + ": " + JsonSyntax.describe(e.getOriginalMessage()));
        } catch (Bad e) {
            return fail("the body is not a valid OTLP JSON request: " + e.getMessage());
        } catch (IOException e) {
            return fail("the body could not be read: " + e.getMessage());
        } finally {
            this.buf = null;
        }
    }

    private DecodeResult fail(String why) {
        batch.clear(true);
        message = why;
        return DecodeResult.MALFORMED;
    }

    @FunctionalInterface
    private interface FieldReader {
        /** Reads the value of {@code name} (the parser is on it); false when the field is unknown. */
        boolean read(JsonParser p, String name) throws IOException;
    }

    @FunctionalInterface
    private interface ElementReader {
        void read(JsonParser p) throws IOException;
    }

    /** Reads the fields of the object the parser is on; unknown fields are skipped. */
    private void object(JsonParser p, FieldReader fields) throws IOException {
        if (++depth > 32) {
            throw new Bad("nested deeper than 32");
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NULL || !fields.read(p, name)) {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new Bad("an object ends early");
        }
        depth--;
    }

    private void objectValue(JsonParser p, String name, FieldReader fields) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Bad(name + " is not an object");
        }
        object(p, fields);
    }

    private void array(JsonParser p, String name, ElementReader element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new Bad(name + " is not an array");
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new Bad("an element of " + name + " is not an object");
            }
            element.read(p);
        }
    }

    private boolean requestField(JsonParser p, String name) throws IOException {
        if (!name.equals("resourceMetrics")) {
            return false;
        }
        array(p, name, this::resourceMetrics);
        return true;
    }

    private void resourceMetrics(JsonParser p) throws IOException {
        int group = batch.addGroup();
        object(p, (q, name) -> {
            switch (name) {
                case "resource" -> objectValue(q, name, (r, field) -> {
                    if (!field.equals("attributes")) {
                        return false;
                    }
                    int from = batch.labelMark();
                    array(r, field, kv -> keyValue(kv, true));
                    batch.setGroupLabels(group, from, batch.labelMark());
                    return true;
                });
                case "scopeMetrics" -> array(q, name, s -> object(s, (r, field) -> {
                    if (!field.equals("metrics")) {
                        return false;
                    }
                    array(r, field, m -> metric(m, group));
                    return true;
                }));
                default -> {
                    return false;
                }
            }
            return true;
        });
    }

    private void metric(JsonParser p, int group) throws IOException {
        LabelledBatch b = batch;
        int seriesMark = b.seriesCount();
        int labelMark = b.labelMark();
        int sampleMark = b.sampleCount();
        int arenaMark = b.arenaEnd();
        int[] name = {0, -1};
        object(p, (q, field) -> {
            switch (field) {
                case "name" -> {
                    int len = q.getTextLength();
                    if (q.currentToken() != JsonToken.VALUE_STRING) {
                        throw new Bad("a metric's name is not a string");
                    }
                    if (len > LabelledBatch.MAX_STRING_BYTES) {
                        name[1] = len;
                    } else {
                        name[0] = b.appendChars(q.getTextCharacters(), q.getTextOffset(), len);
                        name[1] = b.arenaEnd() - name[0];
                    }
                }
                case "gauge" -> objectValue(q, field, (r, f) -> dataPoints(r, f, group, LabelledBatch.VALUE));
                case "sum" -> {
                    byte kind = sumKind(q);
                    objectValue(q, field, (r, f) -> dataPoints(r, f, group, kind));
                }
                case "histogram", "exponentialHistogram", "summary" -> objectValue(q, field, (r, f) -> {
                    if (!f.equals("dataPoints")) {
                        return false;
                    }
                    int[] n = {0};
                    array(r, f, point -> {
                        point.skipChildren();
                        n[0]++;
                    });
                    b.skip(Skip.UNSUPPORTED_TYPE, n[0]);
                    return true;
                });
                default -> {
                    return false;
                }
            }
            return true;
        });
        OtlpPoints.finishMetric(b, seriesMark, labelMark, sampleMark, arenaMark, name[0], name[1]);
    }

    /** Reads a Sum's temporality and monotonicity ahead of its points, with a parser over the Sum's bytes. */
    private byte sumKind(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Bad("sum is not an object");
        }
        int from = start + (int) p.currentTokenLocation().getByteOffset(); // jackson counts from the parser's start
        long temporality = 0;
        boolean monotonic = false;
        try (JsonParser ahead = JSON.createParser(buf, from, end - from)) {
            ahead.nextToken();
            JsonToken t;
            while ((t = ahead.nextToken()) == JsonToken.FIELD_NAME) {
                String name = ahead.currentName();
                JsonToken v = ahead.nextToken();
                if (name.equals("aggregationTemporality")) {
                    temporality = v == JsonToken.VALUE_STRING ? temporalityNamed(ahead.getText()) : integer(ahead, name);
                } else if (name.equals("isMonotonic")) {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_NULL) {
                        throw new Bad("isMonotonic is not a boolean");
                    }
                    monotonic = v == JsonToken.VALUE_TRUE;
                } else {
                    ahead.skipChildren();
                }
            }
        }
        return OtlpPoints.sumKind(monotonic, temporality);
    }

    private static long temporalityNamed(String name) {
        return switch (name) {
            case "AGGREGATION_TEMPORALITY_DELTA" -> OtlpPoints.DELTA;
            case "AGGREGATION_TEMPORALITY_CUMULATIVE" -> OtlpPoints.CUMULATIVE;
            default -> 0;
        };
    }

    private boolean dataPoints(JsonParser p, String field, int group, byte kind) throws IOException {
        if (!field.equals("dataPoints")) {
            return false;
        }
        array(p, field, q -> point(q, group, kind));
        return true;
    }

    private void point(JsonParser p, int group, byte kind) throws IOException {
        LabelledBatch b = batch;
        int seriesMark = b.seriesCount();
        int labelMark = b.labelMark();
        int sampleMark = b.sampleCount();
        int arenaMark = b.arenaEnd();
        int s = b.beginSeries(group);
        long[] ints = {0, 0, 0, 0};          // start, time, flags, attributes
        double[] value = {0};
        boolean[] state = {false, false};    // has value, bad
        object(p, (q, field) -> {
            switch (field) {
                case "startTimeUnixNano" -> ints[0] = integer(q, field);
                case "timeUnixNano" -> ints[1] = integer(q, field);
                case "flags" -> ints[2] = integer(q, field);
                case "asDouble" -> {
                    value[0] = decimal(q, field);
                    state[0] = true;
                }
                case "asInt" -> {
                    value[0] = integer(q, field);
                    state[0] = true;
                }
                case "attributes" -> array(q, field, kv -> {
                    if (state[1] || ++ints[3] > LabelledBatch.MAX_LABELS) {
                        kv.skipChildren();
                        state[1] = true;
                    } else {
                        state[1] = !keyValue(kv, false);
                    }
                });
                default -> {
                    return false;
                }
            }
            return true;
        });
        OtlpPoints.finishPoint(b, s, kind, state[1], state[0], value[0], ints[0], ints[1], ints[2], seriesMark,
                labelMark, sampleMark, arenaMark);
    }

    /** One {@code KeyValue}, kept as {@link OtlpProtoDecoder} keeps it; false when too long to be in a name. */
    private boolean keyValue(JsonParser p, boolean resource) throws IOException {
        LabelledBatch b = batch;
        int mark = b.arenaEnd();
        int[] at = {-1, 0, -1, 0}; // key offset, length; value offset, length
        boolean[] tooLong = {false};
        object(p, (q, field) -> {
            switch (field) {
                case "key" -> {
                    if (q.currentToken() != JsonToken.VALUE_STRING) {
                        throw new Bad("an attribute's key is not a string");
                    }
                    if (q.getTextLength() > LabelledBatch.MAX_STRING_BYTES) {
                        tooLong[0] = true;
                    } else {
                        at[0] = b.appendChars(q.getTextCharacters(), q.getTextOffset(), q.getTextLength());
                        at[1] = b.arenaEnd() - at[0];
                    }
                }
                case "value" -> objectValue(q, field, (r, kind) -> {
                    JsonToken t = r.currentToken();
                    switch (kind) {
                        case "stringValue" -> {
                            if (t != JsonToken.VALUE_STRING) {
                                throw new Bad("stringValue is not a string");
                            }
                            if (r.getTextLength() > LabelledBatch.MAX_STRING_BYTES) {
                                tooLong[0] = true;
                                return true;
                            }
                            at[2] = b.appendChars(r.getTextCharacters(), r.getTextOffset(), r.getTextLength());
                        }
                        case "boolValue" -> {
                            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                                throw new Bad("boolValue is not a boolean");
                            }
                            at[2] = OtlpPoints.appendBool(b, t == JsonToken.VALUE_TRUE);
                        }
                        case "intValue" -> at[2] = OtlpPoints.appendLong(b, integer(r, kind), digits);
                        case "doubleValue" -> at[2] = OtlpPoints.appendDouble(b, decimal(r, kind));
                        default -> {
                            return false;
                        }
                    }
                    at[3] = b.arenaEnd() - at[2];
                    return true;
                });
                default -> {
                    return false;
                }
            }
            return true;
        });
        boolean ok = at[1] <= LabelledBatch.MAX_STRING_BYTES && at[3] <= LabelledBatch.MAX_STRING_BYTES && !tooLong[0];
        boolean keep = ok && at[0] >= 0 && at[1] > 0 && at[2] >= 0
                && (!resource || points.isSourceAttribute(b.bytes(), at[0], at[1]));
        if (!keep) {
            b.rewind(b.seriesCount(), b.labelMark(), b.sampleCount(), mark);
            return ok || resource;
        }
        b.addLabel(at[0], at[1], at[2], at[3]);
        return true;
    }

    /** A 64-bit integer: a JSON number or a string of digits (the protobuf JSON mapping's form). */
    private static long integer(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            char[] c = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            boolean negative = len > 0 && c[off] == '-';
            int i = negative ? 1 : 0;
            if (i == len || len - i > 19) {
                throw new Bad(name + " is not an integer");
            }
            long v = 0;
            for (; i < len; i++) {
                char d = c[off + i];
                if (d < '0' || d > '9') {
                    throw new Bad(name + " is not an integer");
                }
                v = v * 10 + (d - '0'); // 19 digits fit; a wrap past 2^63 is read as the unsigned nanoseconds it is
            }
            return negative ? -v : v;
        }
        throw new Bad(name + " is not an integer");
    }

    /** A double: a JSON number, or the strings {@code NaN}, {@code Infinity}, {@code -Infinity} or a decimal. */
    private static double decimal(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getText());
            } catch (NumberFormatException e) {
                throw new Bad(name + " is not a number");
            }
        }
        throw new Bad(name + " is not a number");
    }
}
