package dev.pulse.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Keeps a connection open after a reply, or closes it once the reply is written: closed when the client asked
 * (HTTP/1.0, {@code Connection: close}), when the reply says so (an error answered before the body ended), and
 * on every reply once the server drains, so clients reconnect to another replica.
 *
 * <p>Sits after the codec. Not sharable; its field is owned by the connection's event loop.
 */
final class KeepAlive extends ChannelDuplexHandler {
    private final Drain drain;
    private boolean keepAlive = true; // what the request being answered asked for

    KeepAlive(Drain drain) {
        this.drain = drain;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            keepAlive = HttpUtil.isKeepAlive(req);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().code() >= 200
                && (!keepAlive || drain.draining() || !HttpUtil.isKeepAlive(r))) {
            HttpUtil.setKeepAlive(r, false);
            promise = promise.unvoid();
            promise.addListener(ChannelFutureListener.CLOSE);
        }
        ctx.write(msg, promise);
    }
}
