package dev.pulse.server.http;

import io.netty.handler.codec.http.HttpMethod;

/** The contract's routes; anything else is {@link #OTHER}. Also the {@code path} label of the HTTP metrics. */
public enum Route {
    INGEST("/metrics-data", HttpMethod.POST),
    ANALYZE("/analyze", HttpMethod.GET),
    STATS("/stats", HttpMethod.GET),
    HEALTH("/health", HttpMethod.GET),
    METRICS("/metrics", HttpMethod.GET),
    OTHER("other", null);

    private static final Route[] KNOWN = {INGEST, ANALYZE, STATS, HEALTH, METRICS};

    private final String path;
    private final HttpMethod method;

    Route(String path, HttpMethod method) {
        this.path = path;
        this.method = method;
    }

    public String path() {
        return path;
    }

    public HttpMethod method() {
        return method;
    }

    /** The route of a request URI (its path, before any query), without allocating. */
    public static Route of(String uri) {
        int end = uri.indexOf('?');
        if (end < 0) {
            end = uri.length();
        }
        for (Route r : KNOWN) {
            String p = r.path;
            if (end == p.length() && uri.startsWith(p)) {
                return r;
            }
        }
        return OTHER;
    }
}
