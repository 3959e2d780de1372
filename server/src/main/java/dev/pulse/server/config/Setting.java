package dev.pulse.server.config;

/**
 * Every environment variable the server reads, with its default. This enum is the one source of truth:
 * {@link Config} reads it, the README's configuration table and the Kubernetes ConfigMap are checked
 * against it by tests.
 */
public enum Setting {
    SERVER_PORT("8080", "TCP port of the HTTP server"),
    EVENT_LOOP_THREADS("0", "event-loop threads; 0 means one per core"),
    REDIS_ADDR("localhost:6379", "host:port of Redis, or none to run without it"),
    REDIS_PASSWORD("", "Redis AUTH password (never logged or reported)"),
    REDIS_KEY_PREFIX("metrics:", "prefix of every Redis key, so deployments can share one Redis"),
    REDIS_QUEUE_CAPACITY("2000000", "metric values the write-behind queue holds, split evenly among the event loops; what happens when it is full: REDIS_QUEUE_FULL"),
    REDIS_QUEUE_FULL("drop", "when the queue is full: drop (the oldest queued values, counted) or reject (503, Retry-After)"),
    REDIS_FLUSH_MS("1000", "longest a value waits before a write round sends it to Redis (sooner when the values a round stores fill over half of it); longer rounds cost less CPU per value"),
    REDIS_HISTORY("1000", "values kept per series in Redis (at least: whole round entries are trimmed)"),
    WINDOW_SIZE("50", "values in each series' rolling window"),
    ZSCORE_THRESHOLD("2.0", "a value is an anomaly when |z| exceeds this"),
    MIN_SAMPLES("10", "values a window must hold before anything is flagged (at most WINDOW_SIZE)"),
    DETECTOR("zscore", "anomaly detector: zscore (the contract's rule), robust, pervalue or novelty"),
    WEEK_TIME_ZONE("UTC", "time zone whose Saturday and Sunday are the weekend of the weekly baseline of pervalue and novelty: UTC, an offset such as +08:00, or a region such as America/New_York"),
    MAX_BODY_BYTES("1048576", "largest request body; larger ones get 413"),
    MAX_HEADER_BYTES("8192", "largest request line plus headers; larger ones get 431"),
    MAX_SOURCES("10000", "distinct sources held; a request that would pass it gets 422"),
    MAX_METRICS_PER_SOURCE("32", "distinct metrics per source; a request that would pass it gets 422"),
    MAX_SERIES("auto", "series held across all sources; a request that would pass it gets 422; auto: 300000 with the zscore detector, 60000 with robust, 44000 with pervalue (what each costs: README)"),
    SERIES_TTL_MS("86400000", "a series that received no value for this long is forgotten, in memory and in Redis; 0: never"),
    SERIES_RULES_FILE("", "a JSON file of per-metric settings (detector, threshold, MIN_SAMPLES, window, or ignore); empty: none"),
    MAX_EXPORTED_SERIES("1000", "per-series gauges written by /metrics"),
    MAX_CONNECTIONS("10000", "open client connections; the excess is refused"),
    IDLE_TIMEOUT_MS("60000", "a connection idle this long is closed"),
    REQUEST_TIMEOUT_MS("10000", "a request must arrive whole within this after its first byte, else 408 and close"),
    ANALYZE_CACHE_TTL_MS("1000", "oldest fleet view /analyze?source=* may serve"),
    SHUTDOWN_TIMEOUT_MS("10000", "longest drain of requests and the Redis queue on SIGTERM"),
    ANOMALY_LOG_SIZE("10000", "anomalies kept for GET /anomalies, in memory and in the Redis stream replicas share"),
    ALERTMANAGER_URL("", "base URLs of Alertmanagers, comma separated; empty sends no alerts"),
    ALERT_RESEND_MS("30000", "a firing alert is sent again this often"),
    ALERT_RESOLVE_MS("300000", "an alert is resolved after this long without an anomaly of its series"),
    ALERT_QUEUE_CAPACITY("10000", "anomalies waiting for the alert sender; when full, new ones are dropped and counted"),
    PUBLIC_URL("", "this service's address in alert links (generatorURL); empty: http://<host name>:<SERVER_PORT>"),
    SOURCE_LABELS("instance,job", "remote write: labels whose value is a series' source, first present wins; left out of the metric name"),
    OTLP_SOURCE_ATTRIBUTES("service.instance.id,host.name,service.name", "OTLP: resource attributes whose value is the source, first present wins"),
    MAX_DECOMPRESSED_BYTES("33554432", "largest remote write or OTLP body once inflated (snappy's declared length, gzip's output); larger ones get 413"),
    AUTH_TOKEN("", "when set, every POST and DELETE needs Authorization: Bearer <token>, else 401 (never logged or reported)"),
    TLS_CERT_FILE("", "PEM certificate chain: with TLS_KEY_FILE, serve HTTPS instead of HTTP"),
    TLS_KEY_FILE("", "PEM private key (PKCS#8) of TLS_CERT_FILE");

    private final String defaultValue;
    private final String description;

    Setting(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
