package dev.pulse.perf.cpu;

import dev.pulse.server.Services;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.http.ServerInitializer;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.redis.RedisStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * {@code PipelineBenchmark}'s work, a whole 100-event ingest request of Gaussian values through the server's pipeline
 * in an {@link EmbeddedChannel} (HTTP decoding, JSON decode, apply, the reply listing the anomalies), timed by the
 * thread's CPU time, so that the time the thread waits for a core on a shared machine is not counted.
 *
 * <p>Given benchmark jars ({@code java -cp after.jar dev.pulse.perf.cpu.PipelineCpuTime before.jar after.jar}) it
 * compares them: this class comes from the jar on the class path, and the server's classes from each jar given, each
 * in a class loader of its own; rounds of 0.3 s alternate between the builds, and it prints each build's median and
 * least microseconds of CPU per request and the median (and quartiles) of the per-round ratio to the first.
 */
public final class PipelineCpuTime {
    private static final int EVENTS = 100;
    private static final int ROUNDS = 21;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ByteBuf request;
    private long sink;

    private PipelineCpuTime() {
        Config config = Config.from(Map.of("REDIS_ADDR", "none"));
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), Detectors.factory(config));
        Services services = new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE, RemoteSnapshots.NONE);
        ServerInitializer init = services.pipeline();
        channel.pipeline().addLast(init);
        byte[] bytes = request();
        request = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException {
        URL own = PipelineCpuTime.class.getProtectionDomain().getCodeSource().getLocation();
        String[] jars = args.length > 0 ? args : new String[] {own.getPath()};
        int builds = jars.length;
        Object[] work = new Object[builds];
        Method[] run = new Method[builds];
        for (int j = 0; j < builds; j++) {
            // the build's own classes first; this class (perhaps absent from an older build) from the class path's jar
            ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jars[j]).toUri().toURL(), own},
                    ClassLoader.getPlatformClassLoader());
            Class<?> c = loader.loadClass(PipelineCpuTime.class.getName());
            Constructor<?> make = c.getDeclaredConstructor();
            make.setAccessible(true);
            work[j] = make.newInstance();
            run[j] = c.getDeclaredMethod("run", long.class, ThreadMXBean.class);
            run[j].setAccessible(true);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int j = 0; j < builds; j++) {
            run[j].invoke(work[j], 3_000_000_000L, cpu); // warm-up
        }
        double[][] perRequest = AlternatingRounds.run(builds, ROUNDS,
                j -> (double) run[j].invoke(work[j], 300_000_000L, cpu));
        System.out.println(AlternatingRounds.summary("request", perRequest));
        System.out.println("µs of thread CPU time per " + EVENTS + "-event request, " + ROUNDS
                + " rounds of 0.3 s each; [j]: " + String.join(" ", jars));
    }

    /** Sends requests for about {@code cpuNanos} of this thread's CPU time; returns CPU µs per request. */
    private double run(long cpuNanos, ThreadMXBean cpu) {
        long start = cpu.getCurrentThreadCpuTime();
        long requests = 0;
        long spent;
        do {
            for (int k = 0; k < 20; k++) {
                channel.writeInbound(request.retainedDuplicate());
                channel.flushOutbound();
                Object out;
                while ((out = channel.readOutbound()) != null) {
                    sink++;
                    ReferenceCountUtil.release(out);
                }
                requests++;
            }
            spent = cpu.getCurrentThreadCpuTime() - start;
        } while (spent < cpuNanos);
        return spent / 1000.0 / requests;
    }

    /** The request {@code PipelineBenchmark} sends with {@code events=100, values=gaussian}. */
    private static byte[] request() {
        Random random = new Random(1);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < EVENTS; i++) {
            b.append(i == 0 ? "" : ",").append("{\"source\":\"web-").append(i % 10).append('"');
            for (String metric : new String[] {"cpu", "rps", "memory", "latency"}) {
                b.append(",\"").append(metric).append("\":").append(Math.round((50 + random.nextGaussian() * 5) * 10) / 10.0);
            }
            b.append('}');
        }
        String body = b.append(']').toString();
        return ("POST /metrics-data HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
