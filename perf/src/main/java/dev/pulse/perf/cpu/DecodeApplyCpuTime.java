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

    public static void main(String[] args) {
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
