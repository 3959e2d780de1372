package dev.pulse.perf.cpu;

import dev.pulse.bench.http.PipelineBenchmark;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.MalformedURLException;

/**
 * {@code PipelineBenchmark}'s work, a whole 100-event ingest request of Gaussian values through the server's pipeline
 * in an {@link EmbeddedChannel} (HTTP decoding, JSON decode, apply, the reply listing the anomalies), timed by the
 * thread's CPU time, so that the time the thread waits for a core on a shared machine is not counted.
 *
 * <p>Given benchmark jars ({@code java -cp after.jar dev.pulse.perf.cpu.PipelineCpuTime before.jar after.jar}) it
 * compares them: each build's classes (this one from the class path's jar where a build lacks it) in a class loader
 * of its own ({@link BuildInstance}); rounds of 0.3 s alternate between the builds, and it prints each build's median and
 * least microseconds of CPU per request and the median (and quartiles) of the per-round ratio to the first.
 */
public final class PipelineCpuTime {
    private static final int EVENTS = 100;
    private static final int ROUNDS = 21;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ByteBuf request;
    private long sink;

    private PipelineCpuTime() {
        PipelineBenchmark.pipeline(channel);
        byte[] bytes = PipelineBenchmark.requestBytes(EVENTS, true);
        request = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException {
        String[] jars = args.length > 0 ? args : new String[] {BuildInstance.ownJar(PipelineCpuTime.class)};
        int builds = jars.length;
        BuildInstance[] work = new BuildInstance[builds];
        Method[] run = new Method[builds];
        for (int j = 0; j < builds; j++) {
            work[j] = BuildInstance.of(jars[j], PipelineCpuTime.class);
            run[j] = work[j].method("run", long.class, ThreadMXBean.class);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int j = 0; j < builds; j++) {
            work[j].call(run[j], 3_000_000_000L, cpu); // warm-up
        }
        double[][] perRequest = AlternatingRounds.run(builds, ROUNDS,
                j -> work[j].call(run[j], 300_000_000L, cpu));
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
}
