package dev.pulse.protocol.event;

/**
 * The decoded events of one request, held in primitive arrays that are reused from request to request.
 *
 * <p>Event {@code e} has a timestamp ({@link Double#NaN} when absent), a source (a range of {@link #sourceChars()},
 * or the default source when its length is {@link #DEFAULT_SOURCE}) and the metrics
 * {@code [metricStart(e), metricStart(e) + metricCount(e))}: a name (the parser's canonical, usually interned
 * {@link String}) and a value each.
 *
 * <p>Not thread-safe: owned by the connection that decodes into it. Arrays grow to the largest request seen, which
 * the body-size limit bounds, and are never shrunk.
 */
public final class EventBatch {
    /** Source length meaning "no source given": the event belongs to {@code "default"}. */
    public static final int DEFAULT_SOURCE = -1;

    // All fields: owned by the decoding connection's event loop.
    private int events;
    private double[] timestamps = new double[16];
    private int[] sourceOffsets = new int[16];
    private int[] sourceLengths = new int[16];
    private int[] metricStarts = new int[17];

    private int metrics;
    private String[] metricNames = new String[64];
    private double[] metricValues = new double[64];

    private char[] sourceChars = new char[256];
    private int sourceCharsUsed;
    private int eventSourceCharsStart; // sourceCharsUsed when the event being built began

    public void clear() {
        events = 0;
        metrics = 0;
        sourceCharsUsed = 0;
    }

    /**
     * Releases arrays grown past {@code maxEvents} events, so a connection that once sent a huge batch does not
     * keep its memory. Call between requests.
     */
    public void trim(int maxEvents) {
        if (timestamps.length > maxEvents) {
            timestamps = new double[16];
            sourceOffsets = new int[16];
            sourceLengths = new int[16];
            metricStarts = new int[17];
        }
        if (metricNames.length > maxEvents * 4) {
            metricNames = new String[64];
            metricValues = new double[64];
        } else {
            java.util.Arrays.fill(metricNames, 0, metrics, null);
        }
        if (sourceChars.length > maxEvents * 16) {
            sourceChars = new char[256];
        }
        clear();
    }

    public int size() {
        return events;
    }

    public int metricTotal() {
        return metrics;
    }

    public double timestamp(int event) {
        return timestamps[event];
    }

    public int sourceOffset(int event) {
        return sourceOffsets[event];
    }

    public int sourceLength(int event) {
        return sourceLengths[event];
    }

    public char[] sourceChars() {
        return sourceChars;
    }

    /** The source of {@code event} as a new String: for replies and tests, not the hot path. */
    public String sourceName(int event) {
        int len = sourceLengths[event];
        return len == DEFAULT_SOURCE ? "default" : new String(sourceChars, sourceOffsets[event], len);
    }

    public int metricStart(int event) {
        return metricStarts[event];
    }

    public int metricCount(int event) {
        return metricStarts[event + 1] - metricStarts[event];
    }

    public String metricName(int metric) {
        return metricNames[metric];
    }

    public double metricValue(int metric) {
        return metricValues[metric];
    }

    // ---- building, used by the decoder ----

    void beginEvent() {
        if (events + 1 >= metricStarts.length) {
            int n = metricStarts.length * 2;
            timestamps = java.util.Arrays.copyOf(timestamps, n);
            sourceOffsets = java.util.Arrays.copyOf(sourceOffsets, n);
            sourceLengths = java.util.Arrays.copyOf(sourceLengths, n);
            metricStarts = java.util.Arrays.copyOf(metricStarts, n + 1);
        }
        eventSourceCharsStart = sourceCharsUsed;
        timestamps[events] = Double.NaN;
        sourceLengths[events] = DEFAULT_SOURCE;
        sourceOffsets[events] = 0;
        metricStarts[events] = metrics;
        metricStarts[events + 1] = metrics;
    }

    void setTimestamp(double epochSeconds) {
        timestamps[events] = epochSeconds;
    }

    void setSource(char[] chars, int offset, int length) {
        if (sourceCharsUsed + length > sourceChars.length) {
            sourceChars = java.util.Arrays.copyOf(sourceChars, Math.max(sourceChars.length * 2, sourceCharsUsed + length));
        }
        System.arraycopy(chars, offset, sourceChars, sourceCharsUsed, length);
        sourceOffsets[events] = sourceCharsUsed;
        sourceLengths[events] = length;
        sourceCharsUsed += length;
    }

    /**
     * The array the event's source may be written to, from {@link #sourceEnd()}, with room for {@code length} chars:
     * the scanner copies the name there as it checks it, then calls {@link #commitSource}.
     */
    char[] sourceRoom(int length) {
        if (sourceCharsUsed + length > sourceChars.length) {
            sourceChars = java.util.Arrays.copyOf(sourceChars, Math.max(sourceChars.length * 2, sourceCharsUsed + length));
        }
        return sourceChars;
    }

    int sourceEnd() {
        return sourceCharsUsed;
    }

    /** Makes the {@code length} chars written at {@link #sourceEnd()} the event's source. */
    void commitSource(int length) {
        sourceOffsets[events] = sourceCharsUsed;
        sourceLengths[events] = length;
        sourceCharsUsed += length;
    }

    /** Forgets what the event being built received, as if {@link #beginEvent} had just been called. */
    void rollbackEvent() {
        java.util.Arrays.fill(metricNames, metricStarts[events], metrics, null);
        metrics = metricStarts[events];
        metricStarts[events + 1] = metrics;
        sourceCharsUsed = eventSourceCharsStart;
        timestamps[events] = Double.NaN;
        sourceLengths[events] = DEFAULT_SOURCE;
        sourceOffsets[events] = 0;
    }

    void addMetric(String name, double value) {
        if (metrics == metricNames.length) {
            metricNames = java.util.Arrays.copyOf(metricNames, metrics * 2);
            metricValues = java.util.Arrays.copyOf(metricValues, metrics * 2);
        }
        metricNames[metrics] = name;
        metricValues[metrics] = value;
        metrics++;
    }

    /** True when the event being built already has a metric called {@code name}. */
    boolean hasMetric(String name) {
        for (int m = metricStarts[events]; m < metrics; m++) {
            String other = metricNames[m];
            if (other == name || other.equals(name)) {
                return true;
            }
        }
        return false;
    }

    int currentMetricCount() {
        return metrics - metricStarts[events];
    }

    void endEvent() {
        metricStarts[events + 1] = metrics; // the event's end, written once rather than at each metric
        events++;
    }
}
