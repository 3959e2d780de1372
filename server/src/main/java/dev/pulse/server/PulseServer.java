package dev.pulse.server;

import dev.pulse.server.log.Log;
import dev.pulse.server.config.Config;
import dev.pulse.server.http.ServerInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server's bootstrap: one acceptor thread, {@code EVENT_LOOP_THREADS} I/O threads (epoll when the native
 * transport loads, NIO otherwise), pooled direct buffers, and the pipeline of {@link ServerInitializer}.
 */
public final class PulseServer {
    private final Services services;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private PulseServer(Services services, EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
        this.services = services;
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /** The event loops, opened before the services exist so that their start-up overlaps other work. */
    public record Loops(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType,
                        int threads, boolean epoll) {
        public void close() {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts the acceptor and {@code EVENT_LOOP_THREADS} I/O threads, epoll when the native transport loads. */
    public static Loops open(Config config) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        int threads = config.eventLoops();
        return new Loops(new MultiThreadIoEventLoopGroup(1, io), new MultiThreadIoEventLoopGroup(threads, io),
                channelType, threads, epoll);
    }

    public static PulseServer start(Services services) throws InterruptedException {
        return start(services, open(services.config));
    }

    /** Binds {@code SERVER_PORT} on {@code loops}; closes them if that fails. */
    public static PulseServer start(Services services, Loops loops) throws InterruptedException {
        Config config = services.config;
        try {
            Channel ch = new ServerBootstrap()
                    .group(loops.boss(), loops.workers())
                    .channel(loops.channelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                    .childHandler(services.pipeline())
                    .bind(config.port()).sync().channel();
            Log.info("listening on port " + ((InetSocketAddress) ch.localAddress()).getPort() + " with "
                    + loops.threads() + " event loops (" + (loops.epoll() ? "epoll" : "nio") + ")");
            return new PulseServer(services, loops.boss(), loops.workers(), ch);
        } catch (Exception e) { // also the transport's IOException (a port in use), which sync() throws unchecked
            loops.close();
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public Services services() {
        return services;
    }

    /**
     * Stops accepting, answers 503 to new requests while those in flight finish (at most until
     * {@code deadlineNanos}), then closes every connection. Returns the number of requests still unanswered.
     */
    public int stop(long deadlineNanos) {
        services.drain.start();
        channel.close().syncUninterruptibly();
        while (services.http.inFlight() > 0 && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = services.http.inFlight();
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
        return left;
    }
}
