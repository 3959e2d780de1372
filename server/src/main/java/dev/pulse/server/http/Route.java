package dev.pulse.server.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.Arrays;

/**
 * The contract's routes, one entry each: path, method, and whether the route changes state (a mutating route is
 * the one access control guards). Anything else is {@link #OTHER}. Also the {@code path} label of the HTTP
 * metrics. The handler of each entry is registered in the route table the wiring builds; see {@link Router}.
 */
public enum Route {
    INGEST("/metrics-data", HttpMethod.POST, true),
    REMOTE_WRITE("/api/v1/write", HttpMethod.POST, true),
    OTLP_METRICS("/v1/metrics", HttpMethod.POST, true),
    ANALYZE("/analyze", HttpMethod.GET, false),
    STATS("/stats", HttpMethod.GET, false),
    HEALTH("/health", HttpMethod.GET, false),
    METRICS("/metrics", HttpMethod.GET, false),
    ANOMALIES("/anomalies", HttpMethod.GET, false),
    PAGE("/", HttpMethod.GET, false),
    SERIES("/series", HttpMethod.DELETE, true),
    OTHER("other", null, false);

    private static final Route[] KNOWN = Arrays.stream(values()).filter(r -> r.method != null).toArray(Route[]::new);

    private final String path;
    private final HttpMethod method;
    private final boolean mutates;

    Route(String path, HttpMethod method, boolean mutates) {
        this.path = path;
        this.method = method;
        this.mutates = mutates;
    }

    public String path() {
        return path;
    }

    public HttpMethod method() {
        return method;
    }

    /** Whether a request on this route changes the server's state (writes or deletes). */
    public boolean mutates() {
        return mutates;
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
