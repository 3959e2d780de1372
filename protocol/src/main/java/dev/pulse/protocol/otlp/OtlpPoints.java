package dev.pulse.protocol.otlp;

import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.Skip;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the two OTLP decoders share: which metric types become which kind, how a number data point becomes a
 * sample, and which resource attributes are kept (only those that can choose the source).
 */
final class OtlpPoints {
    /** {@code AggregationTemporality} values. */
    static final int DELTA = 1;
    static final int CUMULATIVE = 2;
    /** {@code DataPointFlags.FLAG_NO_RECORDED_VALUE}. */
    static final long NO_RECORDED_VALUE = 1;
    /** A kind meaning "count the point as unsupported". */
    static final byte UNSUPPORTED = -1;

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private final byte[][] sourceAttributes;

    OtlpPoints(List<String> sourceAttributes) {
        this.sourceAttributes = new byte[sourceAttributes.size()][];
        for (int i = 0; i < this.sourceAttributes.length; i++) {
            this.sourceAttributes[i] = sourceAttributes.get(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The kind of a Sum's points: a monotonic sum is a rate, cumulative or per interval; others are values. */
    static byte sumKind(boolean monotonic, long temporality) {
        if (!monotonic) {
            return LabelledBatch.VALUE;
        }
        if (temporality == CUMULATIVE) {
            return LabelledBatch.CUMULATIVE;
        }
        return temporality == DELTA ? LabelledBatch.DELTA : UNSUPPORTED;
    }

    /** True when the attribute whose key is at {@code batch.bytes()[off, off+len)} may choose the source. */
    boolean isSourceAttribute(byte[] b, int off, int len) {
        for (byte[] name : sourceAttributes) {
            if (name.length == len && java.util.Arrays.equals(b, off, off + len, name, 0, len)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Ends a data point that was begun with {@code beginSeries}: adds its sample, or counts it and forgets the
     * series. {@code hasValue} false means neither {@code as_double} nor {@code as_int} was set.
     */
    static void finishPoint(LabelledBatch b, int s, byte kind, boolean bad, boolean hasValue, double value,
                            long startNanos, long timeNanos, long flags, int seriesMark, int labelMark, int sampleMark,
                            int arenaMark) {
        Skip skip = null;
        if (bad) {
            skip = Skip.BAD_NAME;
        } else if (kind == UNSUPPORTED) {
            skip = Skip.UNSUPPORTED_TYPE;
        } else if ((flags & NO_RECORDED_VALUE) != 0) {
            skip = Skip.STALE;
        } else if (!hasValue || Double.isNaN(value) || Double.isInfinite(value)) {
            skip = Skip.NAN;
        } else if (kind == LabelledBatch.DELTA) {
            if (startNanos == 0 || Long.compareUnsigned(timeNanos, startNanos) <= 0) {
                skip = Skip.UNSUPPORTED_TYPE; // a delta without its interval has no per-second value
            } else {
                value = value / ((timeNanos - startNanos) / 1e9);
                skip = Double.isInfinite(value) ? Skip.NAN : null; // per second, past a double's range
            }
        }
        if (skip != null) {
            b.skip(skip, 1);
            b.rewind(seriesMark, labelMark, sampleMark, arenaMark);
            return;
        }
        b.setSeriesLabels(s, labelMark, b.labelMark());
        b.setKind(s, kind);
        b.addSample(Long.divideUnsigned(timeNanos, 1_000_000L), value);
    }

    /** Ends a metric: gives its points the name, or counts them as bad names when it has none usable. */
    static void finishMetric(LabelledBatch b, int seriesMark, int labelMark, int sampleMark, int arenaMark,
                             int nameAt, int nameLen) {
        int n = b.seriesCount();
        if (nameLen <= 0 || nameLen > LabelledBatch.MAX_STRING_BYTES) {
            b.skip(Skip.BAD_NAME, n - seriesMark);
            b.rewind(seriesMark, labelMark, sampleMark, arenaMark);
            return;
        }
        for (int s = seriesMark; s < n; s++) {
            b.setName(s, nameAt, nameLen);
        }
    }

    static int appendBool(LabelledBatch b, boolean v) {
        byte[] text = v ? TRUE : FALSE;
        return b.append(text, 0, text.length);
    }

    /** Appends the decimal digits of {@code v} without allocating; returns their offset. */
    static int appendLong(LabelledBatch b, long v, byte[] scratch) {
        int p = scratch.length;
        boolean negative = v < 0;
        do {
            long digit = v % 10;
            scratch[--p] = (byte) ('0' + (negative ? -digit : digit));
            v /= 10;
        } while (v != 0);
        if (negative) {
            scratch[--p] = '-';
        }
        return b.append(scratch, p, scratch.length - p);
    }

    static int appendDouble(LabelledBatch b, double v) {
        byte[] text = Double.toString(v).getBytes(StandardCharsets.US_ASCII); // rare: a double-valued attribute
        return b.append(text, 0, text.length);
    }
}
