package dev.pulse.server.redis;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.anomaly.AnomalyJson;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /anomalies} from the Redis stream every replica writes ({@link AnomalyStreamWriter}), so any replica
 * answers for all; the cursor points into the stream ({@link AnomalyStreamEntry}). Reads with Lettuce's async API:
 * the reply completes on Lettuce's threads, never on an event loop. The stream is read in pages of {@value #PAGE}
 * entries until {@code limit} anomalies match or the stream ends, looking at most at twice {@code ANOMALY_LOG_SIZE}
 * anomalies per request.
 */
final class AnomalyStreamReader {
    private static final int PAGE = 64;

    private final StatefulRedisConnection<String, byte[]> connection;
    private final String key;
    private final long maxScan;

    AnomalyStreamReader(StatefulRedisConnection<String, byte[]> connection, String keyPrefix, int logSize) {
        this.connection = connection;
        this.key = AnomalyStreamWriter.key(keyPrefix);
        this.maxScan = 2L * logSize;
    }

    /**
     * The body of {@code /anomalies}: anomalies after cursor {@code since} ("0" for the oldest kept), of
     * {@code source} only unless null, at most {@code limit}; fails when Redis does not answer.
     */
    CompletionStage<String> read(String since, String source, int limit) {
        if (!connection.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("redis is not connected"));
        }
        Page p = new Page(source, limit, since);
        int colon = since.indexOf(':');
        if (colon >= 0) { // part of an entry was read: read it again from the anomaly after that part
            p.skipId = since.substring(0, colon);
            p.skip = Integer.parseInt(since.substring(colon + 1));
            return scan(p, Range.Boundary.including(p.skipId));
        }
        return scan(p, since.equals("0") ? Range.Boundary.unbounded() : Range.Boundary.excluding(since));
    }

    private CompletionStage<String> scan(Page p, Range.Boundary<String> from) {
        return connection.async().xrange(key, Range.from(from, Range.Boundary.unbounded()), Limit.from(PAGE))
                .thenCompose(messages -> {
                    boolean more = p.add(messages);
                    if (more && messages.size() == PAGE && p.scanned < maxScan) {
                        return scan(p, Range.Boundary.excluding(p.next));
                    }
                    return CompletableFuture.completedFuture(p.finish());
                });
    }

    /**
     * One request's answer, built as the stream is read: each page of the stream is added by the Lettuce thread
     * that completed its read, one after the other (each read is issued when the previous one is added).
     */
    private static final class Page {
        private final String source;
        private final int limit;
        private final ByteBuf buf = Unpooled.buffer(1024);
        private final JsonWriter w = new JsonWriter().target(buf);
        private String skipId;  // the entry the cursor points into, or null
        private int skip;       // anomalies of it already read
        private int found;      // anomalies written so far
        private long scanned;   // anomalies looked at so far
        private String next;    // the cursor of the answer: what was looked at so far

        Page(String source, int limit, String since) {
            this.source = source;
            this.limit = limit;
            this.next = since;
            w.beginObject().name("anomalies").beginArray();
        }

        /** Adds the matching anomalies of the entries; false once {@code limit} are found. */
        boolean add(List<StreamMessage<String, byte[]>> messages) {
            for (StreamMessage<String, byte[]> m : messages) {
                String id = m.getId();
                Entry e = Entry.of(m.getBody());
                int from = id.equals(skipId) ? skip : 0; // the cursor pointed into this entry
                for (int k = from; e != null && k < e.count; k++) {
                    String entrySource = e.sources[k];
                    scanned++;
                    if (source == null || source.equals(entrySource)) {
                        ByteBuffer b = e.numbers.position(k * AnomalyStreamEntry.NUMBERS_BYTES);
                        AnomalyJson.write(w, b.getLong(), entrySource, e.metrics[k], b.getDouble(), b.getDouble(),
                                b.getDouble(), b.getDouble(), b.getDouble(), e.detectors[k]);
                        if (++found == limit) {
                            next = k + 1 == e.count ? id : id + ":" + (k + 1);
                            return false;
                        }
                    }
                }
                next = id;
            }
            return true;
        }

        String finish() {
            w.endArray().name("next").value(next).endObject();
            String body = buf.toString(StandardCharsets.UTF_8);
            buf.release();
            return body;
        }
    }

    /** One stream entry's anomalies, its columns split. */
    private record Entry(int count, String[] sources, String[] metrics, String[] detectors, ByteBuffer numbers) {
        /** The entry, or null when it is not of this layout (passed over). */
        static Entry of(Map<String, byte[]> f) {
            byte[] n = f.get(AnomalyStreamEntry.COUNT);
            byte[] numbers = f.get(AnomalyStreamEntry.NUMBERS);
            String[] sources = lines(f.get(AnomalyStreamEntry.SOURCES));
            String[] metrics = lines(f.get(AnomalyStreamEntry.METRICS));
            String[] detectors = lines(f.get(AnomalyStreamEntry.DETECTORS));
            if (n == null || numbers == null || sources == null || metrics == null || detectors == null) {
                return null;
            }
            int count = sources.length;
            if (!new String(n, StandardCharsets.US_ASCII).equals(Integer.toString(count)) || metrics.length != count
                    || detectors.length != count || numbers.length != count * AnomalyStreamEntry.NUMBERS_BYTES) {
                return null;
            }
            return new Entry(count, sources, metrics, detectors, ByteBuffer.wrap(numbers).order(ByteOrder.LITTLE_ENDIAN));
        }

        private static String[] lines(byte[] field) {
            return field == null ? null : new String(field, StandardCharsets.UTF_8).split("\n", -1);
        }
    }
}
