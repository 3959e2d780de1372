package dev.pulse.server.http;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.metrics.Histograms;
import dev.pulse.server.metrics.MetricFamilies;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the HTTP layer counts: {@code http_requests_total{method,path,status}},
 * {@code http_request_duration_seconds{method,path}}, open connections, requests in flight, and the recent latency
 * window of {@code /stats}. Fixed arrays of {@link LongAdder} indexed by bounded label values, so recording
 * allocates nothing and label cardinality is fixed whatever clients send.
 *
 * <p>Thread-safe: event loops record concurrently, the exporter and {@code /stats} read.
 */
public final class HttpMetrics implements MetricFamilies {
    /** Method label values; any other method is counted as {@code OTHER}. */
    static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
    /** Status label values; any other status is counted as {@code other}. */
    static final int[] STATUSES = {200, 204, 400, 401, 404, 405, 408, 413, 414, 415, 417, 422, 431, 500, 503};
    /** Upper bounds of the duration buckets, in seconds. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0, 2.5};
    /** The {@code le} label of each bucket. */
    private static final String[] BUCKET_LABELS = new String[BUCKETS.length];
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKET_NANOS[i] = Math.round(BUCKETS[i] * 1e9);
            BUCKET_LABELS[i] = Histograms.le(BUCKETS[i]);
        }
    }

    private static final int ROUTES = Route.values().length;

    private final LongAdder[] requests = MetricFamilies.adders(METHODS.length * ROUTES * (STATUSES.length + 1));
    private final LongAdder[] buckets = MetricFamilies.adders(METHODS.length * ROUTES * (BUCKETS.length + 1));
    private final LongAdder[] durationNanos = MetricFamilies.adders(METHODS.length * ROUTES);
    private final LongAdder total = new LongAdder();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder inFlight = new LongAdder(); // changed twice a request by both loops: striped, not one line
    private final LatencyWindow latency = new LatencyWindow();

    /** One answered request: counted by method, route and status, its duration in the histogram and the window. */
    void record(int method, Route route, int status, long nanos) {
        int r = route.ordinal();
        requests[(method * ROUTES + r) * (STATUSES.length + 1) + statusIndex(status)].increment();
        int b = 0;
        while (b < BUCKET_NANOS.length && nanos > BUCKET_NANOS[b]) {
            b++;
        }
        buckets[(method * ROUTES + r) * (BUCKETS.length + 1) + b].increment();
        durationNanos[method * ROUTES + r].add(nanos);
        total.increment();
        latency.record(nanos);
    }

    /** A reply written before any request head was read (a refused connection, a head that never arrived). */
    void refused(int status) {
        record(METHODS.length - 1, Route.OTHER, status, 0);
    }

    int connectionOpened() {
        return connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void requestStarted() {
        inFlight.increment();
    }

    void requestEnded() {
        inFlight.decrement();
    }

    public long requestsTotal() {
        return total.sum();
    }

    public int activeConnections() {
        return connections.get();
    }

    /** Requests received and not yet answered, across all connections. */
    public int inFlight() {
        return (int) inFlight.sum();
    }

    public LatencyWindow latency() {
        return latency;
    }

    @Override
    public void writeTo(PrometheusTextWriter out) {
        Route[] routes = Route.values();
        out.family("http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
        for (int m = 0; m < METHODS.length; m++) {
            for (Route r : routes) {
                for (int s = 0; s <= STATUSES.length; s++) {
                    long n = requests[(m * ROUTES + r.ordinal()) * (STATUSES.length + 1) + s].sum();
                    if (n > 0) {
                        out.sample("http_requests_total").label(true, "method", METHODS[m])
                                .label(false, "path", r.path()).label(false, "status", statusLabel(s))
                                .value(true, n);
                    }
                }
            }
        }
        out.family("http_request_duration_seconds", "histogram",
                "Time from a request's first decoded byte to its reply being written.");
        for (int m = 0; m < METHODS.length; m++) {
            for (Route r : routes) {
                int base = (m * ROUTES + r.ordinal()) * (BUCKETS.length + 1);
                long count = 0;
                for (int b = 0; b <= BUCKETS.length; b++) {
                    count += buckets[base + b].sum();
                }
                if (count == 0) {
                    continue;
                }
                long cumulative = 0;
                for (int b = 0; b <= BUCKETS.length; b++) {
                    cumulative += buckets[base + b].sum();
                    out.sample("http_request_duration_seconds_bucket").label(true, "method", METHODS[m])
                            .label(false, "path", r.path())
                            .label(false, "le", b < BUCKETS.length ? BUCKET_LABELS[b] : "+Inf")
                            .value(true, cumulative);
                }
                out.sample("http_request_duration_seconds_count").label(true, "method", METHODS[m])
                        .label(false, "path", r.path()).value(true, cumulative);
                out.sample("http_request_duration_seconds_sum").label(true, "method", METHODS[m])
                        .label(false, "path", r.path())
                        .value(true, durationNanos[m * ROUTES + r.ordinal()].sum() / 1e9);
            }
        }
        out.single("active_connections", "gauge", "Open client connections.", activeConnections());
    }

    /** The label value of status index {@code s}: the exact code, or "other" for an unlisted one. */
    private static String statusLabel(int s) {
        return s < STATUSES.length ? Integer.toString(STATUSES[s]) : "other";
    }

    static int methodIndex(HttpMethod method) {
        for (int i = 0; i < METHODS.length - 1; i++) {
            if (method.name().equals(METHODS[i])) {
                return i;
            }
        }
        return METHODS.length - 1;
    }

    private static int statusIndex(int status) {
        for (int i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i] == status) {
                return i;
            }
        }
        return STATUSES.length;
    }
}
