package dev.pulse.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a client connection, in order:
 * connection limit, write batching ({@link FlushConsolidationHandler}: one flush per read burst, so pipelined
 * replies leave in one syscall), idle timeout, request deadline (slow clients), HTTP/1.1 codec with bounded line, header and chunk sizes,
 * {@code Expect: 100-continue} with the body limit, then the {@link RequestHandler}.
 */
public final class ServerInitializer extends ChannelInitializer<Channel> {
    /** Longest request line. */
    public static final int MAX_INITIAL_LINE = 4096;
    /** Largest chunk handed to the handler at once; a larger body arrives in several. */
    public static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final Services services;
    private final ConnectionLimiter limiter;
    private final FastThreadLocal<LoopResources> loop;

    public ServerInitializer(Services services) {
        this.services = services;
        this.limiter = new ConnectionLimiter(services.counters, services.config.maxConnections());
        this.loop = LoopResources.perLoop(services);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limiter);
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        // reader-idle only: watching writes too would wrap every reply's void promise in a new one plus a listener
        p.addLast("idle", new IdleStateHandler(services.config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("idleClose", IdleCloser.INSTANCE);
        RequestDeadline deadline = new RequestDeadline(services.config.requestTimeoutMs());
        p.addLast("deadline", deadline);
        p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(services.config.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_SIZE)));
        p.addLast("continue", new BodyLimitContinueHandler(services.config.maxBodyBytes()));
        p.addLast("request", new RequestHandler(services, loop, deadline));
    }

    /** Closes a connection that has been idle for {@code IDLE_TIMEOUT_MS}. */
    @io.netty.channel.ChannelHandler.Sharable
    static final class IdleCloser extends ChannelInboundHandlerAdapter {
        static final IdleCloser INSTANCE = new IdleCloser();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }
}
