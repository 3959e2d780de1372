package dev.pulse.protocol.otlp;

import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.Skip;
import dev.pulse.protocol.proto.ProtoReader;

import java.util.List;

import static dev.pulse.protocol.proto.ProtoReader.I64;
import static dev.pulse.protocol.proto.ProtoReader.LEN;
import static dev.pulse.protocol.proto.ProtoReader.VARINT;

/**
 * Decoder of OTLP/HTTP protobuf bodies ({@code ExportMetricsServiceRequest}) into a {@link LabelledBatch}: one
 * series per number data point, grouped by resource. Read field by field with {@link ProtoReader}, so fields may
 * come in any order (a Sum's temporality is read in a first pass over the Sum, before its points).
 *
 * <p>Gauges and non-monotonic sums are values, monotonic cumulative sums {@link LabelledBatch#CUMULATIVE},
 * monotonic delta sums {@link LabelledBatch#DELTA} (divided by their interval here); histogram, exponential
 * histogram and summary points are counted as unsupported. Only resource attributes named in
 * {@code OTLP_SOURCE_ATTRIBUTES} are kept. Attribute values that are arrays, maps or bytes are left out of the name.
 *
 * <p>Not thread-safe: one instance per event loop.
 */
public final class OtlpProtoDecoder {
    private final LabelledBatch batch;
    private final OtlpPoints points;
    private final ProtoReader in = new ProtoReader();
    private final byte[] digits = new byte[20];

    // Owned by the decoding event loop.
    private String message;

    public OtlpProtoDecoder(LabelledBatch batch, List<String> sourceAttributes) {
        this.batch = batch;
        this.points = new OtlpPoints(sourceAttributes);
    }

    public LabelledBatch batch() {
        return batch;
    }

    public String message() {
        return message;
    }

    /** Decodes an uncompressed {@code ExportMetricsServiceRequest} in {@code buf[off, off+len)}. */
    public DecodeResult decode(byte[] buf, int off, int len) {
        batch.clear(true);
        message = null;
        ProtoReader r = in;
        r.reset(buf, off, len);
        try {
            while (r.more()) {
                int tag = r.tag();
                if (ProtoReader.field(tag) == 1) {
                    r.expect(tag, LEN);
                    resourceMetrics(r.length());
                } else {
                    r.skip(tag);
                }
            }
        } catch (ProtoReader.Malformed e) {
            batch.clear(true);
            message = "the body is not a valid ExportMetricsServiceRequest: " + r.problem() + " at byte "
                    + (r.problemOffset() - off);
            return DecodeResult.MALFORMED;
        }
        return DecodeResult.OK;
    }

    private void resourceMetrics(int length) {
        ProtoReader r = in;
        int outer = r.push(length);
        int group = batch.addGroup();
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> {
                    r.expect(tag, LEN);
                    resource(group, r.length());
                }
                case 2 -> {
                    r.expect(tag, LEN);
                    scopeMetrics(group, r.length());
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
    }

    private void resource(int group, int length) {
        ProtoReader r = in;
        int outer = r.push(length);
        int from = batch.labelMark();
        while (r.more()) {
            int tag = r.tag();
            if (ProtoReader.field(tag) == 1) {
                r.expect(tag, LEN);
                keyValue(r.length(), true);
            } else {
                r.skip(tag);
            }
        }
        r.pop(outer);
        batch.setGroupLabels(group, from, batch.labelMark());
    }

    private void scopeMetrics(int group, int length) {
        ProtoReader r = in;
        int outer = r.push(length);
        while (r.more()) {
            int tag = r.tag();
            if (ProtoReader.field(tag) == 2) {
                r.expect(tag, LEN);
                metric(group, r.length());
            } else {
                r.skip(tag);
            }
        }
        r.pop(outer);
    }

    private void metric(int group, int length) {
        ProtoReader r = in;
        LabelledBatch b = batch;
        int outer = r.push(length);
        int seriesMark = b.seriesCount();
        int labelMark = b.labelMark();
        int sampleMark = b.sampleCount();
        int arenaMark = b.arenaEnd();
        int nameAt = 0;
        int nameLen = -1;
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> {
                    r.expect(tag, LEN);
                    int n = r.length();
                    if (n <= LabelledBatch.MAX_STRING_BYTES) {
                        nameAt = b.append(r.buffer(), r.position(), n);
                    }
                    nameLen = n;
                    r.skipBytes(n);
                }
                case 5 -> {
                    r.expect(tag, LEN);
                    dataPoints(group, r.length(), LabelledBatch.VALUE);
                }
                case 7 -> {
                    r.expect(tag, LEN);
                    sum(group, r.length());
                }
                case 9, 10, 11 -> {
                    r.expect(tag, LEN);
                    countUnsupported(r.length());
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
        OtlpPoints.finishMetric(b, seriesMark, labelMark, sampleMark, arenaMark, nameAt, nameLen);
    }

    /** A Sum: temporality and monotonicity first (they follow the points on the wire), then the points. */
    private void sum(int group, int length) {
        ProtoReader r = in;
        int outer = r.push(length);
        int start = r.position();
        long temporality = 0;
        boolean monotonic = false;
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 2 -> {
                    r.expect(tag, VARINT);
                    temporality = r.varint();
                }
                case 3 -> {
                    r.expect(tag, VARINT);
                    monotonic = r.varint() != 0;
                }
                default -> r.skip(tag);
            }
        }
        r.seek(start);
        byte kind = OtlpPoints.sumKind(monotonic, temporality);
        while (r.more()) {
            int tag = r.tag();
            if (ProtoReader.field(tag) == 1) {
                r.expect(tag, LEN);
                point(group, r.length(), kind);
            } else {
                r.skip(tag);
            }
        }
        r.pop(outer);
    }

    /** A Gauge (or a Sum's second pass): its {@code data_points}. */
    private void dataPoints(int group, int length, byte kind) {
        ProtoReader r = in;
        int outer = r.push(length);
        while (r.more()) {
            int tag = r.tag();
            if (ProtoReader.field(tag) == 1) {
                r.expect(tag, LEN);
                point(group, r.length(), kind);
            } else {
                r.skip(tag);
            }
        }
        r.pop(outer);
    }

    /** Histogram, exponential histogram, summary: their points are counted, not read. */
    private void countUnsupported(int length) {
        ProtoReader r = in;
        int outer = r.push(length);
        int n = 0;
        while (r.more()) {
            int tag = r.tag();
            if (ProtoReader.field(tag) == 1) {
                r.expect(tag, LEN);
                r.skipBytes(r.length());
                n++;
            } else {
                r.skip(tag);
            }
        }
        r.pop(outer);
        batch.skip(Skip.UNSUPPORTED_TYPE, n);
    }

    private void point(int group, int length, byte kind) {
        ProtoReader r = in;
        LabelledBatch b = batch;
        int outer = r.push(length);
        int seriesMark = b.seriesCount();
        int labelMark = b.labelMark();
        int sampleMark = b.sampleCount();
        int arenaMark = b.arenaEnd();
        int s = b.beginSeries(group);
        boolean bad = false;
        boolean hasValue = false;
        double value = 0;
        long start = 0;
        long time = 0;
        long flags = 0;
        int attributes = 0;
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 2 -> {
                    r.expect(tag, I64);
                    start = r.fixed64();
                }
                case 3 -> {
                    r.expect(tag, I64);
                    time = r.fixed64();
                }
                case 4 -> {
                    r.expect(tag, I64);
                    value = r.double64();
                    hasValue = true;
                }
                case 6 -> {
                    r.expect(tag, I64);
                    value = r.fixed64();
                    hasValue = true;
                }
                case 7 -> {
                    r.expect(tag, LEN);
                    int n = r.length();
                    if (bad || ++attributes > LabelledBatch.MAX_LABELS) {
                        r.skipBytes(n);
                        bad = true;
                    } else {
                        bad = !keyValue(n, false);
                    }
                }
                case 8 -> {
                    r.expect(tag, VARINT);
                    flags = r.varint();
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
        OtlpPoints.finishPoint(b, s, kind, bad, hasValue, value, start, time, flags, seriesMark, labelMark,
                sampleMark, arenaMark);
    }

    /**
     * One {@code KeyValue}. A resource's ({@code resource} true) is kept only when it may choose the source; a
     * point's becomes a label. Returns false when it is too long to be part of a name.
     */
    private boolean keyValue(int length, boolean resource) {
        ProtoReader r = in;
        LabelledBatch b = batch;
        int outer = r.push(length);
        int keyAt = -1;
        int keyLen = 0;
        int valueField = 0;  // which AnyValue field was set last; 0 none
        int stringAt = 0;
        int stringLen = 0;
        long bits = 0;       // bool, int or double bits
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> {
                    r.expect(tag, LEN);
                    keyLen = r.length();
                    keyAt = r.position();
                    r.skipBytes(keyLen);
                }
                case 2 -> {
                    r.expect(tag, LEN);
                    int inner = r.push(r.length());
                    while (r.more()) {
                        int vt = r.tag();
                        int f = ProtoReader.field(vt);
                        switch (f) {
                            case 1 -> {
                                r.expect(vt, LEN);
                                stringLen = r.length();
                                stringAt = r.position();
                                r.skipBytes(stringLen);
                            }
                            case 2, 3 -> {
                                r.expect(vt, VARINT);
                                bits = r.varint();
                            }
                            case 4 -> {
                                r.expect(vt, I64);
                                bits = r.fixed64();
                            }
                            default -> r.skip(vt);
                        }
                        valueField = f;
                    }
                    r.pop(inner);
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
        byte[] buf = r.buffer();
        if (keyLen == 0 || keyLen > LabelledBatch.MAX_STRING_BYTES) {
            return resource;
        }
        if (resource && !points.isSourceAttribute(buf, keyAt, keyLen)) {
            return true;
        }
        if (valueField == 1 && stringLen > LabelledBatch.MAX_STRING_BYTES) {
            return resource;
        }
        if (valueField < 1 || valueField > 4) {
            return true; // no value, or an array, map or bytes: left out of the name
        }
        int k = b.append(buf, keyAt, keyLen);
        int v = switch (valueField) {
            case 1 -> b.append(buf, stringAt, stringLen);
            case 2 -> OtlpPoints.appendBool(b, bits != 0);
            case 3 -> OtlpPoints.appendLong(b, bits, digits);
            default -> OtlpPoints.appendDouble(b, Double.longBitsToDouble(bits));
        };
        b.addLabel(k, keyLen, v, b.arenaEnd() - v);
        return true;
    }
}
