package dev.pulse.perf.nab;

import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A digest of every score's bits and every decision of each detector over six generated streams (a daily sine, a
 * weekend dip, noise, spikes, rare level shifts) whose times are whole seconds, fractional seconds, five-minute
 * steps, times before the epoch, and fractions of a microsecond: for a change meant to keep every verdict, two builds
 * must print the same lines. Run a build's detectors with this class from a newer jar placed after it:
 *
 * <pre>java -cp before.jar:after.jar dev.pulse.perf.nab.ScoreDigest [--detectors robust,pervalue,novelty] [--values 400000]</pre>
 */
public final class ScoreDigest {
    private static final int STREAMS = 6;

    private ScoreDigest() {
    }

    public static void main(String[] args) {
        Map<String, String> opt = Flags.of(args);
        int values = Integer.parseInt(opt.getOrDefault("values", "400000"));
        for (String name : opt.getOrDefault("detectors", "robust,pervalue,novelty").split(",")) {
            for (int stream = 0; stream < STREAMS; stream++) {
                Detector d = Detectors.factory(Config.from(Map.of("DETECTOR", name))).get();
                SplittableRandom r = new SplittableRandom(stream * 31L + 7);
                long digest = 1125899906842597L;
                int flagged = 0;
                double level = 100;
                for (int i = 0; i < values; i++) {
                    double t = time(stream, i, r);
                    double day = Math.sin(2 * Math.PI * (t % 86_400) / 86_400);
                    double weekend = Math.floorMod((long) Math.floor(t / 86_400), 7) >= 2
                            && Math.floorMod((long) Math.floor(t / 86_400), 7) <= 3 ? -3 : 0; // Saturday, Sunday
                    if (r.nextInt(20_000) == 0) {
                        level += r.nextGaussian() * 20;
                    }
                    double x = level + 10 * day + weekend + r.nextGaussian() * (stream % 2 == 0 ? 1 : 3)
                            + (r.nextInt(200) == 0 ? 25 : 0);
                    double score = d.observe(x, t, 0.0, Math.min(i, 50));
                    boolean anomaly = d.lastAnomaly();
                    flagged += anomaly ? 1 : 0;
                    digest = 31 * digest + (anomaly ? 1 : 0);
                    digest = 31 * digest + Double.doubleToLongBits(score);
                }
                System.out.printf("%s stream %d: %d values, %d flagged, digest %016x%n", name, stream, values, flagged,
                        digest);
            }
        }
    }

    private static double time(int stream, int i, SplittableRandom r) {
        return switch (stream) {
            case 0 -> 1_700_000_000.0 + i;                                  // whole seconds
            case 1 -> 1_700_000_000.0 + i * 60 + r.nextDouble();            // fractional, a minute apart
            case 2 -> 1_420_070_400.0 + i * 300;                            // five minutes
            case 3 -> -5_000_000.0 + i * 37.25;                             // before the epoch, in quarters
            case 4 -> 1_600_000_000.0 + i * 300 + r.nextDouble() * 1e-6;    // fractions of a microsecond
            default -> 1_700_000_000.123 + i * 0.5;                         // two a second
        };
    }
}
