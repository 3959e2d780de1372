package dev.pulse.perf.cpu;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * The decode + apply work of {@code DecodeApplyBenchmark} (100-event JSON arrays, four metrics, ten sources, the
 * z-score detector) timed by the thread's CPU time rather than the clock: on a machine shared with other work the
 * clock also counts the time the thread waited for a core, its CPU time does not. Prints, for decode alone, apply
 * alone and both, the median and the least of 15 rounds of half a second in nanoseconds per event.
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar dev.pulse.perf.cpu.DecodeApplyCpuTime}
 *
 * <p>Given benchmark jars ({@code ... DecodeApplyCpuTime before.jar after.jar}), it compares them instead: this class
 * is loaded from each jar in a class loader of its own, and rounds of 0.3 s alternate between them part by part, so
 * that every build sees the same load; it prints each one's median and least, and the median (and quartiles) of the
 * per-round ratio of each to the first.
 */
public final class DecodeApplyCpuTime {
    private static final int EVENTS = 100;
    private static final int ROUNDS = 15;

    private final byte[] body = body();
    private final EventDecoder decoder = new EventDecoder(new EventBatch());
    private final EventDecoder decoded = new EventDecoder(new EventBatch());
    private final BatchApplier applier;
    private long sink;

    private DecodeApplyCpuTime() {
        Config config = Config.from(Map.of("DETECTOR", "zscore"));
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), Detectors.factory(config));
        applier = new BatchApplier(registry, BatchListener.NONE);
        decode(decoded);
    }

    public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException {
        if (args.length > 0) {
            compare(args);
            return;
        }
        DecodeApplyCpuTime t = new DecodeApplyCpuTime();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String[] parts = {"decode", "apply", "decode+apply"};
        for (int p = 0; p < parts.length; p++) {
            t.run(p, 2_000_000_000L, cpu); // warm-up
            double[] perEvent = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                perEvent[r] = t.run(p, 500_000_000L, cpu);
            }
            Arrays.sort(perEvent);
            System.out.printf("%-13s median %6.1f ns/event, least %6.1f (thread CPU time, %d rounds of 0.5 s)%n",
                    parts[p], perEvent[ROUNDS / 2], perEvent[0], ROUNDS);
        }
        if (t.sink == 42) {
            System.out.println();
        }
    }

    private static void compare(String[] jars) throws ReflectiveOperationException, MalformedURLException {
        int builds = jars.length;
        int rounds = 21;
        BuildInstance[] work = new BuildInstance[builds];
        Method[] run = new Method[builds];
        for (int j = 0; j < builds; j++) {
            work[j] = BuildInstance.of(jars[j], DecodeApplyCpuTime.class);
            run[j] = work[j].method("run", int.class, long.class, ThreadMXBean.class);
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String[] parts = {"decode", "apply", "decode+apply"};
        for (int p = 0; p < parts.length; p++) {
            for (int j = 0; j < builds; j++) {
                work[j].call(run[j], p, 2_000_000_000L, cpu); // warm-up
            }
            int part = p;
            double[][] perEvent = AlternatingRounds.run(builds, rounds,
                    j -> work[j].call(run[j], part, 300_000_000L, cpu));
            System.out.println(AlternatingRounds.summary(parts[p], perEvent));
        }
        System.out.println("ns per event of thread CPU time, " + rounds + " rounds of 0.3 s each; [j]: " + String.join(" ", jars));
    }

    /** Runs part {@code p} for about {@code cpuNanos} of this thread's CPU time; returns CPU ns per event. */
    private double run(int p, long cpuNanos, ThreadMXBean cpu) {
        long start = cpu.getCurrentThreadCpuTime();
        long events = 0;
        long spent;
        do {
            for (int k = 0; k < 100; k++) {
                if (p != 1) {
                    decode(decoder);
                }
                if (p != 0) {
                    applier.apply(p == 1 ? decoded.batch() : decoder.batch(), 1_700_000_000.0);
                    sink += applier.anomalies().size();
                }
                events += EVENTS;
            }
            spent = cpu.getCurrentThreadCpuTime() - start;
        } while (spent < cpuNanos);
        return (double) spent / events;
    }

    private void decode(EventDecoder d) {
        d.begin(BodyFormat.JSON);
        d.feed(body, 0, body.length);
        if (!d.finish()) {
            throw new IllegalStateException(d.message());
        }
        sink += d.batch().size();
    }

    /** The body {@code DecodeApplyBenchmark} builds for 100-event JSON arrays. */
    private static byte[] body() {
        Random r = new Random(1);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < EVENTS; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"timestamp\":").append(1_700_000_000 + i).append(",\"source\":\"web-").append(i % 10)
                    .append("\",\"cpu\":").append(String.format("%.1f", 40 + r.nextGaussian() * 5))
                    .append(",\"rps\":").append(String.format("%.1f", 100 + r.nextGaussian() * 10))
                    .append(",\"memory\":").append(String.format("%.1f", 50 + r.nextGaussian()))
                    .append(",\"latency\":").append(String.format("%.1f", 25 + r.nextGaussian() * 3)).append('}');
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
