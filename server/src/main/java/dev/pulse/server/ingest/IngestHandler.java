package dev.pulse.server.ingest;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.DecodeError;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Anomalies;
import dev.pulse.server.analytics.AnomalySink;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.Replies;
import dev.pulse.server.http.RouteHandler;
import dev.pulse.server.ingest.IngestCounters.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.function.Supplier;

/**
 * {@code POST /metrics-data}: the body is never aggregated; each chunk goes straight into this connection's
 * {@link EventDecoder}, and the batch is applied, all or nothing, when the last chunk arrives. Judged in the
 * contract's order: content type (415), declared length (413), then the body (413 past {@code MAX_BODY_BYTES},
 * 400 undecodable, 422 past a series limit, 503 when the write-behind queue refuses).
 *
 * <p>One per connection (the decoder holds a body in progress); every field is owned by the connection's event
 * loop. The {@link BatchApplier} is the event loop's, shared by its connections since it is used synchronously.
 */
public final class IngestHandler implements RouteHandler {
    /** Batches grown past this many events give their arrays back after the request. */
    private static final int RETAINED_BATCH_EVENTS = 4096;
    private static final AsciiString NDJSON = AsciiString.cached("application/x-ndjson");
    private static final AsciiString NDJSON_SHORT = AsciiString.cached("application/ndjson");

    private final EventDecoder decoder = new EventDecoder(new EventBatch());
    private final FastThreadLocal<BatchApplier> appliers;
    private final IngestCounters counters;
    private final long maxBodyBytes;
    private long bodyBytes; // of the request being read; owned by the connection's event loop

    private IngestHandler(FastThreadLocal<BatchApplier> appliers, IngestCounters counters, long maxBodyBytes) {
        this.appliers = appliers;
        this.counters = counters;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The route table's factory: a handler per connection, a batch applier per event loop. */
    public static Supplier<RouteHandler> factory(SeriesRegistry registry, BatchListener listener, AnomalySink flagged,
                                                 IngestCounters counters, long maxBodyBytes) {
        FastThreadLocal<BatchApplier> appliers = new FastThreadLocal<>() {
            @Override
            protected BatchApplier initialValue() {
                return new BatchApplier(registry, listener, flagged);
            }
        };
        return () -> new IngestHandler(appliers, counters, maxBodyBytes);
    }

    @Override
    public void head(Exchange ex) {
        HttpRequest req = ex.request();
        BodyFormat format = bodyFormat(req);
        if (format == null) {
            counters.rejected(Rejection.UNSUPPORTED_MEDIA_TYPE);
            ex.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "content type must be application/json or application/x-ndjson");
            return;
        }
        if (req.headers().contains(HttpHeaderNames.CONTENT_ENCODING) // seldom there: no lookup of its value else
                && !req.headers().contains(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.IDENTITY, true)) {
            counters.rejected(Rejection.UNSUPPORTED_MEDIA_TYPE); // a compressed body would read as malformed JSON
            ex.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding "
                    + req.headers().get(HttpHeaderNames.CONTENT_ENCODING) + " is not accepted here: send the body"
                    + " uncompressed");
            return;
        }
        if (HttpUtil.getContentLength(req, -1L) > maxBodyBytes) {
            tooLarge(ex);
            return;
        }
        bodyBytes = 0;
        decoder.begin(format);
    }

    @Override
    public void content(Exchange ex, ByteBuf chunk, boolean last) {
        bodyBytes += chunk.readableBytes();
        if (bodyBytes > maxBodyBytes) {
            tooLarge(ex);
            return;
        }
        decoder.feed(chunk);
        if (last) {
            finish(ex);
        }
    }

    @Override
    public void draining(Exchange ex) {
        counters.rejected(Rejection.UNAVAILABLE);
        RouteHandler.super.draining(ex);
    }

    @Override
    public void unauthorized(Exchange ex) {
        counters.rejected(Rejection.UNAUTHORIZED);
        RouteHandler.super.unauthorized(ex);
    }

    @Override
    public void close() {
        decoder.release();
    }

    private void finish(Exchange ex) {
        EventBatch batch = decoder.batch();
        try {
            if (!decoder.finish()) {
                DecodeError reason = decoder.error();
                counters.rejected(reason);
                JsonWriter w = ex.json();
                w.beginObject().name("error").value(decoder.message()).name("index").value(decoder.errorIndex());
                if (decoder.errorOffset() >= 0) {
                    w.name("offset").value(decoder.errorOffset());
                }
                ex.reply(HttpResponseStatus.BAD_REQUEST, w.endObject());
                return;
            }
            BatchApplier applier = appliers.get();
            BatchApplier.Result result = applier.apply(batch, ex.receivedSeconds());
            if (result == BatchApplier.Result.OVERLOADED) {
                counters.rejected(Rejection.OVERLOADED);
                ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "the Redis write-behind queue is full (REDIS_QUEUE_FULL=reject); retry later");
                return;
            }
            if (result == BatchApplier.Result.LIMIT_EXCEEDED) {
                counters.rejected(Rejection.LIMIT);
                ex.reply(HttpResponseStatus.UNPROCESSABLE_ENTITY, ex.json().beginObject()
                        .name("error").value(applier.limitMessage())
                        .name("index").value(applier.limitIndex()).endObject());
                return;
            }
            Anomalies a = applier.anomalies();
            counters.eventsApplied(batch.size(), a.size());
            ex.reply(HttpResponseStatus.OK, accepted(ex.json(REPLY_HEAD_BYTES + ANOMALY_BYTES * a.size()), batch.size(), a));
        } finally {
            batch.trim(RETAINED_BATCH_EVENTS);
        }
    }

    /** Room for the reply's head, and for each anomaly it lists (its names, numbers and quotes; a long name grows it). */
    private static final int REPLY_HEAD_BYTES = 64;
    private static final int ANOMALY_BYTES = 192;

    private static final JsonWriter.Name ACCEPTED = JsonWriter.Name.of("accepted");
    private static final JsonWriter.Name ANOMALIES = JsonWriter.Name.of("anomalies");
    private static final JsonWriter.Name INDEX = JsonWriter.Name.of("index");
    private static final JsonWriter.Name SOURCE = JsonWriter.Name.of("source");
    private static final JsonWriter.Name METRIC = JsonWriter.Name.of("metric");
    private static final JsonWriter.Name VALUE = JsonWriter.Name.of("value");
    private static final JsonWriter.Name MEAN = JsonWriter.Name.of("mean");
    private static final JsonWriter.Name STDDEV = JsonWriter.Name.of("stddev");
    private static final JsonWriter.Name ZSCORE = JsonWriter.Name.of("zscore");
    private static final JsonWriter.Name SCORE = JsonWriter.Name.of("score");

    /** {@code {"accepted":N,"anomalies":[...]}}: the events applied and those flagged. */
    private static JsonWriter accepted(JsonWriter w, int accepted, Anomalies a) {
        w.beginObject().name(ACCEPTED).value(accepted).name(ANOMALIES).beginArray();
        for (int i = 0; i < a.size(); i++) {
            Series s = a.series(i);
            w.beginObject().name(INDEX).value(a.eventIndex(i))
                    .name(SOURCE).value(s.source().name())
                    .name(METRIC).value(s.metric())
                    .name(VALUE).value(a.value(i))
                    .name(MEAN).value(a.mean(i))
                    .name(STDDEV).value(a.stddev(i))
                    .name(ZSCORE).value(a.zscore(i))
                    .name(SCORE).value(a.score(i))
                    .endObject();
        }
        return w.endArray().endObject();
    }

    private void tooLarge(Exchange ex) {
        counters.rejected(Rejection.TOO_LARGE);
        ex.closeAfterReply(); // the rest of the body is not read, so the connection cannot carry another request
        ex.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body is larger than " + maxBodyBytes + " bytes (MAX_BODY_BYTES)");
    }

    private static BodyFormat bodyFormat(HttpRequest req) {
        CharSequence mime = HttpUtil.getMimeType(req);
        if (mime == null || AsciiString.contentEqualsIgnoreCase(mime, Replies.JSON)) {
            return BodyFormat.JSON;
        }
        if (AsciiString.contentEqualsIgnoreCase(mime, NDJSON) || AsciiString.contentEqualsIgnoreCase(mime, NDJSON_SHORT)) {
            return BodyFormat.NDJSON;
        }
        return null;
    }
}
