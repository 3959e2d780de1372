package dev.pulse.server.metrics;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import org.HdrHistogram.Histogram;

import java.math.BigDecimal;

/** Prometheus histogram helpers shared by the stages: the {@code le} label of a bound, and a family from an HdrHistogram. */
public final class Histograms {
    private Histograms() {
    }

    /** The {@code le} label of a bucket bound, in plain decimal ({@code 0.0005}, {@code 1}). */
    public static String le(double bound) {
        return BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }

    /** A histogram family from an HdrHistogram; {@code unit} converts recorded values to the exported unit. */
    public static void write(PrometheusTextWriter out, String name, String help, Histogram h, double[] bounds,
                             double unit) {
        out.family(name, "histogram", help);
        for (double bound : bounds) {
            long upTo = (long) Math.floor(bound / unit);
            long count = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, upTo);
            out.sample(name + "_bucket").label(true, "le", le(bound)).value(true, count);
        }
        out.sample(name + "_bucket").label(true, "le", "+Inf").value(true, h.getTotalCount());
        out.unlabelled(name + "_count", h.getTotalCount());
        out.unlabelled(name + "_sum", h.getTotalCount() == 0 ? 0.0 : h.getMean() * h.getTotalCount() * unit);
    }
}
