package dev.pulse.protocol.event;

/** The contract's naming rules for sources and metrics. */
public final class Names {
    /** Longest source name. */
    public static final int MAX_SOURCE_LENGTH = 128;
    /** Longest metric name. */
    public static final int MAX_METRIC_LENGTH = 64;

    private Names() {
    }

    /** 1–128 chars of {@code A-Z a-z 0-9 _ . : -}. */
    public static boolean isValidSource(char[] chars, int offset, int length) {
        if (length < 1 || length > MAX_SOURCE_LENGTH) {
            return false;
        }
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = chars[i];
            if (!isWordChar(c) && c != '.' && c != ':' && c != '-') {
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

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
