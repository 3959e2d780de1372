package dev.pulse.server.http;

import dev.pulse.server.config.Config;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The pipeline of a client connection, in order. Before the codec, on bytes: connection limit (503), TLS when
 * configured ({@link Tls}), write
 * batching ({@link FlushConsolidationHandler}: one flush per read burst, so pipelined replies leave in one syscall),
 * idle timeout, request deadline (408 to slow clients). The HTTP/1.1 codec with bounded line, header and chunk
 * sizes. After it, on HTTP messages: {@link ReadGate} (in-order replies, back-pressure), {@link RequestAccounting}
 * (every reply counted), {@link KeepAlive} (close or keep, drain), {@link MalformedRequests} (400/414/431), and
 * the {@link Router} to the route handlers (401 from {@link BearerAuth} first, on routes that change state; 100
 * Continue once a head has passed every check).
 */
public final class ServerInitializer extends ChannelInitializer<Channel> {
    /** Longest request line. */
    public static final int MAX_INITIAL_LINE = 4096;
    /** Largest chunk handed to the handler at once; a larger body arrives in several. */
    public static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final Config config;
    private final HttpMetrics metrics;
    private final Drain drain;
    private final ConnectionLimiter limiter;
    private final AtomicInteger lingering = new AtomicInteger(); // connections reading a body out before closing
    private final Supplier<? extends RouteHandler>[] routes;
    private final BearerAuth auth;
    private final SslContext tls; // null for plain HTTP

    /**
     * @param routes the route table: a handler factory for every {@link Route} but {@link Route#OTHER}
     * @throws IllegalArgumentException when {@code TLS_CERT_FILE} or {@code TLS_KEY_FILE} cannot be loaded
     */
    public ServerInitializer(Config config, HttpMetrics metrics, Drain drain,
                             Map<Route, ? extends Supplier<? extends RouteHandler>> routes) {
        this.config = config;
        this.metrics = metrics;
        this.drain = drain;
        this.limiter = new ConnectionLimiter(metrics, config.maxConnections(), config.access().tls());
        this.routes = Router.table(routes);
        this.auth = BearerAuth.of(config.access().authToken());
        this.tls = config.access().tls() ? Tls.serverContext(config.access()) : null;
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limiter);
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        // reader-idle only: watching writes too would wrap every reply's void promise in a new one plus a listener
        p.addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("idleClose", IdleCloser.INSTANCE);
        RequestDeadline deadline = new RequestDeadline(config.requestTimeoutMs());
        p.addLast("deadline", deadline);
        p.addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_SIZE)));
        p.addLast("gate", new ReadGate(deadline));
        p.addLast("accounting", new RequestAccounting(metrics));
        p.addLast("keepAlive", new KeepAlive(drain, lingering));
        p.addLast("malformed", MalformedRequests.INSTANCE);
        p.addLast("router", new Router(routes, drain, auth));
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
