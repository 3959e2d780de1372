package dev.pulse.server.alert;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The {@code summary} annotation of an alert: one sentence a person reads in a chat message or a pager, such as
 * "latency of web-3 is 412 ms, 6.2 standard deviations above its rolling average of 48 ms". Units are named only
 * where the metric's name says them; other values are plain numbers, rounded to three significant digits.
 */
final class Summary {
    private static final MathContext THREE_DIGITS = new MathContext(3);

    private Summary() {
    }

    static String sentence(String source, String metric, double value, double mean, double zscore) {
        String unit = unit(metric);
        StringBuilder b = new StringBuilder(96).append(metric).append(" of ").append(source).append(" is ");
        quantity(b, value, unit);
        if (Double.isNaN(zscore)) {
            b.append(", while every value in its rolling window was ");
            quantity(b, mean, unit);
            return b.toString();
        }
        String sigmas = String.format(Locale.ROOT, "%.1f", Math.abs(zscore));
        b.append(", ").append(sigmas).append(sigmas.equals("1.0") ? " standard deviation " : " standard deviations ")
                .append(zscore < 0 ? "below" : "above").append(" its rolling average of ");
        quantity(b, mean, unit);
        return b.toString();
    }

    /** The unit a metric's name implies, or null: the standard metrics, and the Prometheus base-unit suffixes. */
    static String unit(String metric) {
        switch (metric) {
            case "latency":
                return "ms";
            case "cpu":
                return "%";
            case "rps":
                return "requests/s";
            default:
                break;
        }
        int brace = metric.indexOf('{');
        String name = brace < 0 ? metric : metric.substring(0, brace);
        if (name.endsWith("_seconds")) {
            return "s";
        }
        if (name.endsWith("_milliseconds") || name.endsWith("_ms")) {
            return "ms";
        }
        if (name.endsWith("_bytes")) {
            return "bytes";
        }
        if (name.endsWith("_percent")) {
            return "%";
        }
        return null;
    }

    private static void quantity(StringBuilder b, double v, String unit) {
        b.append(number(v));
        if (unit != null) {
            b.append(unit.equals("%") ? "" : " ").append(unit);
        }
    }

    /** Three significant digits, without an exponent unless the number is very large or very small. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(THREE_DIGITS).stripTrailingZeros();
        double a = Math.abs(v);
        return a >= 1e9 || a < 1e-4 ? d.toString() : d.toPlainString();
    }
}
