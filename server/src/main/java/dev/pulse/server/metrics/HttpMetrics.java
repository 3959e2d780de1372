package dev.pulse.server.metrics;

import dev.pulse.server.http.Route;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.atomic.LongAdder;

/**
 * {@code http_requests_total{method,path,status}} and {@code http_request_duration_seconds{method,path}}:
 * fixed arrays of {@link LongAdder} indexed by bounded label values, so recording allocates nothing and
 * label cardinality is fixed whatever clients send.
 *
 * <p>Thread-safe: event loops record concurrently, the exporter reads.
 */
public final class HttpMetrics {
    /** Method label values; any other method is counted as {@code OTHER}. */
    static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
    /** Status label values; any other status is counted as {@code other}. */
    static final int[] STATUSES = {200, 400, 404, 405, 408, 413, 414, 415, 422, 431, 500, 503};
    /** Upper bounds of the duration buckets, in seconds. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1.0, 2.5};
    /** The {@code le} label of each bucket, in plain decimal. */
    static final String[] BUCKET_LABELS = new String[BUCKETS.length];
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKET_NANOS[i] = Math.round(BUCKETS[i] * 1e9);
            BUCKET_LABELS[i] = java.math.BigDecimal.valueOf(BUCKETS[i]).stripTrailingZeros().toPlainString();
        }
    }

    private static final int ROUTES = Route.values().length;

    private final LongAdder[] requests = adders(METHODS.length * ROUTES * (STATUSES.length + 1));
    private final LongAdder[] buckets = adders(METHODS.length * ROUTES * (BUCKETS.length + 1));
    private final LongAdder[] durationNanos = adders(METHODS.length * ROUTES);
    private final LongAdder total = new LongAdder();

    public void record(HttpMethod method, Route route, int status, long nanos) {
        int m = methodIndex(method);
        int r = route.ordinal();
        requests[(m * ROUTES + r) * (STATUSES.length + 1) + statusIndex(status)].increment();
        int b = 0;
        while (b < BUCKET_NANOS.length && nanos > BUCKET_NANOS[b]) {
            b++;
        }
        buckets[(m * ROUTES + r) * (BUCKETS.length + 1) + b].increment();
        durationNanos[m * ROUTES + r].add(nanos);
        total.increment();
    }

    public long requestsTotal() {
        return total.sum();
    }

    long requests(int method, int route, int status) {
        return requests[(method * ROUTES + route) * (STATUSES.length + 1) + status].sum();
    }

    /** Observations in bucket {@code b} alone (not cumulative); {@code b == BUCKETS.length} is the overflow. */
    long bucket(int method, int route, int b) {
        return buckets[(method * ROUTES + route) * (BUCKETS.length + 1) + b].sum();
    }

    long durationNanos(int method, int route) {
        return durationNanos[method * ROUTES + route].sum();
    }

    /** The label value of status index {@code s}: the exact code, or the class of an unlisted one. */
    static String statusLabel(int s) {
        return s < STATUSES.length ? Integer.toString(STATUSES[s]) : "other";
    }

    private static int methodIndex(HttpMethod method) {
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

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
