package dev.pulse.protocol.event;

/** The contract's naming rules for sources and metrics. */
public final class Names {
    /** Longest source name. */
    public static final int MAX_SOURCE_LENGTH = 128;
    /** Longest metric name. */
    public static final int MAX_METRIC_LENGTH = 64;
    /** Longest metric name of a labelled series (remote write, OTLP): {@code name{k="v",...}}. */
    public static final int MAX_LABELLED_METRIC_LENGTH = 256;

    private Names() {
    }

    /** 1–128 chars of {@code A-Z a-z 0-9 _ . : -}. */
    public static boolean isValidSource(char[] chars, int offset, int length) {
        if (length < 1 || length > MAX_SOURCE_LENGTH) {
            return false;
        }
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = chars[i];
            if (!isSourceChar(c)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidSource(String s) {
        return isValidSource(s.toCharArray(), 0, s.length());
    }

    /** 1–64 chars of {@code A-Z a-z 0-9 _}. */
    public static boolean isValidMetric(String name) {
        int length = name.length();
        if (length < 1 || length > MAX_METRIC_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!isWordChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A character of the source alphabet {@code A-Z a-z 0-9 _ . : -}. */
    public static boolean isSourceChar(char c) {
        return isWordChar(c) || c == '.' || c == ':' || c == '-';
    }

    /**
     * A metric name as {@code /metrics-data} takes it, or as labelled data maps it: a Prometheus name, then
     * optionally {@code {k="v",...}} with escaped values, 1–256 chars, no control characters. Checked when names
     * come back from Redis; the mapping builds only such names.
     */
    public static boolean isValidAnyMetric(String name) {
        if (isValidMetric(name)) {
            return true;
        }
        int length = name.length();
        if (length < 1 || length > MAX_LABELLED_METRIC_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
            if (c == '{') {
                return i > 0 && name.charAt(length - 1) == '}';
            }
            if (!isWordChar(c) && c != ':') {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
