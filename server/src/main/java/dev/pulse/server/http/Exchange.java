package dev.pulse.server.http;

import dev.pulse.protocol.reply.JsonWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * The request being answered on one connection, as a {@link RouteHandler} sees it: its head, and the one reply it
 * gets. Replies are written into pooled buffers; keep-alive, accounting and ordering are the pipeline's business.
 *
 * <p>One per connection, reused for each request. Not thread-safe: owned by the connection's event loop; an answer
 * computed elsewhere comes back through {@link #later}.
 */
public final class Exchange {
    /** One JSON writer per event loop: it is used synchronously, so the loop's connections can share it. */
    private static final FastThreadLocal<JsonWriter> JSON = new FastThreadLocal<>() {
        @Override
        protected JsonWriter initialValue() {
            return new JsonWriter();
        }
    };

    private final ChannelHandlerContext ctx;
    // All fields below: owned by the connection's event loop.
    private HttpRequest request;
    private Route route;
    private double receivedSeconds;
    private boolean answered;
    private boolean close;

    Exchange(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void begin(HttpRequest request, Route route) {
        this.request = request;
        this.route = route;
        this.receivedSeconds = System.currentTimeMillis() / 1000.0;
        this.answered = false;
        this.close = false;
    }

    /** The head of the request; valid until the reply (do not keep it past that). */
    public HttpRequest request() {
        return request;
    }

    public Route route() {
        return route;
    }

    /** When the request's head arrived, in epoch seconds: the timestamp of events that carry none. */
    public double receivedSeconds() {
        return receivedSeconds;
    }

    /** Whether this request has its reply. */
    public boolean answered() {
        return answered;
    }

    /**
     * The reply closes the connection: for an error answered before the body has been read, whose unread rest
     * would otherwise be taken for the next request.
     */
    public void closeAfterReply() {
        close = true;
    }

    /**
     * Answers {@code Expect: 100-continue} once the head has passed every check: the client sends its body, and the
     * reply may keep the connection.
     */
    void continueBody() {
        close = false;
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER), ctx.voidPromise());
    }

    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** The event loop's JSON writer, aimed at a fresh pooled buffer; hand it to {@link #reply(HttpResponseStatus, JsonWriter)}. */
    public JsonWriter json() {
        return json(256);
    }

    /** {@link #json()} for a reply of about {@code expectedBytes}, so the buffer is not grown (and copied) on the way. */
    public JsonWriter json(int expectedBytes) {
        return JSON.get().target(ctx.alloc().buffer(Math.max(256, expectedBytes)));
    }

    /** Replies with the JSON written into {@code w}. */
    public void reply(HttpResponseStatus status, JsonWriter w) {
        assert w.depth() == 0 : "reply with an object or array left open: depth=" + w.depth();
        reply(status, Replies.JSON, w.buffer());
    }

    /** Replies with {@code body} (released by the pipeline once written). */
    public void reply(HttpResponseStatus status, AsciiString contentType, ByteBuf body) {
        send(Replies.response(status, contentType, body));
    }

    /** A request's query parameters, decoded. */
    public record Query(Map<String, List<String>> parameters) {
        /** The first value of parameter {@code name}, or null when it is absent. */
        public String first(String name) {
            List<String> values = parameters.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /**
     * The request's query parameters, decoded; null once it has answered 400 for an escape that is not one ("%ZZ"),
     * where the decoder throws. A caller that gets null returns.
     */
    public Query query() {
        try {
            return new Query(new QueryStringDecoder(request.uri()).parameters());
        } catch (IllegalArgumentException e) {
            error(HttpResponseStatus.BAD_REQUEST, "the query string has a malformed %-escape: " + e.getMessage());
            return null;
        }
    }

    /** Replies {@code {"error": message}}. */
    public void error(HttpResponseStatus status, String message) {
        reply(status, json().beginObject().name("error").value(message).endObject());
    }

    /** Replies with a response built by the caller (extra headers). */
    public void send(FullHttpResponse response) {
        if (answered) {
            ReferenceCountUtil.release(response);
            throw new IllegalStateException("request already answered: route=" + route);
        }
        answered = true;
        if (close) {
            HttpUtil.setKeepAlive(response, false);
        }
        ctx.writeAndFlush(response, ctx.voidPromise());
    }

    /**
     * Answers once {@code result} completes, on this connection's event loop: {@code answer} gets the value or the
     * failure. Meanwhile the connection reads nothing more, so pipelined requests keep their order. Nothing is
     * written if the client has left.
     */
    public <T> void later(CompletionStage<T> result, BiConsumer<T, Throwable> answer) {
        result.whenComplete((value, failure) -> {
            try {
                ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive()) {
                        return;
                    }
                    try {
                        answer.accept(value, failure);
                    } catch (RuntimeException e) {
                        ctx.pipeline().fireExceptionCaught(e); // from the head, so the router sees it
                    }
                });
            } catch (RejectedExecutionException e) {
                // the event loop has shut down: the connection is gone with it
            }
        });
    }
}
