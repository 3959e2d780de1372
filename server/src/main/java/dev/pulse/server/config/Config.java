package dev.pulse.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The validated configuration, read once at start-up from the environment. Immutable. */
public record Config(
        int port,
        int eventLoopThreads,
        String redisHost,
        int redisPort,
        String redisPassword,
        String redisKeyPrefix,
        int redisQueueCapacity,
        QueueFullPolicy redisQueueFull,
        long redisFlushMs,
        int redisHistory,
        int windowSize,
        double zscoreThreshold,
        int minSamples,
        DetectorKind detector,
        ZoneId weekTimeZone,
        int maxBodyBytes,
        int maxHeaderBytes,
        int maxSources,
        int maxMetricsPerSource,
        int maxExportedSeries,
        int maxConnections,
        long idleTimeoutMs,
        long requestTimeoutMs,
        long analyzeCacheTtlMs,
        long shutdownTimeoutMs,
        int anomalyLogSize,
        List<String> alertmanagerUrls,
        long alertResendMs,
        long alertResolveMs,
        int alertQueueCapacity,
        String publicUrl,
        int maxSeries,
        long seriesTtlMs,
        String seriesRulesFile,
        Labelled labelled,
        Access access) {

    /**
     * Remote write and OTLP: which labels name the source, and how far a compressed body may inflate.
     *
     * @param sourceLabels         remote-write labels whose value is the source, first present wins
     * @param sourceAttributes     OTLP resource attributes whose value is the source, first present wins
     * @param maxDecompressedBytes largest inflated body (snappy's declared length, gzip's output)
     */
    public record Labelled(java.util.List<String> sourceLabels, java.util.List<String> sourceAttributes,
                           int maxDecompressedBytes) {
    }

    /**
     * Who may write, and over what.
     *
     * @param authToken   bearer token every POST and DELETE needs; empty when access is open. Never logged.
     * @param tlsCertFile PEM certificate chain; empty for plain HTTP
     * @param tlsKeyFile  PEM private key (PKCS#8); empty for plain HTTP
     */
    public record Access(String authToken, String tlsCertFile, String tlsKeyFile) {
        public boolean tls() {
            return !tlsCertFile.isEmpty();
        }

        @Override
        public String toString() {
            return "Access[authToken=" + (authToken.isEmpty() ? "" : "<set>") + ", tlsCertFile=" + tlsCertFile
                    + ", tlsKeyFile=" + tlsKeyFile + "]";
        }
    }

    /** The event loops the server runs: {@code EVENT_LOOP_THREADS}, or one per processor when it is 0. */
    public int eventLoops() {
        return eventLoopThreads > 0 ? eventLoopThreads : Runtime.getRuntime().availableProcessors();
    }

    /** True when REDIS_ADDR is {@code none}: no write-behind, no warm restart. */
    public boolean redisDisabled() {
        return redisHost == null;
    }

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config defaults() {
        return from(Map.of());
    }

    /** Reads every {@link Setting} from {@code env}, falling back to its default; throws {@link ConfigException}. */
    public static Config from(Map<String, String> env) {
        Reader r = new Reader(env);
        int windowSize = r.integer(Setting.WINDOW_SIZE, 2, 100_000);
        int minSamples = r.integer(Setting.MIN_SAMPLES, 1, 100_000);
        if (minSamples > windowSize) {
            throw new ConfigException(Setting.MIN_SAMPLES, String.valueOf(minSamples),
                    "must not exceed WINDOW_SIZE (" + windowSize + ")");
        }
        DetectorKind detector = r.choice(Setting.DETECTOR, DetectorKind.class);
        String addr = r.raw(Setting.REDIS_ADDR).trim();
        String redisHost = null;
        int redisPort = 0;
        if (!addr.equalsIgnoreCase("none")) {
            int colon = addr.lastIndexOf(':');
            if (colon <= 0 || colon == addr.length() - 1) {
                throw new ConfigException(Setting.REDIS_ADDR, addr, "expected host:port or none");
            }
            redisHost = addr.substring(0, colon);
            redisPort = parse(Setting.REDIS_ADDR, addr, addr.substring(colon + 1), Integer::parseInt, 1, 65535);
        }
        String prefix = r.raw(Setting.REDIS_KEY_PREFIX);
        if (prefix.length() > 64 || prefix.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(Setting.REDIS_KEY_PREFIX, prefix, "must be at most 64 printable characters");
        }
        return new Config(
                r.integer(Setting.SERVER_PORT, 0, 65535),
                r.integer(Setting.EVENT_LOOP_THREADS, 0, 256),
                redisHost,
                redisPort,
                r.raw(Setting.REDIS_PASSWORD),
                prefix,
                r.integer(Setting.REDIS_QUEUE_CAPACITY, 1, 100_000_000),
                r.choice(Setting.REDIS_QUEUE_FULL, QueueFullPolicy.class),
                r.longValue(Setting.REDIS_FLUSH_MS, 0, 60_000),
                r.integer(Setting.REDIS_HISTORY, 1, 1_000_000),
                windowSize,
                r.decimal(Setting.ZSCORE_THRESHOLD, 0.0, 1000.0),
                minSamples,
                detector,
                r.zone(Setting.WEEK_TIME_ZONE),
                r.integer(Setting.MAX_BODY_BYTES, 64, 1 << 30),
                r.integer(Setting.MAX_HEADER_BYTES, 256, 1 << 20),
                r.integer(Setting.MAX_SOURCES, 1, 10_000_000),
                r.integer(Setting.MAX_METRICS_PER_SOURCE, 1, 1024),
                r.integer(Setting.MAX_EXPORTED_SERIES, 0, 1_000_000),
                r.integer(Setting.MAX_CONNECTIONS, 1, 1_000_000),
                r.longValue(Setting.IDLE_TIMEOUT_MS, 100, 86_400_000),
                r.longValue(Setting.REQUEST_TIMEOUT_MS, 100, 3_600_000),
                r.longValue(Setting.ANALYZE_CACHE_TTL_MS, 0, 86_400_000),
                r.longValue(Setting.SHUTDOWN_TIMEOUT_MS, 0, 3_600_000),
                r.integer(Setting.ANOMALY_LOG_SIZE, 1, 10_000_000),
                r.urls(Setting.ALERTMANAGER_URL),
                r.longValue(Setting.ALERT_RESEND_MS, 100, 86_400_000),
                r.longValue(Setting.ALERT_RESOLVE_MS, 100, 604_800_000),
                r.integer(Setting.ALERT_QUEUE_CAPACITY, 1, 10_000_000),
                r.url(Setting.PUBLIC_URL),
                maxSeries(r, detector),
                r.longValue(Setting.SERIES_TTL_MS, 0, 365L * 86_400_000),
                r.raw(Setting.SERIES_RULES_FILE).trim(),
                new Labelled(r.names(Setting.SOURCE_LABELS), r.names(Setting.OTLP_SOURCE_ATTRIBUTES),
                        r.integer(Setting.MAX_DECOMPRESSED_BYTES, 1024, 1 << 30)),
                access(r));
    }

    /** {@code MAX_SERIES}, where {@code auto} is what the detector's memory per series allows (README). */
    private static int maxSeries(Reader r, DetectorKind detector) {
        if (r.raw(Setting.MAX_SERIES).trim().equalsIgnoreCase("auto")) {
            return defaultMaxSeries(detector);
        }
        return r.integer(Setting.MAX_SERIES, 1, 100_000_000);
    }

    /**
     * The default bound on all series: what fits in about a third of the container's heap (768 MiB of its 1 GiB)
     * at the measured memory per series of each detector (README, "Memory per series").
     */
    public static int defaultMaxSeries(DetectorKind detector) {
        return switch (detector) {
            case ZSCORE -> 300_000;  // about 700 bytes each: 200 MiB
            case ROBUST -> 60_000;   // about 3,500 bytes each: 200 MiB
            case PERVALUE -> 44_000; // about 4,600 bytes each: 193 MiB
            case NOVELTY -> 40_000;  // about 5,300 bytes each: 202 MiB
        };
    }

    private static Access access(Reader r) {
        String token = r.raw(Setting.AUTH_TOKEN);
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(Setting.AUTH_TOKEN, "<hidden>", "must be printable ASCII without spaces");
        }
        String cert = r.raw(Setting.TLS_CERT_FILE).trim();
        String key = r.raw(Setting.TLS_KEY_FILE).trim();
        if (cert.isEmpty() != key.isEmpty()) {
            Setting missing = cert.isEmpty() ? Setting.TLS_CERT_FILE : Setting.TLS_KEY_FILE;
            throw new ConfigException(missing, "", "must be set together with "
                    + (cert.isEmpty() ? Setting.TLS_KEY_FILE : Setting.TLS_CERT_FILE));
        }
        for (String file : new String[]{cert, key}) {
            if (!file.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
                throw new ConfigException(file == cert ? Setting.TLS_CERT_FILE : Setting.TLS_KEY_FILE, file,
                        "is not a readable file");
            }
        }
        return new Access(token, cert, key);
    }

    private static <T extends Comparable<T>> T parse(Setting s, String shown, String text, Function<String, T> parser,
                                                     T min, T max) {
        T value;
        try {
            value = parser.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(s, shown, "not a number");
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new ConfigException(s, shown, "not a finite number");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(s, shown, "out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    private record Reader(Map<String, String> env) {
        String raw(Setting s) {
            String v = env.get(s.name());
            return v == null ? s.defaultValue() : v;
        }

        int integer(Setting s, int min, int max) {
            String v = raw(s);
            return parse(s, v, v, Integer::parseInt, min, max);
        }

        long longValue(Setting s, long min, long max) {
            String v = raw(s);
            return parse(s, v, v, Long::parseLong, min, max);
        }

        /** A comma-separated list of label names, at least one, none empty. */
        java.util.List<String> names(Setting s) {
            String v = raw(s);
            java.util.List<String> names = Arrays.stream(v.split(",", -1)).map(String::trim).toList();
            if (names.stream().anyMatch(n -> n.isEmpty() || n.length() > 128)) {
                throw new ConfigException(s, v, "expected names separated by commas");
            }
            return names;
        }

        double decimal(Setting s, double min, double max) {
            String v = raw(s);
            return parse(s, v, v, Double::parseDouble, min, max);
        }

        /** Comma-separated http(s) base URLs, each without a trailing slash; empty for none. */
        List<String> urls(Setting s) {
            List<String> out = new ArrayList<>();
            for (String part : raw(s).split(",")) {
                if (!part.isBlank()) {
                    out.add(checkedUrl(s, part.trim()));
                }
            }
            return List.copyOf(out);
        }

        /** One http(s) base URL without a trailing slash, or empty. */
        String url(Setting s) {
            String v = raw(s).trim();
            return v.isEmpty() ? "" : checkedUrl(s, v);
        }

        private static String checkedUrl(Setting s, String v) {
            try {
                URI u = new URI(v);
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                        && u.getQuery() == null && u.getFragment() == null) {
                    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new ConfigException(s, v, "expected an http:// or https:// URL with a host and no query");
        }

        /** A time zone: UTC, an offset such as +08:00, or a region such as Europe/Paris. */
        ZoneId zone(Setting s) {
            String v = raw(s).trim();
            try {
                return ZoneId.of(v);
            } catch (DateTimeException e) {
                throw new ConfigException(s, v, "expected a time zone: UTC, an offset such as +08:00, or a region"
                        + " such as America/New_York");
            }
        }

        /** One of {@code type}'s constants, named in lower case. */
        <E extends Enum<E>> E choice(Setting s, Class<E> type) {
            String v = raw(s);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v.trim())) {
                    return e;
                }
            }
            throw new ConfigException(s, v, "expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
