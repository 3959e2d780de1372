package dev.pulse.server.http;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.DecodeError;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.Anomalies;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.metrics.ServerCounters.Rejection;
import dev.pulse.server.redis.RedisStatus;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Routes each request and answers it, in request order: the last handler of the pipeline, after
 * {@code HttpServerCodec}. Ingest bodies are never aggregated: each {@link HttpContent} chunk goes straight into
 * this connection's {@link EventDecoder}, and the batch is applied, all or nothing, when the last chunk arrives.
 *
 * <p>A request is judged in the contract's order: path and method (404, 405), content type (415), declared length
 * (413), then the body (400, 422). Every other route is answered synchronously on the event loop except a
 * {@code /analyze} of a source held only in Redis; while that reply is pending, reading stops and messages already
 * decoded wait in a queue, so pipelined requests are still answered in order.
 *
 * <p>Not {@link io.netty.channel.ChannelHandler.Sharable}: one instance per connection; every field is owned by the
 * connection's event loop.
 */
public final class RequestHandler extends ChannelInboundHandlerAdapter {
    /** Batches grown past this many events give their arrays back after the request. */
    private static final int RETAINED_BATCH_EVENTS = 4096;
    private static final AsciiString NDJSON = AsciiString.cached("application/x-ndjson");
    private static final AsciiString NDJSON_SHORT = AsciiString.cached("application/ndjson");

    private enum State {
        /** Between requests. */
        IDLE,
        /** Streaming an ingest body into the decoder. */
        INGEST,
        /** A GET whose (empty) body has not ended yet. */
        READ,
        /** Already answered: skip this request's body. */
        DISCARD,
        /** Waiting for an answer computed off the loop. */
        AWAIT
    }

    private final Services services;
    private final FastThreadLocal<LoopResources> loop;
    private final EventDecoder decoder = new EventDecoder(new EventBatch());
    private final RequestDeadline deadline;

    // All fields below: owned by this connection's event loop.
    private State state = State.IDLE;
    private HttpRequest request;
    private Route route;
    private long startNanos;
    private double receivedSeconds;
    private long bodyBytes;
    private boolean keepAlive;
    private boolean unanswered;  // the current request counts in Services.inFlight
    private ArrayDeque<Object> parked; // messages decoded while a reply is pending; bounded by one read

    RequestHandler(Services services, FastThreadLocal<LoopResources> loop, RequestDeadline deadline) {
        this.services = services;
        this.loop = loop;
        this.deadline = deadline;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.AWAIT) {
            if (parked == null) {
                parked = new ArrayDeque<>();
            }
            parked.add(msg);
            return;
        }
        try {
            if (msg instanceof HttpRequest req) {
                onRequest(ctx, req);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
            if (msg instanceof LastHttpContent) {
                deadline.requestRead();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest req) {
        request = req;
        startNanos = System.nanoTime();
        receivedSeconds = System.currentTimeMillis() / 1000.0;
        route = Route.of(req.uri());
        keepAlive = HttpUtil.isKeepAlive(req);
        bodyBytes = 0;
        unanswered = true;
        services.inFlight.incrementAndGet();

        if (req.decoderResult().isFailure()) {
            onMalformedRequest(ctx, req.decoderResult().cause());
            return;
        }
        if (services.draining()) {
            keepAlive = false;
            if (route == Route.HEALTH) {
                ByteBuf body = json(ctx).raw("{\"status\":\"DOWN\"}").buffer();
                reply(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Replies.JSON, body);
            } else {
                rejectIngest(Rejection.UNAVAILABLE);
                error(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is shutting down; retry on another replica");
            }
            return;
        }
        if (route == Route.OTHER) {
            error(ctx, HttpResponseStatus.NOT_FOUND, "no such path; see /health, /stats, /analyze, /metrics, /metrics-data");
            return;
        }
        if (!req.method().equals(route.method())) {
            ByteBuf body = errorBody(ctx, "method " + req.method().name() + " is not allowed on " + route.path());
            FullHttpResponse r = Replies.response(HttpResponseStatus.METHOD_NOT_ALLOWED, Replies.JSON, body, keepAlive());
            r.headers().set(HttpHeaderNames.ALLOW, route.method().name());
            send(ctx, r);
            return;
        }
        if (route != Route.INGEST) {
            state = State.READ;
            return;
        }
        BodyFormat format = bodyFormat(req);
        if (format == null) {
            rejectIngest(Rejection.UNSUPPORTED_MEDIA_TYPE);
            error(ctx, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "content type must be application/json or application/x-ndjson");
            return;
        }
        long declared = HttpUtil.getContentLength(req, -1L);
        if (declared > services.config.maxBodyBytes()) {
            tooLarge(ctx);
            return;
        }
        decoder.begin(format);
        state = State.INGEST;
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        switch (state) {
            case INGEST -> {
                ByteBuf chunk = content.content();
                bodyBytes += chunk.readableBytes();
                if (bodyBytes > services.config.maxBodyBytes()) {
                    tooLarge(ctx);
                    return;
                }
                decoder.feed(chunk);
                if (last) {
                    finishIngest(ctx);
                }
            }
            case READ -> {
                if (last) {
                    answerRead(ctx);
                }
            }
            case DISCARD -> {
                if (last) {
                    state = State.IDLE;
                }
            }
            default -> {
                // IDLE: content with no request (a decoder failure already answered); nothing to do
            }
        }
    }

    private void finishIngest(ChannelHandlerContext ctx) {
        state = State.IDLE;
        EventBatch batch = decoder.batch();
        if (!decoder.finish()) {
            DecodeError reason = decoder.error();
            services.counters.rejected(reason);
            JsonWriter w = json(ctx);
            w.raw('{').key("error").string(decoder.message()).raw(',').key("index").number(decoder.errorIndex());
            if (decoder.errorOffset() >= 0) {
                w.raw(',').key("offset").number(decoder.errorOffset());
            }
            w.raw('}');
            reply(ctx, HttpResponseStatus.BAD_REQUEST, Replies.JSON, w.buffer());
            batch.trim(RETAINED_BATCH_EVENTS);
            return;
        }
        BatchApplier applier = loop.get().applier;
        BatchApplier.Result result = applier.apply(batch, receivedSeconds);
        if (result == BatchApplier.Result.OVERLOADED) {
            rejectIngest(Rejection.OVERLOADED);
            error(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the Redis write-behind queue is full (REDIS_QUEUE_FULL=reject); retry later");
            batch.trim(RETAINED_BATCH_EVENTS);
            return;
        }
        if (result == BatchApplier.Result.LIMIT_EXCEEDED) {
            rejectIngest(Rejection.LIMIT);
            JsonWriter w = json(ctx);
            w.raw('{').key("error").string(applier.limitMessage()).raw(',').key("index").number(applier.limitIndex())
                    .raw('}');
            reply(ctx, HttpResponseStatus.UNPROCESSABLE_ENTITY, Replies.JSON, w.buffer());
            batch.trim(RETAINED_BATCH_EVENTS);
            return;
        }
        Anomalies a = applier.anomalies();
        services.counters.eventsApplied(batch.size(), a.size());
        JsonWriter w = json(ctx);
        w.raw('{').key("accepted").number(batch.size()).raw(',').key("anomalies").raw('[');
        for (int i = 0; i < a.size(); i++) {
            Series s = a.series(i);
            if (i > 0) {
                w.raw(',');
            }
            w.raw('{').key("index").number(a.eventIndex(i))
                    .raw(',').key("source").string(s.source().name())
                    .raw(',').key("metric").string(s.metric())
                    .raw(',').key("value").number(a.value(i))
                    .raw(',').key("mean").number(a.mean(i))
                    .raw(',').key("stddev").number(a.stddev(i))
                    .raw(',').key("zscore").number(a.zscore(i))
                    .raw(',').key("score").number(a.score(i))
                    .raw('}');
        }
        w.raw(']').raw('}');
        reply(ctx, HttpResponseStatus.OK, Replies.JSON, w.buffer());
        batch.trim(RETAINED_BATCH_EVENTS);
    }

    private void answerRead(ChannelHandlerContext ctx) {
        state = State.IDLE;
        switch (route) {
            case HEALTH -> health(ctx);
            case STATS -> {
                JsonWriter w = json(ctx);
                services.stats.write(w);
                reply(ctx, HttpResponseStatus.OK, Replies.JSON, w.buffer());
            }
            case METRICS -> {
                ByteBuf body = ctx.alloc().buffer(64 * 1024);
                loop.get().exporter.write(body);
                reply(ctx, HttpResponseStatus.OK, Replies.PROMETHEUS, body);
            }
            case ANALYZE -> analyze(ctx);
            default -> throw new IllegalStateException("route=" + route);
        }
    }

    private void health(ChannelHandlerContext ctx) {
        RedisStatus.Health redis = services.redis.health();
        String status = redis == RedisStatus.Health.DOWN ? "DEGRADED" : "UP";
        JsonWriter w = json(ctx);
        w.raw('{').key("status").string(status).raw(',').key("redis").string(redis.name()).raw('}');
        reply(ctx, HttpResponseStatus.OK, Replies.JSON, w.buffer());
    }

    private void analyze(ChannelHandlerContext ctx) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String sourceName = first(query.parameters().get("source"), "default");
        String metric = first(query.parameters().get("metric"), null);
        if (sourceName.equals("*")) {
            JsonWriter w = json(ctx);
            services.fleet.write(w);
            reply(ctx, HttpResponseStatus.OK, Replies.JSON, w.buffer());
            return;
        }
        Source source = services.registry.find(sourceName);
        if (source != null && source.metricCount() > 0) {
            JsonWriter w = json(ctx);
            if (services.analyze.write(w, source, metric)) {
                reply(ctx, HttpResponseStatus.OK, Replies.JSON, w.buffer());
            } else {
                w.buffer().release();
                error(ctx, HttpResponseStatus.NOT_FOUND, "source \"" + sourceName + "\" has no metric \"" + metric + "\"");
            }
            return;
        }
        state = State.AWAIT;
        ctx.channel().config().setAutoRead(false);
        services.remote.analyze(sourceName, metric).whenComplete((body, failure) -> ctx.executor().execute(() -> {
            state = State.IDLE;
            if (!ctx.channel().isActive()) {
                return;
            }
            if (body != null) {
                ByteBuf buf = ctx.alloc().buffer(body.length());
                buf.writeCharSequence(body, StandardCharsets.UTF_8);
                reply(ctx, HttpResponseStatus.OK, Replies.JSON, buf);
            } else {
                error(ctx, HttpResponseStatus.NOT_FOUND, metric == null
                        ? "unknown source \"" + sourceName + "\""
                        : "unknown source \"" + sourceName + "\" or metric \"" + metric + "\"");
            }
            ctx.flush();
            resume(ctx);
        }));
    }

    /** Replays messages parked while a reply was pending, then reads again. */
    private void resume(ChannelHandlerContext ctx) {
        while (parked != null && !parked.isEmpty() && state != State.AWAIT) {
            channelRead(ctx, parked.poll());
        }
        if (state != State.AWAIT) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void onMalformedRequest(ChannelHandlerContext ctx, Throwable cause) {
        keepAlive = false;
        route = Route.OTHER;
        if (cause instanceof TooLongHttpHeaderException) {
            error(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers are too large");
        } else if (cause instanceof TooLongHttpLineException) {
            error(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line is too long");
        } else if (cause instanceof TooLongFrameException) {
            error(ctx, HttpResponseStatus.BAD_REQUEST, "a chunk is too large");
        } else {
            error(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
        }
    }

    private void tooLarge(ChannelHandlerContext ctx) {
        keepAlive = false; // the rest of the body is not read, so the connection cannot carry another request
        rejectIngest(Rejection.TOO_LARGE);
        error(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body is larger than " + services.config.maxBodyBytes() + " bytes (MAX_BODY_BYTES)");
    }

    private void rejectIngest(Rejection reason) {
        if (route == Route.INGEST) {
            services.counters.rejected(reason);
        }
    }

    private void error(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        reply(ctx, status, Replies.JSON, errorBody(ctx, message));
    }

    private ByteBuf errorBody(ChannelHandlerContext ctx, String message) {
        return json(ctx).raw('{').key("error").string(message).raw('}').buffer();
    }

    private JsonWriter json(ChannelHandlerContext ctx) {
        return loop.get().json.target(ctx.alloc().buffer(256));
    }

    private void reply(ChannelHandlerContext ctx, HttpResponseStatus status, AsciiString type, ByteBuf body) {
        send(ctx, Replies.response(status, type, body, keepAlive()));
    }

    /** Whether this connection stays open after the reply: not once the server drains. */
    private boolean keepAlive() {
        keepAlive &= !services.draining();
        return keepAlive;
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (state == State.INGEST || state == State.READ) {
            state = State.DISCARD; // answered before the body ended
        }
        int status = response.status().code();
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            state = State.DISCARD;
        }
        long nanos = System.nanoTime() - startNanos;
        services.http.record(request.method(), route, status, nanos);
        services.latency.record(nanos);
        if (unanswered) {
            unanswered = false;
            services.inFlight.decrementAndGet();
        }
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

    private static String first(List<String> values, String fallback) {
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // a client that pipelines requests without reading replies stops being read until it catches up
        if (state != State.AWAIT) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (unanswered) {
            unanswered = false;
            services.inFlight.decrementAndGet(); // the client left before its answer
        }
        if (parked != null) {
            parked.forEach(ReferenceCountUtil::release);
            parked.clear();
        }
        decoder.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
