package dev.pulse.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Decides when the connection reads. A request read whole whose reply is still pending (computed off the loop)
 * stops reading, and the messages the codec has already decoded wait here, so pipelined requests are answered in
 * order and the handlers after this one see one request at a time. A client that pipelines requests without
 * reading the replies stops being read until the socket is writable again. Tells the {@link RequestDeadline} when
 * a request has been read whole.
 *
 * <p>Costs nothing while replies are written synchronously. Sits right after the codec. Not sharable; every field is
 * owned by the connection's event loop.
 */
final class ReadGate extends ChannelDuplexHandler {
    private final RequestDeadline deadline;
    // All fields below: owned by the connection's event loop.
    private boolean answered;          // the current request has its reply
    private boolean waiting;           // read whole, reply pending: park what arrives
    private ArrayDeque<Object> parked; // decoded while waiting; bounded by one read

    ReadGate(RequestDeadline deadline) {
        this.deadline = deadline;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (waiting) {
            if (parked == null) {
                parked = new ArrayDeque<>();
            }
            parked.add(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            answered = false;
        }
        boolean last = msg instanceof LastHttpContent;
        if (last) {
            deadline.requestRead();
        }
        ctx.fireChannelRead(msg);
        if (last && !answered) {
            waiting = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean resume = false;
        if (msg instanceof HttpResponse r && r.status().code() >= 200) {
            answered = true;
            resume = waiting;
            waiting = false;
        }
        ctx.write(msg, promise);
        if (resume) {
            ctx.executor().execute(() -> resume(ctx));
        }
    }

    /** Replays what was parked while a reply was pending, then reads again. */
    private void resume(ChannelHandlerContext ctx) {
        while (parked != null && !parked.isEmpty() && !waiting && ctx.channel().isActive()) {
            channelRead(ctx, parked.poll());
        }
        if (!waiting) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!waiting) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (parked != null) {
            parked.forEach(ReferenceCountUtil::release);
            parked.clear();
        }
        ctx.fireChannelInactive();
    }
}
