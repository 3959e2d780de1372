package dev.pulse.perf.load;

import dev.pulse.protocol.remote.WriteRequestWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Remote-write requests whose timestamps advance, for pulse and VictoriaMetrics alike: each connection has its own
 * shard of series (as Prometheus shards series over its connections, so each series' samples arrive in order), and
 * request k of a connection carries every series of the shard at {@code start + k} milliseconds.
 *
 * <p>So that the generator only copies and patches, never compresses, a body is one snappy literal (valid block
 * format, stored uncompressed) of a {@code WriteRequest} whose timestamps are six-byte varints at known offsets.
 */
final class RemoteWriteBodies {
    /** A connection's sequence numbers start at its shard shifted this far, so a sequence names its shard. */
    static final int SHARD_SHIFT = 40;

    private final byte[][] templates;  // per shard: HTTP head + snappy header + WriteRequest
    private final int[][] timeOffsets; // per shard: where each sample's timestamp varint starts
    private final long startMs = System.currentTimeMillis();
    private final int samples;

    RemoteWriteBodies(int shards, int samplesPerRequest) {
        this.samples = samplesPerRequest;
        templates = new byte[shards][];
        timeOffsets = new int[shards][];
        for (int shard = 0; shard < shards; shard++) {
            WriteRequestWriter w = new WriteRequestWriter();
            for (int k = 0; k < samplesPerRequest; k++) {
                w.series(new String[]{"__name__", "load_gauge_" + (k % 10), "instance", "host-" + shard + "-" + (k / 20),
                                "job", "load", "series", Integer.toString(k), "zone", "z" + (k % 3)},
                        new long[]{startMs}, new double[]{k * 0.5});
            }
            byte[] message = w.toByteArray();
            String head = String.format(Locale.ROOT, "POST /api/v1/write HTTP/1.1\r\nHost: pulse\r\n"
                    + "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
                    + "X-Prometheus-Remote-Write-Version: 0.1.0\r\nContent-Length: %d\r\n\r\n",
                    snappyLiteralLength(message.length));
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] t = new byte[h.length + snappyLiteralLength(message.length)];
            System.arraycopy(h, 0, t, 0, h.length);
            int p = h.length;
            p = putVarint(t, p, message.length);
            t[p++] = (byte) (63 << 2); // a literal whose length - 1 follows in four bytes
            int n = message.length - 1;
            for (int i = 0; i < 4; i++) {
                t[p++] = (byte) (n >>> (8 * i));
            }
            System.arraycopy(message, 0, t, p, message.length);
            templates[shard] = t;
            timeOffsets[shard] = findTimestamps(t, p, message.length, samplesPerRequest);
        }
    }

    int samples() {
        return samples;
    }

    /** The request of {@code sequence}: its shard's template with every timestamp set to start + step. */
    ByteBuf request(long sequence) {
        int shard = (int) (sequence >>> SHARD_SHIFT) % templates.length;
        long ts = startMs + (sequence & ((1L << SHARD_SHIFT) - 1));
        byte[] t = templates[shard];
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(t.length).writeBytes(t);
        for (int off : timeOffsets[shard]) {
            long v = ts;
            for (int i = 0; i < 6; i++) {
                b.setByte(off + i, (int) ((v & 0x7f) | (i < 5 ? 0x80 : 0)));
                v >>>= 7;
            }
        }
        return b;
    }

    private static int snappyLiteralLength(int messageLength) {
        return varintSize(messageLength) + 5 + messageLength;
    }

    /** Each sample is {@code 09 <8 bytes> 10 <6-byte varint>} in the message the writer made: find the varints. */
    private int[] findTimestamps(byte[] t, int from, int length, int expected) {
        int[] offsets = new int[expected];
        int n = 0;
        for (int i = from; i + 16 <= from + length && n < expected; i++) {
            if (t[i] == 0x12 && t[i + 1] == 16 && t[i + 2] == 0x09 && t[i + 11] == 0x10) {
                offsets[n++] = i + 12;
                i += 17;
            }
        }
        if (n != expected) {
            throw new IllegalStateException("found " + n + " timestamps of " + expected);
        }
        return offsets;
    }

    private static int putVarint(byte[] b, int p, long v) {
        while ((v & ~0x7fL) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
