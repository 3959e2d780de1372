package dev.pulse.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * Counts open connections for {@code active_connections} and refuses those past {@code MAX_CONNECTIONS} with a
 * 503 and a close, before reading anything from them; on a TLS port with the close alone, since it sits before the
 * handshake and a TLS client would read a plain-text reply as a broken one. First in the pipeline; shared by all
 * channels.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 45\r\n\r\n"
            + "{\"error\":\"too many connections; retry later\"}").getBytes(StandardCharsets.US_ASCII);

    private final HttpMetrics metrics;
    private final int maxConnections;
    private final boolean tls;

    ConnectionLimiter(HttpMetrics metrics, int maxConnections, boolean tls) {
        this.metrics = metrics;
        this.maxConnections = maxConnections;
        this.tls = tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int open = metrics.connectionOpened();
        ctx.channel().closeFuture().addListener(f -> metrics.connectionClosed());
        if (open > maxConnections) {
            ctx.channel().config().setAutoRead(false);
            metrics.refused(503); // no request was read: counted under method OTHER, path other
            if (tls) {
                ctx.close();
            } else {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        ctx.fireChannelActive();
    }
}
