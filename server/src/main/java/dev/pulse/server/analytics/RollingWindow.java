package dev.pulse.server.analytics;

/**
 * The last {@code capacity} values of a series in a {@code double[]} ring, with their mean and population
 * standard deviation in O(1) per value.
 *
 * <p>Mean and the sum of squared deviations are updated with Welford's add/replace recurrences over values
 * shifted by a pivot near the mean, so large values with a small spread (bytes around 1e9 ± 1) lose nothing to
 * cancellation, as a running sum of squares would. Rounding drift is wiped by an exact two-pass recomputation
 * (which also re-centres the pivot) every {@code capacity} values, amortised O(1); a run of equal values is
 * tracked so that a constant window has exactly that mean and a stddev of exactly 0, as the contract needs.
 *
 * <p>A value past {@link #HUGE} in magnitude (any finite value is taken) would overflow those sums: while one is in
 * the window, its mean and stddev are computed afresh at each value, in units of a power of two near the largest
 * value held, O(capacity) per value; once the last such value leaves, the recurrences start again from an exact
 * recomputation. A stddev is at most the largest magnitude held, so both stay finite.
 *
 * <p>Not thread-safe: guarded by the owning {@link Source}'s lock.
 */
public final class RollingWindow {
    /** Past this magnitude (2^500, about 3e150) differences' squares could overflow the sums. */
    static final double HUGE = 0x1p500;

    private final double[] ring;
    private final double inverseCapacity; // 1 / capacity: a full window's mean moves by a product, not a quotient

    // All fields below: guarded by the owning Source's lock.
    private int head;          // index the next value is written to
    private int size;          // values held, at most ring.length
    private double pivot;      // values are accumulated as (x - pivot)
    private double meanY;      // mean of (x - pivot) over the values held
    private double m2;         // sum of squared deviations from the mean
    private int sinceExact;    // values added since the last exact recomputation
    private int equalRun;      // how many of the latest values equal the latest one
    private double latest;     // the latest value
    private int hugeFor;       // adds until the last value past HUGE leaves (its slot is rewritten capacity adds on)
    private double hugeLimit = HUGE; // HUGE while hugeFor is 0, else -1: add's one comparison tests both
    private double hugeMean;   // while hugeFor is above 0: the statistics
    private double hugeStddev;

    public RollingWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        ring = new double[capacity];
        inverseCapacity = 1.0 / capacity;
    }

    public int size() {
        return size;
    }

    public double mean() {
        return hugeFor == 0 ? pivot + meanY : hugeMean;
    }

    /** Population standard deviation of the values held (0 when empty). */
    public double stddev() {
        if (hugeFor != 0) {
            return hugeStddev;
        }
        int n = size;
        return n == ring.length ? Math.sqrt(m2 * inverseCapacity) : n == 0 ? 0.0 : Math.sqrt(m2 / n);
    }

    /** True when the window holds at least one value and all of them are equal. */
    public boolean isConstant() {
        return size > 0 && equalRun >= size;
    }

    /**
     * The contract's z-score of {@code x} against the values held: 0 for an empty window, 0 for x equal to the
     * mean of a constant window, NaN (reported as null) for any other x against a constant window.
     */
    public double zscore(double x) {
        return zscore(x, stddev());
    }

    /** {@link #zscore(double)} given {@code sd}, the {@link #stddev()} the caller already has. */
    public double zscore(double x, double sd) {
        if (size == 0) {
            return 0.0;
        }
        if (isConstant()) {
            return x == pivot ? 0.0 : Double.NaN;
        }
        if (hugeFor != 0) { // halves, so that the difference cannot overflow
            return sd == 0.0 ? Double.NaN : (0.5 * x - 0.5 * hugeMean) / (0.5 * sd);
        }
        double d = (x - pivot) - meanY;
        return sd == 0.0 ? (d == 0.0 ? 0.0 : Double.NaN) : d / sd;
    }

    /** Lets {@code x} into the window, evicting the oldest value when full. */
    public void add(double x) {
        double[] r = ring;
        int cap = r.length;
        equalRun = size > 0 && x == latest ? Math.min(equalRun + 1, cap) : 1;
        latest = x;
        if (Math.abs(x) > hugeLimit) { // HUGE, or -1 while a huge value is held: one comparison either way
            addPastHuge(x);
            return;
        }
        if (size == 0) {
            pivot = x;
        }
        double y = x - pivot;
        if (size < cap) {
            size++;
            double delta = y - meanY;
            meanY += delta / size;
            m2 += delta * (y - meanY);
        } else {
            double yOld = r[head] - pivot;
            double oldMean = meanY;
            meanY = oldMean + (y - yOld) * inverseCapacity;
            m2 += (y - yOld) * (y - meanY + yOld - oldMean);
        }
        r[head] = x;
        head = head + 1 == cap ? 0 : head + 1;
        if (equalRun >= size) {
            constant(x);
        } else if (++sinceExact >= cap || m2 < 0) {
            recompute();
        }
    }

    /** Every value held is {@code x}: exactly that mean and no spread. */
    private void constant(double x) {
        pivot = x;
        meanY = 0.0;
        m2 = 0.0;
        sinceExact = 0;
    }

    /** {@link #add} while a value past {@link #HUGE} is held, or as the last one leaves. */
    private void addPastHuge(double x) {
        double[] r = ring;
        hugeFor = Math.abs(x) > HUGE ? r.length : hugeFor - 1;
        hugeLimit = hugeFor == 0 ? HUGE : -1.0;
        size = Math.min(size + 1, r.length);
        r[head] = x;
        head = head + 1 == r.length ? 0 : head + 1;
        if (equalRun >= size) {
            constant(x);
            hugeMean = x;
            hugeStddev = 0.0;
        } else if (hugeFor != 0) {
            scaledStatistics();
        } else { // the last huge value left: the recurrences start again from the values held
            pivot = x;
            recompute();
        }
    }

    /** Mean and stddev of the values held, summed in units of a power of two near the largest. */
    private void scaledStatistics() {
        double[] r = ring;
        int n = size;
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(r[i]));
        }
        int exponent = Math.getExponent(max);
        double down = Math.scalb(1.0, -exponent);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += r[i] * down;
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = r[i] * down - mean;
            squares += d * d;
        }
        hugeMean = Math.scalb(mean, exponent);
        hugeStddev = Math.scalb(Math.sqrt(squares / n), exponent);
    }

    /** Copies the values held, oldest first, into {@code dst}; returns how many. */
    public int copyTo(double[] dst) {
        int cap = ring.length;
        int start = size < cap ? 0 : head;
        for (int i = 0; i < size; i++) {
            int j = start + i;
            dst[i] = ring[j >= cap ? j - cap : j];
        }
        return size;
    }

    /** Exact two-pass mean and squared deviations around a re-centred pivot. */
    private void recompute() {
        double[] r = ring;
        int n = size;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += r[i] - pivot;
        }
        pivot += sum / n;
        double correction = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double d = r[i] - pivot;
            correction += d;
            squares += d * d;
        }
        meanY = correction / n;
        m2 = Math.max(0.0, squares - correction * correction / n);
        sinceExact = 0;
    }
}
