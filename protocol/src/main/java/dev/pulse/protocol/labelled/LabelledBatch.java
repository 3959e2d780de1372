package dev.pulse.protocol.labelled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The decoded samples of one remote-write or OTLP request, in primitive arrays reused from request to request.
 *
 * <p>Series {@code s} has a metric name and labels (ranges of UTF-8 bytes in {@link #bytes()}), a kind
 * ({@link #VALUE}, {@link #CUMULATIVE} or {@link #DELTA}), an optional group (an OTLP resource, whose attributes
 * choose the source; {@link #NO_GROUP} for remote write, where the series' own labels do) and samples
 * {@code [sampleStart(s), sampleEnd(s))}, each a timestamp in epoch milliseconds and a finite value. Samples the
 * decoder already refused (NaN, stale markers, unsupported types, series over a label limit) are only counted, in
 * {@link #skipped(Skip)}.
 *
 * <p>{@link #keyHash} and {@link #keyEquals} identify a series by its bytes without building a String, so the
 * server finds a known series without allocating; {@link #key} makes the stored copy on first sight.
 *
 * <p>Not thread-safe: owned by the event loop that decodes into it. Arrays grow to the largest request seen (the
 * decompressed-size limit bounds that) until {@link #trim} releases them.
 */
public final class LabelledBatch {
    /** Judged by its value. */
    public static final byte VALUE = 0;
    /** A cumulative counter: judged by its per-second increase, which the server computes. */
    public static final byte CUMULATIVE = 1;
    /** A delta sum already divided by its interval by the decoder: judged as a rate, by its value. */
    public static final byte DELTA = 2;
    /** Group of a series whose own labels choose its source. */
    public static final int NO_GROUP = -1;
    /** Most labels one series (or one resource) may carry; beyond it the series is skipped as a bad name. */
    public static final int MAX_LABELS = 64;
    /** Longest label name, value or metric name in bytes; a longer one could never fit the 256-char metric name. */
    public static final int MAX_STRING_BYTES = 1024;


    // All fields: owned by the decoding event loop.
    private byte[] bytes = new byte[8192];
    private int used;

    private int labels;
    private int[] keyOff = new int[256];
    private int[] keyLen = new int[256];
    private int[] valOff = new int[256];
    private int[] valLen = new int[256];

    private int groups;
    private int[] groupLabelStart = new int[8];
    private int[] groupLabelEnd = new int[8];

    private int series;
    private int[] seriesGroup = new int[64];
    private int[] nameOff = new int[64];
    private int[] nameLen = new int[64];
    private int[] labelStart = new int[64];
    private int[] labelEnd = new int[64];
    private int[] sampleStart = new int[64];
    private int[] sampleEnd = new int[64];
    private byte[] kinds = new byte[64];
    private int[] rawStart = new int[64]; // the series' labels as they came on the wire, or -1
    private int[] rawEnd = new int[64];

    private int samples;
    private long[] times = new long[256];
    private double[] values = new double[256];

    private final int[] skipped = new int[Skip.values().length];
    private boolean otlp;

    public void clear(boolean otlpNames) {
        used = 0;
        labels = 0;
        groups = 0;
        series = 0;
        samples = 0;
        Arrays.fill(skipped, 0);
        otlp = otlpNames;
    }

    /** Releases arrays grown past {@code maxSamples} samples, so one huge request does not keep its memory. */
    public void trim(int maxSamples) {
        if (times.length > maxSamples) {
            times = new long[256];
            values = new double[256];
        }
        if (seriesGroup.length > maxSamples) {
            seriesGroup = new int[64];
            nameOff = new int[64];
            nameLen = new int[64];
            labelStart = new int[64];
            labelEnd = new int[64];
            sampleStart = new int[64];
            sampleEnd = new int[64];
            kinds = new byte[64];
            rawStart = new int[64];
            rawEnd = new int[64];
        }
        if (keyOff.length > maxSamples * 4) {
            keyOff = new int[256];
            keyLen = new int[256];
            valOff = new int[256];
            valLen = new int[256];
        }
        if (bytes.length > maxSamples * 64) {
            bytes = new byte[8192];
        }
        clear(otlp);
    }

    // ---- reading ----

    /** True for OTLP data: names and attribute keys are mapped to Prometheus' alphabet. */
    public boolean otlp() {
        return otlp;
    }

    public byte[] bytes() {
        return bytes;
    }

    public int seriesCount() {
        return series;
    }

    public int sampleCount() {
        return samples;
    }

    public int group(int s) {
        return seriesGroup[s];
    }

    public int nameOffset(int s) {
        return nameOff[s];
    }

    /** Bytes of the metric name; 0 when the series has none. */
    public int nameLength(int s) {
        return nameLen[s];
    }

    public byte kind(int s) {
        return kinds[s];
    }

    public int labelStart(int s) {
        if (labelStart[s] == UNREAD) {
            readWireLabels(s);
        }
        return labelStart[s];
    }

    public int labelEnd(int s) {
        if (labelStart[s] == UNREAD) {
            readWireLabels(s);
        }
        return labelEnd[s];
    }

    public int groupLabelStart(int g) {
        return groupLabelStart[g];
    }

    public int groupLabelEnd(int g) {
        return groupLabelEnd[g];
    }

    public int labelKeyOffset(int l) {
        return keyOff[l];
    }

    public int labelKeyLength(int l) {
        return keyLen[l];
    }

    public int labelValueOffset(int l) {
        return valOff[l];
    }

    public int labelValueLength(int l) {
        return valLen[l];
    }

    public int sampleStart(int s) {
        return sampleStart[s];
    }

    public int sampleEnd(int s) {
        return sampleEnd[s];
    }

    /** Epoch milliseconds of sample {@code i}. */
    public long time(int i) {
        return times[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** Samples the decoder refused for {@code reason}. */
    public int skipped(Skip reason) {
        return skipped[reason.ordinal()];
    }

    /** Samples the decoder refused, all reasons. */
    public int skippedTotal() {
        int n = 0;
        for (int c : skipped) {
            n += c;
        }
        return n;
    }

    /** A string of the arena as Java text: for the slow path and tests. */
    public String string(int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    // ---- identity of a series, without building its name ----

    /** A hash of everything that names series {@code s}: its kind, group labels, name and labels. */
    public int keyHash(int s) {
        if (rawStart[s] >= 0) {
            return hashRaw(bytes, rawStart[s], rawEnd[s] - rawStart[s]) ^ kinds[s];
        }
        int h = 0x9E3779B9 ^ kinds[s];
        int g = seriesGroup[s];
        if (g != NO_GROUP) {
            h = hashLabels(h, groupLabelStart[g], groupLabelEnd[g]);
        }
        h = hashRange(h, nameOff[s], nameLen[s]);
        h = hashLabels(h, labelStart[s], labelEnd[s]);
        return h ^ (h >>> 15);
    }

    /** A stored copy of series {@code s}'s identity, for {@link #keyEquals}. Allocates: the slow path. */
    public byte[] key(int s) {
        if (rawStart[s] >= 0) {
            int n = rawEnd[s] - rawStart[s];
            byte[] k = new byte[2 + n];
            k[0] = kinds[s];
            k[1] = RAW_KEY;
            System.arraycopy(bytes, rawStart[s], k, 2, n);
            return k;
        }
        int size = 1 + keySize(s);
        byte[] k = new byte[size];
        k[0] = kinds[s];
        int p = 1;
        int g = seriesGroup[s];
        p = putCount(k, p, g == NO_GROUP ? 0 : groupLabelEnd[g] - groupLabelStart[g]);
        if (g != NO_GROUP) {
            p = putLabels(k, p, groupLabelStart[g], groupLabelEnd[g]);
        }
        p = putString(k, p, nameOff[s], nameLen[s]);
        p = putCount(k, p, labelEnd[s] - labelStart[s]);
        putLabels(k, p, labelStart[s], labelEnd[s]);
        return k;
    }

    /** True when {@code key} (from {@link #key}) names series {@code s}. Allocation-free. */
    public boolean keyEquals(int s, byte[] key) {
        if (rawStart[s] >= 0) {
            int from = rawStart[s];
            int n = rawEnd[s] - from;
            return key.length == 2 + n && key[0] == kinds[s] && key[1] == RAW_KEY
                    && Arrays.equals(key, 2, 2 + n, bytes, from, from + n);
        }
        if (key.length != 1 + keySize(s) || key[0] != kinds[s]) {
            return false;
        }
        int p = 1;
        int g = seriesGroup[s];
        int gl = g == NO_GROUP ? 0 : groupLabelEnd[g] - groupLabelStart[g];
        if (count(key, p) != gl) {
            return false;
        }
        p += 2;
        if (g != NO_GROUP && (p = equalLabels(key, p, groupLabelStart[g], groupLabelEnd[g])) < 0) {
            return false;
        }
        if ((p = equalString(key, p, nameOff[s], nameLen[s])) < 0) {
            return false;
        }
        if (count(key, p) != labelEnd[s] - labelStart[s]) {
            return false;
        }
        return equalLabels(key, p + 2, labelStart[s], labelEnd[s]) >= 0;
    }

    /** {@link #labelStart} of a series whose labels are still only wire bytes: {@link #setWireLabels}. */
    private static final int UNREAD = -1;
    /** A structured key's second byte is the high byte of its group label count, at most {@link #MAX_LABELS}. */
    private static final byte RAW_KEY = (byte) 0xff;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** A hash of a byte range, eight bytes a step. */
    private static int hashRaw(byte[] b, int off, int len) {
        long h = (len + 1) * 0x9E3779B97F4A7C15L;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        for (; i < end; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        return (int) (h ^ (h >>> 32));
    }

    private int keySize(int s) {
        int size = 2 + 2 + nameLen[s] + 2;
        int g = seriesGroup[s];
        if (g != NO_GROUP) {
            size += labelsSize(groupLabelStart[g], groupLabelEnd[g]);
        }
        return size + labelsSize(labelStart[s], labelEnd[s]);
    }

    private int labelsSize(int from, int to) {
        int size = 0;
        for (int l = from; l < to; l++) {
            size += 4 + keyLen[l] + valLen[l];
        }
        return size;
    }

    private int hashLabels(int h, int from, int to) {
        for (int l = from; l < to; l++) {
            h = hashRange(h, keyOff[l], keyLen[l]);
            h = hashRange(h, valOff[l], valLen[l]);
        }
        return (h ^ (to - from)) * 0x01000193;
    }

    private int hashRange(int h, int off, int len) {
        byte[] b = bytes;
        h = (h ^ len) * 0x01000193;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h;
    }

    private static int putCount(byte[] k, int p, int n) {
        k[p] = (byte) (n >>> 8);
        k[p + 1] = (byte) n;
        return p + 2;
    }

    private static int count(byte[] k, int p) {
        return ((k[p] & 0xff) << 8) | (k[p + 1] & 0xff);
    }

    private int putString(byte[] k, int p, int off, int len) {
        p = putCount(k, p, len);
        System.arraycopy(bytes, off, k, p, len);
        return p + len;
    }

    private int putLabels(byte[] k, int p, int from, int to) {
        for (int l = from; l < to; l++) {
            p = putString(k, p, keyOff[l], keyLen[l]);
            p = putString(k, p, valOff[l], valLen[l]);
        }
        return p;
    }

    private int equalString(byte[] k, int p, int off, int len) {
        if (count(k, p) != len) {
            return -1;
        }
        p += 2;
        return Arrays.equals(k, p, p + len, bytes, off, off + len) ? p + len : -1;
    }

    private int equalLabels(byte[] k, int p, int from, int to) {
        for (int l = from; l < to && p >= 0; l++) {
            p = equalString(k, p, keyOff[l], keyLen[l]);
            if (p >= 0) {
                p = equalString(k, p, valOff[l], valLen[l]);
            }
        }
        return p;
    }

    // ---- building, used by the decoders ----

    /**
     * Empties the arena and makes room for a raw message of {@code length} bytes at its start, which the caller
     * writes into {@link #bytes()} and then decodes in place: labels can then point into it without a copy.
     */
    public byte[] rawArea(int length) {
        used = 0;
        ensureBytes(length);
        used = length;
        return bytes;
    }

    /** Copies {@code len} bytes into the arena and returns their offset there. */
    public int append(byte[] src, int off, int len) {
        ensureBytes(len);
        System.arraycopy(src, off, bytes, used, len);
        int at = used;
        used += len;
        return at;
    }

    /** Appends {@code chars} as UTF-8 and returns their offset; the length is {@link #arenaEnd()} minus it. */
    public int appendChars(char[] chars, int off, int len) {
        ensureBytes(len * 3);
        byte[] b = bytes;
        int p = used;
        int at = p;
        for (int i = off, end = off + len; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xc0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                b[p++] = (byte) (0xf0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (cp & 0x3f));
            } else {
                if (Character.isSurrogate(c)) {
                    c = '\uFFFD';
                }
                b[p++] = (byte) (0xe0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        used = p;
        return at;
    }

    /** The arena's fill mark: strings appended since an offset end here. */
    public int arenaEnd() {
        return used;
    }

    /** Adds a label whose name and value are already in the arena. */
    public void addLabel(int keyOffset, int keyLength, int valueOffset, int valueLength) {
        if (labels == keyOff.length) {
            int n = labels * 2;
            keyOff = Arrays.copyOf(keyOff, n);
            keyLen = Arrays.copyOf(keyLen, n);
            valOff = Arrays.copyOf(valOff, n);
            valLen = Arrays.copyOf(valLen, n);
        }
        keyOff[labels] = keyOffset;
        keyLen[labels] = keyLength;
        valOff[labels] = valueOffset;
        valLen[labels] = valueLength;
        labels++;
    }

    /** Labels added so far: a group's or series' label range is taken between two calls. */
    public int labelMark() {
        return labels;
    }

    /** Starts a group (an OTLP resource) with no labels yet; returns its index. */
    public int addGroup() {
        if (groups == groupLabelStart.length) {
            groupLabelStart = Arrays.copyOf(groupLabelStart, groups * 2);
            groupLabelEnd = Arrays.copyOf(groupLabelEnd, groups * 2);
        }
        groupLabelStart[groups] = 0;
        groupLabelEnd[groups] = 0;
        return groups++;
    }

    public void setGroupLabels(int g, int from, int to) {
        groupLabelStart[g] = from;
        groupLabelEnd[g] = to;
    }

    /** Starts a series in {@code group}: the labels and samples added next are its own until the next call. */
    public int beginSeries(int group) {
        if (series == seriesGroup.length) {
            growSeries();
        }
        seriesGroup[series] = group;
        nameOff[series] = 0;
        nameLen[series] = 0;
        labelStart[series] = labels;
        labelEnd[series] = labels;
        sampleStart[series] = samples;
        sampleEnd[series] = samples;
        kinds[series] = VALUE;
        rawStart[series] = -1;
        return series++;
    }

    private void growSeries() {
        int n = series * 2;
        seriesGroup = Arrays.copyOf(seriesGroup, n);
        nameOff = Arrays.copyOf(nameOff, n);
        nameLen = Arrays.copyOf(nameLen, n);
        labelStart = Arrays.copyOf(labelStart, n);
        labelEnd = Arrays.copyOf(labelEnd, n);
        sampleStart = Arrays.copyOf(sampleStart, n);
        sampleEnd = Arrays.copyOf(sampleEnd, n);
        kinds = Arrays.copyOf(kinds, n);
        rawStart = Arrays.copyOf(rawStart, n);
        rawEnd = Arrays.copyOf(rawEnd, n);
    }

    /**
     * Adds in one step a remote-write series of one sample whose labels are the wire bytes {@code [from, to)} (see
     * {@link #setWireLabels}) and whose name is already among them: what {@link #beginSeries}, {@link #setName},
     * {@link #setKind}, {@link #setWireLabels} and {@link #addSample} do, with one check for room.
     */
    public void addWireSeries(int nameOffset, int nameLength, byte kind, int from, int to, long timeMs, double value) {
        int s = series;
        int i = samples;
        if (s == seriesGroup.length) {
            growSeries();
        }
        if (i == times.length) {
            growSamples();
        }
        seriesGroup[s] = NO_GROUP;
        nameOff[s] = nameOffset;
        nameLen[s] = nameLength;
        labelStart[s] = UNREAD;
        labelEnd[s] = UNREAD;
        sampleStart[s] = i;
        sampleEnd[s] = i + 1;
        kinds[s] = kind;
        rawStart[s] = from;
        rawEnd[s] = to;
        times[i] = timeMs;
        values[i] = value;
        samples = i + 1;
        series = s + 1;
    }

    public void setSeriesLabels(int s, int from, int to) {
        labelStart[s] = from;
        labelEnd[s] = to;
    }

    /**
     * Says that the series' labels are also the arena's bytes {@code [from, to)} exactly as they came on the wire
     * (a remote-write series' label fields): its identity is then hashed and compared as that one range.
     */
    public void setRawLabels(int s, int from, int to) {
        rawStart[s] = from;
        rawEnd[s] = to;
    }

    /**
     * Says that series {@code s}'s labels are the arena's bytes {@code [from, to)}: remote-write label fields, each in
     * the usual encoding the decoder checked (0x0a, length, 0x0a, name length, name, 0x12, value length, value; every
     * length one byte, the name not empty). They go into the label arrays only when {@link #labelStart} or
     * {@link #labelEnd} asks, as for a new series being named: a known series is found by {@link #keyHash} and
     * {@link #keyEquals} over those bytes, so most series never need them one by one.
     */
    public void setWireLabels(int s, int from, int to) {
        setRawLabels(s, from, to);
        labelStart[s] = UNREAD;
        labelEnd[s] = UNREAD;
    }

    /** Adds the labels of wire-encoded fields {@code [from, to)} (see {@link #setWireLabels}); empty values are none. */
    public void addWireLabels(int from, int to) {
        byte[] b = bytes;
        for (int p = from; p < to; p += 2 + b[p + 1]) {
            int keyLen = b[p + 3];
            int v = p + 4 + keyLen;
            int valueLen = b[v + 1];
            if (valueLen > 0) {
                addLabel(p + 4, keyLen, v + 2, valueLen);
            }
        }
    }

    private void readWireLabels(int s) {
        int from = labels;
        addWireLabels(rawStart[s], rawEnd[s]);
        labelStart[s] = from;
        labelEnd[s] = labels;
    }

    public void setName(int s, int offset, int length) {
        nameOff[s] = offset;
        nameLen[s] = length;
    }

    public void setKind(int s, byte kind) {
        kinds[s] = kind;
    }

    /** Adds a sample to the last series begun. */
    public void addSample(long timeMs, double value) {
        if (samples == times.length) {
            growSamples();
        }
        times[samples] = timeMs;
        values[samples] = value;
        samples++;
        sampleEnd[series - 1] = samples;
    }

    private void growSamples() {
        times = Arrays.copyOf(times, samples * 2);
        values = Arrays.copyOf(values, samples * 2);
    }

    /** Counts {@code n} samples the decoder refused. */
    public void skip(Skip reason, int n) {
        skipped[reason.ordinal()] += n;
    }

    /**
     * Forgets everything added since the marks, as when a series turns out unusable: its samples are then only
     * counted by the caller.
     */
    public void rewind(int seriesMark, int labelMark, int sampleMark, int arenaMark) {
        series = seriesMark;
        labels = labelMark;
        samples = sampleMark;
        used = arenaMark;
    }

    private void ensureBytes(int more) {
        if (used + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + more));
        }
    }

    /** Shown in test failures. */
    @Override
    public String toString() {
        return "LabelledBatch[series=" + series + ", samples=" + samples + ", skipped=" + Arrays.toString(skipped) + "]";
    }

}
