package dev.pulse.server.analytics;

import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.DetectorKind;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap one series holds with each detector (window, detector state, its share of its source), measured as the
 * retained heap of 20,000 series (1,000 sources of 20 metrics, each fed a window of values), and the check that
 * {@code MAX_SERIES}'s default for each detector fits in a third of the container's heap. The figures it prints
 * are the README's "Memory per series".
 */
class SeriesMemoryTest {
    private static final int SOURCES = 1_000;
    private static final int METRICS = 20;
    /** The container's heap: 75 % (MaxRAMPercentage) of its 1 GiB memory limit. */
    private static final long CONTAINER_HEAP = 768L << 20;

    private static long retainedHeap() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    @Test
    void eachDetectorsDefaultBoundFitsInAThirdOfTheContainersHeap() throws Exception {
        for (DetectorKind kind : DetectorKind.values()) {
            Config config = Config.from(Map.of("DETECTOR", kind.name().toLowerCase(Locale.ROOT)));
            SeriesSpec spec = new SeriesSpec(null, kind.name(), config.windowSize(), config.zscoreThreshold(),
                    config.minSamples(), Detectors.factory(config));
            long perSeries = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 3; attempt++) { // the least of three: other threads' leftovers only add
                perSeries = Math.min(perSeries, perSeries(config, spec));
            }
            long atDefault = perSeries * config.maxSeries();
            System.out.printf(Locale.ROOT, "memory per series: %s %d bytes; MAX_SERIES default %d costs %.0f MiB of %d MiB%n",
                    kind.name().toLowerCase(Locale.ROOT), perSeries, config.maxSeries(), atDefault / 1048576.0,
                    CONTAINER_HEAP >> 20);
            assertTrue(perSeries > 0);
            assertTrue(atDefault <= CONTAINER_HEAP / 3, kind + ": " + perSeries + " bytes per series");
        }
    }

    /** The heap a registry of SOURCES x METRICS series retains, each window filled, divided by their number. */
    private static long perSeries(Config config, SeriesSpec spec) throws InterruptedException {
        long before = retainedHeap();
        SeriesRegistry registry = new SeriesRegistry(SOURCES, METRICS, SOURCES * METRICS, (s, m) -> spec);
        for (int s = 0; s < SOURCES; s++) {
            for (int m = 0; m < METRICS; m++) {
                Series series = registry.restore("host-" + s, "metric_" + m);
                assertNotNull(series);
                synchronized (series.source()) {
                    for (int v = 0; v < config.windowSize(); v++) {
                        series.observe(v % 7, 1_700_000_000 + v);
                    }
                }
            }
        }
        long perSeries = (retainedHeap() - before) / (SOURCES * METRICS);
        assertNotNull(registry.find("host-0")); // keeps the registry reachable until measured
        return perSeries;
    }
}
