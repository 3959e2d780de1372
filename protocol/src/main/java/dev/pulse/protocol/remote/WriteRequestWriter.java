package dev.pulse.protocol.remote;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a {@code prometheus.WriteRequest} in protobuf (uncompressed), as Prometheus does: for the load generator
 * and the tests, which then snappy-compress it. Not thread-safe.
 */
public final class WriteRequestWriter {
    private byte[] out = new byte[4096];
    private int size;
    private byte[] series = new byte[1024];
    private int seriesSize;

    public WriteRequestWriter clear() {
        size = 0;
        return this;
    }

    /** Adds a time series: {@code labels} alternate names and values (in the order given), then its samples. */
    public WriteRequestWriter series(String[] labels, long[] timesMs, double[] values) {
        seriesSize = 0;
        for (int i = 0; i + 1 < labels.length; i += 2) {
            byte[] name = labels[i].getBytes(StandardCharsets.UTF_8);
            byte[] value = labels[i + 1].getBytes(StandardCharsets.UTF_8);
            int len = 1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length;
            seriesTag(1, 2);
            seriesVarint(len);
            seriesTag(1, 2);
            seriesVarint(name.length);
            seriesBytes(name);
            seriesTag(2, 2);
            seriesVarint(value.length);
            seriesBytes(value);
        }
        for (int i = 0; i < timesMs.length; i++) {
            int len = 1 + 8 + 1 + varintSize(timesMs[i]);
            seriesTag(2, 2);
            seriesVarint(len);
            seriesTag(1, 1);
            long bits = Double.doubleToRawLongBits(values[i]);
            for (int b = 0; b < 8; b++) {
                seriesByte((int) (bits >>> (8 * b)));
            }
            seriesTag(2, 0);
            seriesVarint(timesMs[i]);
        }
        tag(1, 2);
        varint(seriesSize);
        ensure(seriesSize);
        System.arraycopy(series, 0, out, size, seriesSize);
        size += seriesSize;
        return this;
    }

    /** Adds a {@code MetricMetadata} of {@code type} (1 counter, 2 gauge, 3 histogram, 5 summary). */
    public WriteRequestWriter metadata(int type, String family) {
        byte[] name = family.getBytes(StandardCharsets.UTF_8);
        tag(3, 2);
        varint(1 + varintSize(type) + 1 + varintSize(name.length) + name.length);
        tag(1, 0);
        varint(type);
        tag(2, 2);
        varint(name.length);
        ensure(name.length);
        System.arraycopy(name, 0, out, size, name.length);
        size += name.length;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(out, size);
    }

    private void tag(int field, int type) {
        varint((long) field << 3 | type);
    }

    private void varint(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            out[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[size++] = (byte) v;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }

    private void seriesTag(int field, int type) {
        seriesVarint((long) field << 3 | type);
    }

    private void seriesVarint(long v) {
        while ((v & ~0x7fL) != 0) {
            seriesByte((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        seriesByte((int) v);
    }

    private void seriesBytes(byte[] b) {
        for (byte x : b) {
            seriesByte(x);
        }
    }

    private void seriesByte(int b) {
        if (seriesSize == series.length) {
            series = Arrays.copyOf(series, seriesSize * 2);
        }
        series[seriesSize++] = (byte) b;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
