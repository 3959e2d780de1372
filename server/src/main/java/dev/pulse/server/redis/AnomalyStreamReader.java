package dev.pulse.server.redis;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.anomaly.AnomalyJson;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /anomalies} from the Redis stream every replica writes ({@link AnomalyStreamWriter}), so any replica
 * answers for all; the cursor is the stream id. Reads with Lettuce's async API: the reply completes on Lettuce's
 * threads, never on an event loop. With a source filter the stream is read in pages until {@code limit} entries
 * match or the stream ends, at most twice {@code ANOMALY_LOG_SIZE} entries (the capped length, approximately) per
 * request.
 */
final class AnomalyStreamReader {
    private static final int PAGE = 500;

    private final StatefulRedisConnection<String, String> connection;
    private final String key;
    private final long maxScan;

    AnomalyStreamReader(StatefulRedisConnection<String, String> connection, String keyPrefix, int logSize) {
        this.connection = connection;
        this.key = AnomalyStreamWriter.key(keyPrefix);
        this.maxScan = 2L * logSize;
    }

    /**
     * The body of {@code /anomalies}: entries after stream id {@code since} ("0" for the oldest kept), of
     * {@code source} only unless null, at most {@code limit}; fails when Redis does not answer.
     */
    CompletionStage<String> read(String since, String source, int limit) {
        if (!connection.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("redis is not connected"));
        }
        Page p = new Page(source, limit, since);
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
        private int found;      // entries written so far
        private long scanned;   // stream entries looked at so far
        private String next;    // id of the last entry looked at: the cursor of the answer

        Page(String source, int limit, String since) {
            this.source = source;
            this.limit = limit;
            this.next = since;
            w.beginObject().name("anomalies").beginArray();
        }

        /** Adds the matching messages; false once {@code limit} are found. */
        boolean add(List<StreamMessage<String, String>> messages) {
            for (StreamMessage<String, String> m : messages) {
                scanned++;
                next = m.getId();
                Map<String, String> f = m.getBody();
                if (source != null && !source.equals(f.get(AnomalyStreamWriter.SOURCE))) {
                    continue;
                }
                AnomalyJson.write(w, parseLong(f.get(AnomalyStreamWriter.TIME)),
                        nonNull(f.get(AnomalyStreamWriter.SOURCE)), nonNull(f.get(AnomalyStreamWriter.METRIC)),
                        parse(f.get(AnomalyStreamWriter.VALUE)), parse(f.get(AnomalyStreamWriter.MEAN)),
                        parse(f.get(AnomalyStreamWriter.STDDEV)), parse(f.get(AnomalyStreamWriter.ZSCORE)),
                        parse(f.get(AnomalyStreamWriter.SCORE)), nonNull(f.get(AnomalyStreamWriter.DETECTOR)));
                if (++found == limit) {
                    return false;
                }
            }
            return true;
        }

        String finish() {
            w.endArray().name("next").value(next).endObject();
            String body = buf.toString(StandardCharsets.UTF_8);
            buf.release();
            return body;
        }

        private static String nonNull(String s) {
            return s == null ? "" : s;
        }

        /** NaN (written as null) for a field that is missing or not a number. */
        private static double parse(String s) {
            try {
                return s == null ? Double.NaN : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        private static long parseLong(String s) {
            try {
                return s == null ? 0 : Long.parseLong(s);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}
