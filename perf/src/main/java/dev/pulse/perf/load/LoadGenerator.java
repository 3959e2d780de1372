package dev.pulse.perf.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 load generator for p99 work: many keep-alive connections over Netty, optional pipelining, open loop at
 * a fixed rate with coordinated omission corrected, or closed loop to find saturation. Prints a progress line each
 * second and, at the end, the percentile table, rates and every non-2xx status; writes .hgrm, SVG and JSON on request.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pulse-load: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        Report report = run(o, System.err);
        report.print(System.out);
        report.write(o);
        System.exit(report.connectionErrors() > 0 || report.requests() == 0 ? 1 : 0);
    }

    /** Runs the load described by {@code o}, printing progress to {@code progress}. */
    public static Report run(Options o, java.io.PrintStream progress) throws Exception {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads(), io);
        RequestPool pool = new RequestPool(o);
        Results results = new Results();
        List<Connection> connections = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        try {
            long start = System.nanoTime() + 50_000_000L;
            long interval = o.openLoop() ? (long) (1e9 * o.connections() / o.rate()) : 0;
            for (int c = 0; c < o.connections(); c++) {
                long firstDue = start + (o.openLoop() ? interval * c / o.connections() : 0);
                Connection conn = new Connection(pool, results, o.pipeline(), interval, firstDue,
                        pool.firstSequence(c, o.connections()));
                connections.add(conn);
                channels.add(new Bootstrap().group(group)
                        .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new HttpResponseDecoder()).addLast(conn);
                            }
                        })
                        .connect(o.host(), o.port()).sync().channel());
            }
            Histogram total = new Histogram(Results.HIGHEST_NANOS, 3);
            Histogram interval1 = null;
            boolean terminal = System.console() != null;
            long warmupEnd = start + (long) (o.warmupSeconds() * 1e9);
            long end = warmupEnd + (long) (o.durationSeconds() * 1e9);
            long measuredStart = 0;
            boolean measuring = o.warmupSeconds() <= 0;
            long cpuStart = 0;
            if (measuring) {
                measuredStart = System.nanoTime();
                cpuStart = ServerCpu.ticks(o.serverPids());
            }
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
                interval1 = results.interval(interval1);
                if (!measuring && System.nanoTime() >= warmupEnd) {
                    measuring = true;
                    measuredStart = System.nanoTime();
                    cpuStart = ServerCpu.ticks(o.serverPids());
                    results.resetCounts();
                    continue;
                }
                if (measuring) {
                    total.add(interval1);
                }
                String line = String.format("%s %6.1fs  %9.0f req/s  p99 %8.3f ms  errors %d",
                        measuring ? "run   " : "warmup", (System.nanoTime() - start) / 1e9,
                        interval1.getTotalCount() / 1.0, interval1.getTotalCount() == 0 ? 0.0
                                : interval1.getValueAtPercentile(99) / 1e6, errors(results));
                progress.print(terminal ? "\r" + line : line + "\n");
            }
            long cpuTicks = ServerCpu.ticks(o.serverPids()) - cpuStart;
            connections.forEach(Connection::stop);
            double seconds = (System.nanoTime() - measuredStart) / 1e9;
            total.add(results.interval(interval1));
            if (terminal) {
                progress.println();
            }
            return new Report(o, total, results, seconds, cpuTicks);
        } finally {
            for (Channel ch : channels) {
                ch.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static long errors(Results r) {
        long errors = r.connectionErrors();
        for (int s = 0; s < 600; s++) {
            if (s < 200 || s >= 300) {
                errors += r.status(s);
            }
        }
        return errors;
    }
}
