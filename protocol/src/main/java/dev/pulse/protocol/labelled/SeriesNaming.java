package dev.pulse.protocol.labelled;

import dev.pulse.protocol.event.Names;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The contract's mapping of labelled data to a (source, metric) pair.
 *
 * <p>Source: the value of the first label named in {@code SOURCE_LABELS} that a remote-write series carries, or
 * of the first resource attribute named in {@code OTLP_SOURCE_ATTRIBUTES} of an OTLP point; else
 * {@code "default"}; characters outside the source alphabet become {@code _}. Metric: the name alone, or
 * {@code name{k1="v1",k2="v2"}} with the remaining labels sorted by name, values escaped as in the Prometheus
 * text format; source labels are left out. OTLP names and attribute keys have every character outside
 * {@code [A-Za-z0-9_:]} (the dots, mostly) turned into {@code _}; remote-write names and label names must already
 * be valid Prometheus names.
 *
 * <p>Builds Strings: the slow path, run once per new series; the server caches the result by the series' bytes.
 * Not thread-safe: one instance per event loop.
 */
public final class SeriesNaming {
    private static final byte[] NAME_LABEL = "__name__".getBytes(StandardCharsets.US_ASCII);

    private final byte[][] sourceLabels;
    private final byte[][] sourceAttributes;

    // All fields below: owned by the naming event loop; valid after name() returned true.
    private String source;
    private String metric;
    private final StringBuilder text = new StringBuilder(Names.MAX_LABELLED_METRIC_LENGTH + 16);

    public SeriesNaming(List<String> sourceLabels, List<String> sourceAttributes) {
        this.sourceLabels = utf8(sourceLabels);
        this.sourceAttributes = utf8(sourceAttributes);
    }

    public String source() {
        return source;
    }

    public String metric() {
        return metric;
    }

    /** Names series {@code s} of {@code b}; false when it cannot be named within the rules (a bad name). */
    public boolean name(LabelledBatch b, int s) {
        boolean otlp = b.otlp();
        int g = b.group(s);
        source = otlp
                ? pickSource(b, g == LabelledBatch.NO_GROUP ? 0 : b.groupLabelStart(g),
                        g == LabelledBatch.NO_GROUP ? 0 : b.groupLabelEnd(g), sourceAttributes)
                : pickSource(b, b.labelStart(s), b.labelEnd(s), sourceLabels);
        if (source == null) {
            return false;
        }
        StringBuilder t = text;
        t.setLength(0);
        if (!appendName(t, b.string(b.nameOffset(s), b.nameLength(s)), otlp, true)) {
            return false;
        }
        Integer[] order = remainingLabels(b, s, otlp);
        if (order.length > 0) {
            t.append('{');
            String previous = null;
            for (int i = 0; i < order.length; i++) {
                int l = order[i];
                int mark = t.length();
                if (i > 0) {
                    t.append(',');
                }
                int keyStart = t.length();
                if (!appendName(t, b.string(b.labelKeyOffset(l), b.labelKeyLength(l)), otlp, false)) {
                    return false;
                }
                String key = t.substring(keyStart);
                if (key.equals(previous)) {
                    t.setLength(mark); // an OTLP key that maps onto another one: the first (sorted) wins
                    continue;
                }
                previous = key;
                t.append("=\"");
                if (!appendEscaped(t, b.string(b.labelValueOffset(l), b.labelValueLength(l)))) {
                    return false;
                }
                t.append('"');
                if (t.length() > Names.MAX_LABELLED_METRIC_LENGTH) {
                    return false;
                }
            }
            t.append('}');
        }
        if (t.length() > Names.MAX_LABELLED_METRIC_LENGTH) {
            return false;
        }
        metric = t.toString();
        return true;
    }

    /** Labels that stay in the metric name, sorted by their (mapped) name. */
    private Integer[] remainingLabels(LabelledBatch b, int s, boolean otlp) {
        int from = b.labelStart(s);
        int to = b.labelEnd(s);
        Integer[] order = new Integer[to - from];
        int n = 0;
        for (int l = from; l < to; l++) {
            if (b.labelValueLength(l) == 0 || isNamed(b, l, NAME_LABEL) || (!otlp && inList(b, l, sourceLabels))) {
                continue;
            }
            order[n++] = l;
        }
        order = Arrays.copyOf(order, n);
        Arrays.sort(order, (x, y) -> mapped(b, x, otlp).compareTo(mapped(b, y, otlp)));
        return order;
    }

    private static String mapped(LabelledBatch b, int l, boolean otlp) {
        String key = b.string(b.labelKeyOffset(l), b.labelKeyLength(l));
        if (!otlp) {
            return key;
        }
        StringBuilder t = new StringBuilder(key.length());
        appendName(t, key, true, false);
        return t.toString();
    }

    private static String pickSource(LabelledBatch b, int from, int to, byte[][] names) {
        for (byte[] name : names) {
            for (int l = from; l < to; l++) {
                if (b.labelValueLength(l) > 0 && isNamed(b, l, name)) {
                    return sourceOf(b.string(b.labelValueOffset(l), b.labelValueLength(l)));
                }
            }
        }
        return "default";
    }

    /** Maps a label value onto the source alphabet; null when it is too long to be one. */
    private static String sourceOf(String value) {
        if (value.length() > Names.MAX_SOURCE_LENGTH) {
            return null;
        }
        char[] c = value.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (!Names.isSourceChar(c[i])) {
                c[i] = '_';
            }
        }
        return new String(c);
    }

    /**
     * Appends a metric or label name. OTLP names have characters outside Prometheus' alphabet replaced; a
     * remote-write name must already be valid ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}, no colon in label names).
     */
    private static boolean appendName(StringBuilder t, String name, boolean otlp, boolean metricName) {
        int n = name.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                    || (c >= '0' && c <= '9' && i > 0) || (c == ':' && metricName);
            if (!ok) {
                if (!otlp) {
                    return false;
                }
                c = '_';
            }
            t.append(c);
        }
        return true;
    }

    /** Escapes as the Prometheus text format does; false for other control characters, which no name may hold. */
    private static boolean appendEscaped(StringBuilder t, String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> t.append("\\\\");
                case '"' -> t.append("\\\"");
                case '\n' -> t.append("\\n");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        return false;
                    }
                    t.append(c);
                }
            }
            if (t.length() > Names.MAX_LABELLED_METRIC_LENGTH) {
                return false;
            }
        }
        return true;
    }

    private static boolean inList(LabelledBatch b, int l, byte[][] names) {
        for (byte[] name : names) {
            if (isNamed(b, l, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNamed(LabelledBatch b, int l, byte[] name) {
        int off = b.labelKeyOffset(l);
        return b.labelKeyLength(l) == name.length
                && Arrays.equals(b.bytes(), off, off + name.length, name, 0, name.length);
    }

    private static byte[][] utf8(List<String> names) {
        byte[][] out = new byte[names.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
