package dev.pulse.bench.metrics;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.Services;
import dev.pulse.server.metrics.MetricsExporter;
import dev.pulse.server.redis.RedisStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@code /metrics} scrape with 1,000 series (250 sources × 4 metrics): the service's part and the whole (µs/op). */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MetricsExportBenchmark extends BenchmarkDefaults {
    private MetricsExporter exporter;

    @Setup
    public void setUp() {
        Config config = Config.from(Map.of("REDIS_ADDR", "none"));
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), Detectors.factory(config));
        for (int s = 0; s < 250; s++) {
            for (String m : new String[]{"cpu", "rps", "memory", "latency"}) {
                Series series = registry.restore("web-" + s, m);
                synchronized (series.source()) {
                    for (int i = 0; i < 60; i++) {
                        series.observe(i % 7, i);
                    }
                }
            }
        }
        Services services = new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE, RemoteSnapshots.NONE);
        exporter = new MetricsExporter(services.metricFamilies());
    }

    /** The service's families, whose size grows with the series. */
    @Benchmark
    public int serviceFamilies() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(256 * 1024);
        try {
            exporter.writeService(buf);
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }

    /** The whole scrape, JVM families (memory pools, GC, threads) included. */
    @Benchmark
    public int wholeScrape() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(256 * 1024);
        try {
            exporter.write(buf);
            return buf.readableBytes();
        } finally {
            buf.release();
        }
    }
}
