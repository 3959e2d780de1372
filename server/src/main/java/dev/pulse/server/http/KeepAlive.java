package dev.pulse.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a connection open after a reply, or closes it once the reply is written: closed when the client asked
 * (HTTP/1.0, {@code Connection: close}), when the reply says so (an error answered before the body ended), and
 * on every reply once the server drains, so clients reconnect to another replica. An HTTP/1.0 client that asked
 * to keep the connection ({@code Connection: keep-alive}, as ApacheBench's {@code -k} does) is told so in each reply
 * it keeps: without the header it takes the reply to end at the close, and waits for one that never comes.
 *
 * <p>A close after a reply written before the request's body has been read lingers, as nginx does: the rest of the
 * body is read and discarded until its declared end, and only then is the connection closed. Closing at once
 * would let the kernel answer the client's further bytes with a reset, which can destroy the reply before the client
 * reads it. The linger is bounded in time by {@code REQUEST_TIMEOUT_MS} (the {@link RequestDeadline} closes the
 * connection) and across connections by {@link #MAX_LINGERING}; past that the close is immediate.
 *
 * <p>Sits after the codec. Not sharable; its fields are owned by the connection's event loop.
 */
final class KeepAlive extends ChannelDuplexHandler {
    /** Most connections lingering at once, across the server. */
    static final int MAX_LINGERING = 256;

    private final Drain drain;
    private final AtomicInteger lingering; // shared by all connections
    // All fields below: owned by the connection's event loop.
    private boolean keepAlive = true; // what the request being answered asked for
    private boolean saysKeepAlive;    // ... and it is HTTP/1.0, which keeps a connection only when the reply says so
    private boolean bodyPending;      // the request's body has not ended yet
    private boolean discarding;       // replied and closing: reading the rest of the body into nothing

    KeepAlive(Drain drain, AtomicInteger lingering) {
        this.drain = drain;
        this.lingering = lingering;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            boolean last = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (last) {
                ctx.close();
            }
            return;
        }
        if (msg instanceof HttpRequest req) {
            keepAlive = HttpUtil.isKeepAlive(req);
            saysKeepAlive = keepAlive && req.protocolVersion().equals(HttpVersion.HTTP_1_0);
            // a client that waits for 100 Continue sends no body after an error reply: nothing to linger for
            bodyPending = !HttpUtil.is100ContinueExpected(req);
        }
        if (msg instanceof LastHttpContent) {
            bodyPending = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r) {
            int status = r.status().code();
            if (status == 100) {
                bodyPending = true; // asked for: it comes now
            } else if (status >= 200 && (!keepAlive || drain.draining() || !HttpUtil.isKeepAlive(r))) {
                promise = closeAfter(r, promise);
            } else if (status >= 200 && saysKeepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * Makes {@code r} the connection's last reply, closed once the rest of the body is read or else once it is written;
     * returns the promise to write it with.
     */
    private ChannelPromise closeAfter(HttpResponse r, ChannelPromise promise) {
        HttpUtil.setKeepAlive(r, false);
        if (bodyPending && lingering.incrementAndGet() <= MAX_LINGERING) {
            discarding = true; // closed when the body ends, or by the request deadline
            return promise;
        }
        if (bodyPending) {
            lingering.decrementAndGet();
        }
        return promise.unvoid().addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (discarding) {
            discarding = false;
            lingering.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }
}
