package dev.pulse.perf.load;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * One keep-alive connection of the generator, last in a pipeline after {@code HttpResponseDecoder}. Sends
 * pre-encoded requests and measures each reply.
 *
 * <p>Closed loop: keeps {@code pipeline} requests in flight, sending the next as soon as a reply completes; latency
 * is measured from the actual send. Open loop: request k is due at {@code start + k * interval}; it is sent then, or
 * as soon as a slot frees if the connection is behind, and its latency is measured from when it was due, so a stall
 * on the server counts against every request it delayed (coordinated omission corrected, as wrk2 does).
 *
 * <p>Not sharable; every field is owned by the connection's event loop.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    private final RequestPool pool;
    private final Results results;
    private final int pipeline;
    private final long intervalNanos; // 0 in closed loop
    private final long[] dueTimes;    // ring of in-flight requests' reference times
    private final long[] sequences;   // ring of in-flight requests' pool sequence
    private long nextDue;             // open loop: when the next request is due
    private long sent;                // requests sent on this connection
    private int head;                 // oldest in-flight slot
    private int inFlight;
    private int status;               // status of the reply being read
    private boolean stopped;
    private ChannelHandlerContext ctx;

    Connection(RequestPool pool, Results results, int pipeline, long intervalNanos, long firstDueNanos, long seed) {
        this.pool = pool;
        this.results = results;
        this.pipeline = pipeline;
        this.intervalNanos = intervalNanos;
        this.dueTimes = new long[pipeline];
        this.sequences = new long[pipeline];
        this.nextDue = firstDueNanos;
        this.sent = seed;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        pump();
        ctx.fireChannelActive();
    }

    void stop() {
        stopped = true;
    }

    /** Sends whatever is allowed now; in open loop, wakes up again when the next request is due. */
    private void pump() {
        if (stopped || !ctx.channel().isActive()) {
            return;
        }
        boolean wrote = false;
        if (intervalNanos == 0) {
            while (inFlight < pipeline) {
                send(System.nanoTime());
                wrote = true;
            }
        } else {
            long now = System.nanoTime();
            while (inFlight < pipeline && nextDue <= now) {
                send(nextDue);
                nextDue += intervalNanos;
                wrote = true;
            }
            if (inFlight < pipeline) {
                ctx.executor().schedule(this::pump, nextDue - now, TimeUnit.NANOSECONDS);
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void send(long referenceNanos) {
        int slot = (head + inFlight) % pipeline;
        dueTimes[slot] = referenceNanos;
        sequences[slot] = sent;
        inFlight++;
        ctx.write(pool.request(sent++), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
            }
            if (msg instanceof LastHttpContent && inFlight > 0) {
                long latency = System.nanoTime() - dueTimes[head];
                results.record(status, latency, pool.events(sequences[head]));
                head = (head + 1) % pipeline;
                inFlight--;
                pump();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!stopped) {
            results.connectionError();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        results.connectionError();
        ctx.close();
    }
}
