package dev.pulse.server.analytics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;

/** The contract's analytics written the plain way: exact decimal arithmetic over a list, O(window) per value. */
final class ReferenceWindow {
    private static final MathContext MC = MathContext.DECIMAL128;
    private final int capacity;
    private final ArrayDeque<Double> values = new ArrayDeque<>();

    ReferenceWindow(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return values.size();
    }

    double mean() {
        return meanExact().doubleValue();
    }

    double stddev() {
        if (values.isEmpty() || constant()) {
            return 0;
        }
        BigDecimal m = meanExact();
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            BigDecimal d = new BigDecimal(v).subtract(m, MC);
            sum = sum.add(d.multiply(d, MC), MC);
        }
        return stddevExact(sum).doubleValue();
    }

    /** The root taken exactly: the variance of values near a double's limit is past the double's range. */
    private BigDecimal stddevExact(BigDecimal squares) {
        return squares.divide(BigDecimal.valueOf(values.size()), MC).sqrt(MC);
    }

    boolean constant() {
        return !values.isEmpty() && values.stream().distinct().count() == 1;
    }

    /** z of x against the window before it: 0 when empty, NaN when constant and x differs. */
    double zscore(double x) {
        if (values.isEmpty()) {
            return 0;
        }
        if (constant()) {
            return x == values.peekFirst() ? 0 : Double.NaN;
        }
        BigDecimal m = meanExact();
        return new BigDecimal(x).subtract(m, MC).divide(new BigDecimal(stddev()), MC).doubleValue();
    }

    void add(double x) {
        values.addLast(x);
        if (values.size() > capacity) {
            values.removeFirst();
        }
    }

    private BigDecimal meanExact() {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v), MC);
        }
        return values.isEmpty() ? BigDecimal.ZERO : sum.divide(BigDecimal.valueOf(values.size()), MC);
    }
}
