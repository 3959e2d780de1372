package dev.pulse.server.redis;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;

/**
 * The writer's grouping and encoding of one round ({@link ChunkBySeries#group}), in ns per value: a round as the
 * service takes them at 200,000 events/s of the load generator's arrays, 262,144 values of 100 sources and four
 * metrics (655 a series), one decimal each, whole-second timestamps. In the writer's package: the classes are its own.
 */
@State(Scope.Thread)
public class ChunkBySeriesBenchmark extends BenchmarkDefaults {
    static final int VALUES = 262_144;
    private static final String[] METRICS = {"cpu", "rps", "memory", "latency"};
    private QueueChunk chunk;
    private ChunkBySeries grouped;

    @Setup
    public void setUp() {
        SeriesRegistry registry = new SeriesRegistry(1_000, 10, 50, Detectors.factory(Config.defaults()));
        Series[] series = new Series[100 * METRICS.length];
        for (int s = 0; s < 100; s++) {
            for (int m = 0; m < METRICS.length; m++) {
                series[s * METRICS.length + m] = registry.restore("web-" + s, METRICS[m]);
            }
        }
        Random r = new Random(7);
        chunk = new QueueChunk(VALUES);
        for (int i = 0; i < VALUES; i++) {
            int event = i / METRICS.length;
            Series s = series[(event % 100) * METRICS.length + i % METRICS.length];
            double value = Math.rint((45 + r.nextGaussian() * 5) * 10) / 10;
            chunk.add(s, value, 1_700_000_000L + event / 100, 0, i);
        }
        grouped = new ChunkBySeries(1_000);
    }

    @Benchmark
    @OperationsPerInvocation(VALUES)
    public int group() {
        grouped.group(chunk, chunk.size());
        return grouped.entry(0).length;
    }
}
