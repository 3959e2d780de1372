package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The heap a detector holds per series: builds many detectors as the server would for {@code DETECTOR}, feeds
 * each a few values (so lazily filled state is filled), and divides the growth of the heap after a collection.
 *
 * <pre>DetectorFootprint [--detectors zscore,robust,pervalue,novelty] [--count 20000]</pre>
 */
public final class DetectorFootprint {
    private DetectorFootprint() {
    }

    public static void main(String[] args) {
        Map<String, String> opt = Flags.of(args);
        int count = Integer.parseInt(opt.getOrDefault("count", "20000"));
        for (String d : opt.getOrDefault("detectors", "zscore,robust,pervalue,novelty").split(",")) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DETECTOR", d);
            Supplier<Detector> factory = Detectors.factory(Config.from(env));
            long before = usedAfterGc();
            Detector[] held = new Detector[count];
            for (int i = 0; i < count; i++) {
                Detector det = factory.get();
                for (int k = 0; k < 100; k++) {
                    det.observe(100 + (k % 7), 1_420_070_400L + 300L * k, 0.0, Math.min(k, 50));
                }
                held[i] = det;
            }
            long after = usedAfterGc();
            System.out.printf(Locale.ROOT, "%s: %.0f bytes per series (%d detectors)%n", d,
                    (after - before - 16.0 - 4.0 * count) / count, held.length);
        }
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
