package dev.pulse.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Counts every reply that passes through the pipeline in {@code http_requests_total{method,path,status}} and its
 * duration (from the request's head to its reply being written) in the histogram and the {@code /stats} window;
 * keeps {@link HttpMetrics#inFlight} for the drain at shutdown. Sits after the {@link ReadGate}, which hands it one
 * request at a time, so one request is tracked at once.
 *
 * <p>Not sharable; every field is owned by the connection's event loop.
 */
final class RequestAccounting extends ChannelDuplexHandler {
    private final HttpMetrics metrics;
    // All fields below: owned by the connection's event loop.
    private boolean pending;  // a request has arrived and has no reply yet
    private long startNanos;
    private int method;
    private Route route;

    RequestAccounting(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            startNanos = System.nanoTime();
            method = HttpMetrics.methodIndex(req.method());
            route = req.decoderResult().isSuccess() ? Route.of(req.uri()) : Route.OTHER;
            if (!pending) {
                pending = true;
                metrics.requestStarted();
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().code() >= 200 && pending) {
            pending = false;
            metrics.record(method, route, r.status().code(), System.nanoTime() - startNanos);
            metrics.requestEnded();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pending) {
            pending = false;
            metrics.requestEnded(); // the client left before its answer
        }
        ctx.fireChannelInactive();
    }
}
