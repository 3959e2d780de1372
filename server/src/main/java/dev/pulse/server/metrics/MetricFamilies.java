package dev.pulse.server.metrics;

import dev.pulse.protocol.reply.PrometheusTextWriter;

import java.util.concurrent.atomic.LongAdder;

/**
 * A stage's own metric families, written into a {@code /metrics} scrape. Each stage implements this for what it
 * counts, so this package knows no stage: the wiring hands the exporter a list of them.
 *
 * <p>Implementations are called on the event loop serving the scrape, concurrently with the stage's own threads:
 * they read only thread-safe counters and safely published values, and never block.
 */
@FunctionalInterface
public interface MetricFamilies {
    /** Writes this stage's families (headers and samples) into {@code out}. */
    void writeTo(PrometheusTextWriter out);

    /** {@code n} counters, one per label value (or combination) of a family a stage counts from many threads. */
    static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
