package dev.pulse.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a client that trickles a request: once a request's first byte has arrived, the whole request must arrive
 * within {@code REQUEST_TIMEOUT_MS}, else the connection gets a 408 and is closed. The idle timeout cannot do this,
 * since a byte a second keeps a connection busy forever. Sits before the HTTP codec; the {@link ReadGate}
 * calls {@link #requestRead} when a request has been read whole.
 *
 * <p>Cost: one timer check per connection, re-armed only while a request is partly read; nothing per byte.
 * Not sharable; every field is owned by the connection's event loop.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: 54\r\n\r\n"
            + "{\"error\":\"the request did not arrive in time; closed\"}").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private long startedNanos = -1;       // first byte of the request being read, or -1 between requests
    private ScheduledFuture<?> check;      // the pending deadline check, if any
    private ChannelHandlerContext ctx;

    RequestDeadline(long timeoutMillis) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (startedNanos < 0 && msg instanceof ByteBuf b && b.isReadable()) {
            startedNanos = System.nanoTime();
            arm(timeoutNanos);
        }
        ctx.fireChannelRead(msg);
    }

    /** The current request has been read whole: the clock stops until the next one's first byte. */
    void requestRead() {
        startedNanos = -1;
    }

    private void arm(long delayNanos) {
        if (check == null || check.isDone()) {
            check = ctx.executor().schedule(this::expire, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire() {
        check = null;
        if (startedNanos < 0 || !ctx.channel().isActive()) {
            return;
        }
        long late = System.nanoTime() - startedNanos - timeoutNanos;
        if (late < 0) {
            arm(-late);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
