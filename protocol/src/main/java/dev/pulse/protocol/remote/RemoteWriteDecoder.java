package dev.pulse.protocol.remote;

import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.Skip;
import dev.pulse.protocol.proto.ProtoReader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static dev.pulse.protocol.proto.ProtoReader.LEN;
import static dev.pulse.protocol.proto.ProtoReader.I64;
import static dev.pulse.protocol.proto.ProtoReader.VARINT;

/**
 * Decoder of Prometheus remote write 1.0 bodies: snappy block, then a {@code prometheus.WriteRequest} read field
 * by field into a {@link LabelledBatch}, without generated classes and without an object per sample or series.
 *
 * <p>Steps: the length snappy declares is checked against {@code maxDecompressedBytes} before anything is
 * allocated ({@link DecodeResult#TOO_LARGE}); the block is inflated into a buffer reused across requests; the
 * protobuf is read with {@link ProtoReader}, except a series in the shape Prometheus sends after one scrape (labels
 * then one sample, each in its usual encoding), which {@link #usualSeries} reads in one pass straight from the
 * buffer. A series is judged {@link LabelledBatch#CUMULATIVE} when its name ends in {@code _total}, {@code _count},
 * {@code _sum} or {@code _bucket}, or when the request's metadata types its name as a counter. NaN, infinite
 * values and stale markers are counted and dropped here, as are native histogram samples (unsupported) and series
 * over the label limits (bad names).
 *
 * <p>Unknown fields are skipped; a known field with the wrong wire type, a truncated message or a length past its
 * end makes the whole body {@link DecodeResult#MALFORMED} and leaves the batch empty.
 *
 * <p>Not thread-safe: one instance per event loop.
 */
public final class RemoteWriteDecoder {
    /** The bit pattern Prometheus writes as a staleness marker. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    /** Most counter names remembered from one request's metadata. */
    public static final int MAX_METADATA = 4096;

    private static final byte[] NAME_LABEL = "__name__".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[][] COUNTER_SUFFIXES = {
            "_total".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "_count".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "_sum".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "_bucket".getBytes(java.nio.charset.StandardCharsets.US_ASCII)};
    private static final long TOTAL = suffixWord(COUNTER_SUFFIXES[0]);
    private static final long COUNT = suffixWord(COUNTER_SUFFIXES[1]);
    private static final long SUM = suffixWord(COUNTER_SUFFIXES[2]);
    private static final long BUCKET = suffixWord(COUNTER_SUFFIXES[3]);
    private static final int METRIC_TYPE_COUNTER = 1;
    private static final long EXPONENT_BITS = 0x7ff0000000000000L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NAME_LABEL_WORD = (long) LONGS.get(NAME_LABEL, 0);
    /** Bytes of a sample field in the usual encoding: tag, length 16, then the double and the timestamp. */
    private static final int USUAL_SAMPLE_FIELD = 18;

    private final LabelledBatch batch;
    private final ProtoReader in = new ProtoReader();
    private final long maxDecompressedBytes;
    private final boolean onePass;

    // All fields below: owned by the decoding event loop.
    private int[] counterOff = new int[16];
    private int[] counterLen = new int[16];
    private int counters;
    private String message;

    public RemoteWriteDecoder(LabelledBatch batch, long maxDecompressedBytes) {
        this(batch, maxDecompressedBytes, true);
    }

    /** With {@code onePass} false every series is read field by field: tests compare the two readers. */
    RemoteWriteDecoder(LabelledBatch batch, long maxDecompressedBytes, boolean onePass) {
        this.batch = batch;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.onePass = onePass;
    }

    public LabelledBatch batch() {
        return batch;
    }

    /** Why the last decode failed. */
    public String message() {
        return message;
    }

    /** Decodes a snappy-compressed {@code WriteRequest}. */
    public DecodeResult decode(byte[] body, int off, int len) {
        batch.clear(false);
        message = null;
        long declared = Snappy.declaredLength(body, off, len);
        if (declared == Snappy.MALFORMED) {
            message = "the body is not snappy-compressed: its length header is not valid";
            return DecodeResult.MALFORMED;
        }
        if (declared > maxDecompressedBytes) {
            message = "the body declares " + declared + " bytes uncompressed, over the limit of "
                    + maxDecompressedBytes + " (MAX_DECOMPRESSED_BYTES)";
            return DecodeResult.TOO_LARGE;
        }
        int n = (int) declared;
        byte[] plain = batch.rawArea(n); // labels then point into the message itself: nothing is copied per label
        String problem = Snappy.decompress(body, off, len, plain, n);
        if (problem != null) {
            batch.clear(false);
            message = "the body is not valid snappy: " + problem;
            return DecodeResult.MALFORMED;
        }
        return decodeInPlace(n);
    }

    /** Decodes an uncompressed {@code WriteRequest} in {@code buf[off, off+len)}. */
    public DecodeResult decodeMessage(byte[] buf, int off, int len) {
        batch.clear(false);
        message = null;
        System.arraycopy(buf, off, batch.rawArea(len), 0, len);
        return decodeInPlace(len);
    }

    /** Decodes the message the batch's arena starts with. */
    private DecodeResult decodeInPlace(int len) {
        counters = 0;
        ProtoReader r = in;
        r.reset(batch.bytes(), 0, len);
        try {
            while (r.more()) {
                int tag = r.tag();
                switch (ProtoReader.field(tag)) {
                    case 1 -> {
                        r.expect(tag, LEN);
                        int length = r.length();
                        int from = r.position();
                        if (onePass && usualSeries(r.buffer(), from, from + length)) {
                            r.skipBytes(length);
                        } else {
                            timeSeries(length);
                        }
                    }
                    case 3 -> {
                        r.expect(tag, LEN);
                        metadata(r.length());
                    }
                    default -> r.skip(tag);
                }
            }
        } catch (ProtoReader.Malformed e) {
            batch.clear(false);
            message = "the body is not a valid WriteRequest: " + r.problem() + " at byte " + r.problemOffset();
            return DecodeResult.MALFORMED;
        }
        if (counters > 0) {
            applyMetadata();
        }
        return DecodeResult.OK;
    }

    /**
     * The series Prometheus sends after one scrape, read in one pass: when {@code [from, end)} holds only labels in
     * the usual encoding (see {@link LabelledBatch#setWireLabels}), one of them a non-empty {@code __name__}, then
     * one sample in the usual encoding with a finite value, the series is added and true returned. Else nothing is
     * added and {@link #timeSeries} reads it field by field, as it reads anything else.
     */
    private boolean usualSeries(byte[] buf, int from, int end) {
        int last = end - USUAL_SAMPLE_FIELD; // where the one sample starts
        if (last - from >= USUAL_SAMPLE_FIELD && buf[last - 18] == 0x12 && buf[last - 17] == 16
                && buf[last - 16] == 0x09) {
            return false; // most likely a sample before it too (a backlog's series): not worth walking the labels
        }
        int p = from;
        int nameAt = 0;
        int nameLen = 0;
        int labels = 0;
        while (end - p > USUAL_SAMPLE_FIELD) { // a label and the sample still fit
            int head = (int) INTS.get(buf, p); // label tag, label length, name tag, name length
            if ((head & 0x80ff_80ff) != 0x000a_000a || ++labels > LabelledBatch.MAX_LABELS) {
                return false;
            }
            int labelEnd = p + 2 + ((head >>> 8) & 0xff);
            int keyLen = head >>> 24;
            int v = p + 4 + keyLen;
            if (keyLen == 0 || labelEnd > end || v + 2 > labelEnd || buf[v] != 0x12) {
                return false;
            }
            int valueLen = buf[v + 1];
            if (v + 2 + valueLen != labelEnd) { // also when the value's length takes more than one byte
                return false;
            }
            if (keyLen == NAME_LABEL.length && valueLen > 0 && isNameLabel(buf, p + 4)) {
                nameAt = v + 2;
                nameLen = valueLen;
            }
            p = labelEnd;
        }
        // the sample: field 2 of 16 bytes, a double (tag 0x09) then a timestamp (tag 0x10) of six varint bytes
        if (end - p != USUAL_SAMPLE_FIELD || nameLen == 0 || buf[p] != 0x12 || buf[p + 1] != 16) {
            return false;
        }
        long word = (long) LONGS.get(buf, p + 10); // the double's last byte, the timestamp's tag and varint
        long bits = (long) LONGS.get(buf, p + 3);
        if (buf[p + 2] != 0x09 || (word & 0x8080_8080_8080_ff00L) != 0x0080_8080_8080_1000L
                || (bits & EXPONENT_BITS) == EXPONENT_BITS) {
            return false;
        }
        long time = ((word >>> 16) & 0x7f) | ((word >>> 24) & 0x7f) << 7 | ((word >>> 32) & 0x7f) << 14
                | ((word >>> 40) & 0x7f) << 21 | ((word >>> 48) & 0x7f) << 28 | ((word >>> 56) & 0x7f) << 35;
        byte kind = isCounterName(buf, nameAt, nameLen) ? LabelledBatch.CUMULATIVE : LabelledBatch.VALUE;
        batch.addWireSeries(nameAt, nameLen, kind, from, p, time, Double.longBitsToDouble(bits));
        return true;
    }

    private void timeSeries(int length) {
        ProtoReader r = in;
        LabelledBatch b = batch;
        int outer = r.push(length);
        int seriesMark = b.seriesCount();
        int labelMark = b.labelMark();
        int sampleMark = b.sampleCount();
        int arenaMark = b.arenaEnd();
        int s = b.beginSeries(LabelledBatch.NO_GROUP);
        boolean bad = false;
        // Prometheus writes the labels first, each in the usual encoding: those are read directly, the rest below
        byte[] buf = r.buffer();
        int limit = r.limit();
        int labels = 0;
        int rawFrom = r.position(); // the label fields' bytes, while they come one after another
        int rawTo = rawFrom;
        for (int next; labels < LabelledBatch.MAX_LABELS && (next = usualLabel(s, buf, rawTo, limit)) >= 0; ) {
            labels++;
            rawTo = next;
        }
        boolean unread = labels > 0; // those labels are checked but not yet in the batch's label arrays
        if (labels == 0) {
            rawFrom = -1;
        }
        r.seek(rawTo);
        boolean rawContiguous = true;
        while (r.more()) {
            int fieldStart = r.position();
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> {
                    r.expect(tag, LEN);
                    if (unread) { // more labels after the usual ones: all of them go into the arrays, in order
                        b.addWireLabels(rawFrom, rawTo);
                        unread = false;
                    }
                    labels++;
                    bad |= !label(s, r.length(), bad || labels > LabelledBatch.MAX_LABELS);
                    if (rawFrom < 0) {
                        rawFrom = fieldStart;
                    } else if (rawTo != fieldStart) {
                        rawContiguous = false;
                    }
                    rawTo = r.position();
                }
                case 2 -> {
                    r.expect(tag, LEN);
                    sample(r.length());
                }
                case 4 -> {
                    r.expect(tag, LEN);
                    r.skipBytes(r.length());
                    b.skip(Skip.UNSUPPORTED_TYPE, 1);
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
        int kept = b.sampleCount() - sampleMark;
        if (bad || b.nameLength(s) == 0) {
            b.skip(Skip.BAD_NAME, kept);
            b.rewind(seriesMark, labelMark, sampleMark, arenaMark);
        } else if (kept == 0) {
            b.rewind(seriesMark, labelMark, sampleMark, arenaMark);
        } else {
            if (unread) {
                b.setWireLabels(s, rawFrom, rawTo);
            } else {
                b.setSeriesLabels(s, labelMark, b.labelMark());
                if (rawContiguous && rawFrom >= 0) {
                    b.setRawLabels(s, rawFrom, rawTo);
                }
            }
            if (isCounterName(b.bytes(), b.nameOffset(s), b.nameLength(s))) {
                b.setKind(s, LabelledBatch.CUMULATIVE);
            }
        }
    }

    /**
     * Checks the label field at {@code p} has the usual encoding (see {@link LabelledBatch#setWireLabels}), takes the
     * series' name from it, and returns where the field ends; else -1, and nothing is read. The label itself is left
     * in the wire bytes: the batch reads it only if the series is new and must be named.
     */
    private int usualLabel(int s, byte[] buf, int p, int limit) {
        if (limit - p < 6 || buf[p] != 0x0a) {
            return -1;
        }
        int length = buf[p + 1];
        if (length < 4 || length > limit - p - 2) {
            return -1;
        }
        int end = p + 2 + length;
        int valueLen = usualPair(buf, p + 2, end);
        if (valueLen < 0) {
            return -1;
        }
        nameFrom(s, buf, p + 2, end, valueLen);
        return end;
    }

    /**
     * The value's length when {@code [p, end)} holds exactly a label's name (not empty) then its value, each with a
     * one-byte length; else -1.
     */
    private static int usualPair(byte[] buf, int p, int end) {
        int keyLen = buf[p + 1];
        int v = p + 2 + keyLen;
        if (buf[p] != 0x0a || keyLen <= 0 || v + 2 > end || buf[v] != 0x12) {
            return -1;
        }
        int valueLen = buf[v + 1];
        return valueLen >= 0 && v + 2 + valueLen == end ? valueLen : -1;
    }

    /** Sets the series' name when the usual pair at {@code p} is {@code __name__} with a value. */
    private void nameFrom(int s, byte[] buf, int p, int end, int valueLen) {
        if (valueLen > 0 && buf[p + 1] == NAME_LABEL.length && isNameLabel(buf, p + 2)) {
            batch.setName(s, end - valueLen, valueLen);
        }
    }

    /** Reads one label; returns false when it makes the series unusable. With {@code discard} it is only read. */
    private boolean label(int s, int length, boolean discard) {
        ProtoReader r = in;
        byte[] buf = r.buffer();
        int p = r.position();
        int usualValue = discard || length < 4 ? -1 : usualPair(buf, p, p + length);
        if (usualValue >= 0) {
            r.skipBytes(length);
            if (usualValue > 0) { // an empty label is the same as no label
                batch.addLabel(p + 2, buf[p + 1], p + length - usualValue, usualValue);
                nameFrom(s, buf, p, p + length, usualValue);
            }
            return true;
        }
        int outer = r.push(length);
        int keyAt = -1;
        int keyLen = 0;
        int valueAt = -1;
        int valueLen = 0;
        while (r.more()) {
            int tag = r.tag();
            int field = ProtoReader.field(tag);
            if (field == 1 || field == 2) {
                r.expect(tag, LEN);
                int n = r.length();
                if (field == 1) {
                    keyAt = r.position();
                    keyLen = n;
                } else {
                    valueAt = r.position();
                    valueLen = n;
                }
                r.skipBytes(n);
            } else {
                r.skip(tag);
            }
        }
        r.pop(outer);
        if (discard) {
            return false;
        }
        if (keyLen == 0 || keyLen > LabelledBatch.MAX_STRING_BYTES || valueLen > LabelledBatch.MAX_STRING_BYTES) {
            return false;
        }
        if (valueLen == 0) {
            return true; // an empty label is the same as no label
        }
        LabelledBatch b = batch;
        b.addLabel(keyAt, keyLen, valueAt, valueLen); // the message is the start of the batch's arena
        if (keyLen == NAME_LABEL.length && isNameLabel(buf, keyAt)) {
            b.setName(s, valueAt, valueLen);
        }
        return true;
    }

    private void sample(int length) {
        ProtoReader r = in;
        byte[] buf = r.buffer();
        int p = r.position();
        // the usual encoding, value then a timestamp of six bytes, is read directly; anything else field by field
        if (length == 16 && isUsualSample(buf, p)) {
            r.skipBytes(length);
            accept((long) LONGS.get(buf, p + 1), sixByteVarint(buf, p + 10));
            return;
        }
        sampleFields(length);
    }

    /** A double (tag 0x09) then a timestamp (tag 0x10) whose varint takes six bytes, as for any time since 1970. */
    private static boolean isUsualSample(byte[] buf, int p) {
        long word = (long) LONGS.get(buf, p + 8); // bytes p+8 to p+15: the double's last byte, tag, varint
        return buf[p] == 0x09 && (word & 0xff00L) == 0x1000L
                && (word & 0x8080_8080_8080_0000L) == 0x0080_8080_8080_0000L;
    }

    private static long sixByteVarint(byte[] buf, int p) {
        long time = 0;
        for (int i = 0; i < 6; i++) {
            time |= (long) (buf[p + i] & 0x7f) << (7 * i);
        }
        return time;
    }

    private void sampleFields(int length) {
        ProtoReader r = in;
        long bits = 0;
        long time = 0;
        int outer = r.push(length);
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> {
                    r.expect(tag, I64);
                    bits = r.fixed64();
                }
                case 2 -> {
                    r.expect(tag, VARINT);
                    time = r.varint();
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
        accept(bits, time);
    }

    private void accept(long bits, long time) {
        if ((bits & EXPONENT_BITS) != EXPONENT_BITS) { // finite
            batch.addSample(time, Double.longBitsToDouble(bits));
        } else if (bits == STALE_NAN_BITS) {
            batch.skip(Skip.STALE, 1);
        } else {
            batch.skip(Skip.NAN, 1); // NaN or infinite
        }
    }

    private void metadata(int length) {
        ProtoReader r = in;
        int outer = r.push(length);
        long type = 0;
        int nameAt = 0;
        int nameLen = 0;
        while (r.more()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> {
                    r.expect(tag, VARINT);
                    type = r.varint();
                }
                case 2 -> {
                    r.expect(tag, LEN);
                    nameLen = r.length();
                    nameAt = r.position();
                    r.skipBytes(nameLen);
                }
                case 4, 5 -> {
                    r.expect(tag, LEN);
                    r.skipBytes(r.length());
                }
                default -> r.skip(tag);
            }
        }
        r.pop(outer);
        if (type == METRIC_TYPE_COUNTER && nameLen > 0 && counters < MAX_METADATA) {
            if (counters == counterOff.length) {
                counterOff = java.util.Arrays.copyOf(counterOff, counters * 2);
                counterLen = java.util.Arrays.copyOf(counterLen, counters * 2);
            }
            counterOff[counters] = nameAt;
            counterLen[counters] = nameLen;
            counters++;
        }
    }

    /** Series whose name the request's metadata types as a counter are judged by their rate. */
    private void applyMetadata() {
        LabelledBatch b = batch;
        byte[] names = in.buffer();
        byte[] arena = b.bytes();
        for (int s = 0, n = b.seriesCount(); s < n; s++) {
            if (b.kind(s) != LabelledBatch.VALUE) {
                continue;
            }
            int off = b.nameOffset(s);
            int len = b.nameLength(s);
            for (int c = 0; c < counters; c++) {
                if (counterLen[c] == len
                        && java.util.Arrays.equals(names, counterOff[c], counterOff[c] + len, arena, off, off + len)) {
                    b.setKind(s, LabelledBatch.CUMULATIVE);
                    break;
                }
            }
        }
    }

    /** Whether the eight bytes at {@code at} spell {@code __name__}: one comparison of words. */
    private static boolean isNameLabel(byte[] b, int at) {
        return (long) LONGS.get(b, at) == NAME_LABEL_WORD;
    }

    static boolean isCounterName(byte[] b, int off, int len) {
        if (len >= Long.BYTES) { // the name's last eight bytes as one word, each suffix compared at once
            long last = (long) LONGS.get(b, off + len - Long.BYTES);
            return last >>> 16 == TOTAL || last >>> 16 == COUNT || last >>> 32 == SUM || last >>> 8 == BUCKET;
        }
        for (byte[] suffix : COUNTER_SUFFIXES) {
            int n = suffix.length;
            if (len > n && endsWith(b, off + len, suffix)) {
                return true;
            }
        }
        return false;
    }

    /** The little-endian word of a suffix's bytes: what a name's last eight bytes shifted right to its length are. */
    private static long suffixWord(byte[] suffix) {
        long w = 0;
        for (int i = suffix.length - 1; i >= 0; i--) {
            w = w << 8 | (suffix[i] & 0xff);
        }
        return w;
    }

    private static boolean endsWith(byte[] b, int end, byte[] suffix) {
        for (int i = suffix.length - 1, p = end - 1; i >= 0; i--, p--) {
            if (b[p] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
