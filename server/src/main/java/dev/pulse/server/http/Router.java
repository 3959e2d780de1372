package dev.pulse.server.http;

import dev.pulse.server.log.Log;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Sends each request to the handler of its route, and answers 404 (no such path) and 405 (wrong method) itself;
 * while the server drains, the route's handler refuses instead. A HEAD request is its route's GET, answered without
 * a body. The last handler of the pipeline.
 *
 * <h2>Adding a route</h2>
 * <ol>
 *   <li>An entry in {@link Route}: path, method, and whether it mutates state (mutating routes are the ones access
 *       control guards).</li>
 *   <li>A {@link RouteHandler} in the package of the stage it serves (ingest, query, ops...): implement
 *       {@link RouteHandler.Whole} for a request whose body is ignored, or {@link RouteHandler#head} and
 *       {@link RouteHandler#content} to stream a body chunk by chunk; answer through the {@link Exchange}, at once or
 *       with {@link Exchange#later} for a result computed off the event loop.</li>
 *   <li>Its factory in the route table the wiring builds ({@code dev.pulse.server.Routes}): one shared instance for
 *       a stateless handler, or a new one per connection for one that keeps state.</li>
 * </ol>
 * Accounting, keep-alive, drain, ordering of pipelined replies and back-pressure then apply without further code.
 *
 * <p>Not sharable: one instance per connection; every field is owned by the connection's event loop.
 */
final class Router extends ChannelInboundHandlerAdapter {
    private static final Log.Limited ERRORS = Log.limited(1_000);
    private static final AsciiString GET_AND_HEAD = AsciiString.cached("GET, HEAD");
    private final Supplier<? extends RouteHandler>[] factories; // by Route ordinal
    private final Drain drain;
    private final BearerAuth auth;
    // All fields below: owned by the connection's event loop.
    private final RouteHandler[] handlers = new RouteHandler[Route.values().length]; // made on first use
    private Exchange exchange;
    private RouteHandler current; // receives the body of the request being read, or null

    Router(Supplier<? extends RouteHandler>[] factories, Drain drain, BearerAuth auth) {
        this.factories = factories;
        this.drain = drain;
        this.auth = auth;
    }

    /** The table as the router reads it: a factory per route ordinal; every route but OTHER must have one. */
    @SuppressWarnings("unchecked")
    static Supplier<? extends RouteHandler>[] table(Map<Route, ? extends Supplier<? extends RouteHandler>> routes) {
        Supplier<? extends RouteHandler>[] t = new Supplier[Route.values().length];
        for (Route r : Route.values()) {
            t[r.ordinal()] = routes.get(r);
            if (t[r.ordinal()] == null && r != Route.OTHER) {
                throw new IllegalArgumentException("no handler for route=" + r);
            }
        }
        return t;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        exchange = new Exchange(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                onRequest(req);
            }
            if (msg instanceof HttpContent content && current != null) {
                boolean last = content instanceof LastHttpContent;
                ByteBuf chunk = content.content();
                if (!exchange.answered()) {
                    current.content(exchange, chunk, last);
                }
                if (last || exchange.answered()) {
                    current = null; // answered early: the rest of the body is dropped
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(HttpRequest req) {
        Route route = Route.of(req.uri());
        exchange.begin(req, route);
        current = null;
        if (unsupportedExpectation(req)) {
            exchange.closeAfterReply();
            exchange.error(HttpResponseStatus.EXPECTATION_FAILED, "the only expectation served is 100-continue");
            return;
        }
        // A client that waits for 100 Continue may send its body after an answer without one, or not: that
        // connection cannot carry another request. The checks run in the contract's order either way.
        boolean continues = HttpUtil.is100ContinueExpected(req);
        if (continues) {
            exchange.closeAfterReply();
        }
        if (drain.draining()) {
            if (route == Route.OTHER) {
                exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is shutting down; retry on another replica");
            } else {
                handler(route).draining(exchange);
            }
            return;
        }
        if (route == Route.OTHER) {
            exchange.error(HttpResponseStatus.NOT_FOUND, "no such path; see /health, /stats, /analyze, /anomalies, /metrics, /metrics-data, /api/v1/write, /v1/metrics, /series, or / for the live page");
            return;
        }
        // HEAD is a GET without its body (the codec drops the reply's body and keeps its Content-Length)
        boolean headOfGet = HttpMethod.HEAD.equals(req.method()) && servesHead(route);
        if (!req.method().equals(route.method()) && !headOfGet) {
            FullHttpResponse r = Replies.response(HttpResponseStatus.METHOD_NOT_ALLOWED, Replies.JSON, exchange.json()
                    .beginObject().name("error").value("method " + req.method().name() + " is not allowed on " + route.path())
                    .endObject().buffer());
            r.headers().set(HttpHeaderNames.ALLOW, servesHead(route) ? GET_AND_HEAD : route.method().name());
            exchange.send(r);
            return;
        }
        if (!auth.permits(route, req)) {
            handler(route).unauthorized(exchange); // the body that follows is dropped unread
            return;
        }
        RouteHandler h = handler(route);
        h.head(exchange);
        if (!exchange.answered()) {
            current = h;
            if (continues) {
                exchange.continueBody();
            }
        }
    }

    /** Whether the route answers HEAD too: a GET route does. */
    private static boolean servesHead(Route route) {
        return HttpMethod.GET.equals(route.method());
    }

    /** An {@code Expect} other than 100-continue, which RFC 9110 answers 417; HTTP/1.0 has none to honour. */
    private static boolean unsupportedExpectation(HttpRequest req) {
        String expect = req.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && req.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
    }

    private RouteHandler handler(Route route) {
        RouteHandler h = handlers[route.ordinal()];
        if (h == null) {
            h = factories[route.ordinal()].get();
            handlers[route.ordinal()] = h;
        }
        return h;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (RouteHandler h : handlers) {
            if (h != null) {
                h.close();
            }
        }
        ctx.fireChannelInactive();
    }

    /**
     * A failure of ours: logged (rate-limited), answered 500 when a request is waiting for its reply (so it is
     * counted), and the connection closed, since its state is unknown. A reset by the peer is a client leaving: no
     * log, no reply. TLS failures are logged in one line of our own words: plain HTTP on the TLS port without its
     * bytes, which the TLS layer's message holds in hex (an {@code Authorization} header among them).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        current = null;
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof NotSslRecordException) {
            ERRORS.warn("closing a connection that does not speak TLS to the TLS port");
            ctx.close();
            return;
        }
        if (root instanceof SSLException) {
            ERRORS.warn("closing a connection whose TLS handshake failed: " + root.getMessage());
            ctx.close();
            return;
        }
        if (root instanceof IOException) {
            ctx.close();
            return;
        }
        ERRORS.warn("closing a connection after an error: " + cause);
        if (exchange != null && exchange.request() != null && !exchange.answered() && ctx.channel().isActive()) {
            exchange.closeAfterReply();
            exchange.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; see the server log");
        } else {
            ctx.close();
        }
    }
}
