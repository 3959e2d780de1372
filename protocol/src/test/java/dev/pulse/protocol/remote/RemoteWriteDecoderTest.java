package dev.pulse.protocol.remote;

import dev.pulse.protocol.labelled.Allocation;
import dev.pulse.protocol.labelled.Batches;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.Skip;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteWriteDecoderTest {
    private static final long LIMIT = 32 << 20;

    private final RemoteWriteDecoder decoder = new RemoteWriteDecoder(new LabelledBatch(), LIMIT);

    private String decode(byte[] message) throws IOException {
        byte[] body = org.xerial.snappy.Snappy.compress(message);
        DecodeResult r = decoder.decode(body, 0, body.length);
        return r == DecodeResult.OK ? Batches.describe(decoder.batch()) : r + ": " + decoder.message();
    }

    private static String[] labels(String... pairs) {
        return pairs;
    }

    @Test
    void decodesSeriesLabelsAndSamples() throws IOException {
        byte[] m = new WriteRequestWriter()
                .series(labels("__name__", "node_load1", "instance", "web-1:9100", "job", "node"),
                        new long[]{1000, 2000}, new double[]{0.5, 0.75})
                .series(labels("__name__", "http_requests_total", "code", "200", "job", "api"),
                        new long[]{1500}, new double[]{42})
                .toByteArray();
        assertEquals("value node_load1{__name__=node_load1,instance=web-1:9100,job=node} 1000=0.5 2000=0.75; "
                + "cumulative http_requests_total{__name__=http_requests_total,code=200,job=api} 1500=42.0", decode(m));
    }

    /** The fields of one TimeSeries as WriteRequestWriter encodes them (its one-byte length header dropped). */
    private static byte[] seriesFields(String[] labels, long[] times, double[] values) {
        byte[] m = new WriteRequestWriter().series(labels, times, values).toByteArray();
        assertTrue(m.length < 130, "a one-byte length");
        return Arrays.copyOfRange(m, 2, m.length);
    }

    private static byte[] timeSeries(byte[]... parts) {
        byte[] fields = concat(parts);
        int n = fields.length;
        byte[] header = n < 128 ? new byte[]{0x0a, (byte) n} : new byte[]{0x0a, (byte) (n | 0x80), (byte) (n >>> 7)};
        return concat(header, fields);
    }

    @Test
    void readsLabelsLeftInTheWireBytesOnlyWhenAskedInTheirOrder() throws IOException {
        byte[] usual = seriesFields(labels("__name__", "a", "job", "x", "empty", ""), new long[0], new double[0]);
        byte[] sample = seriesFields(labels(), new long[]{1_700_000_000_000L}, new double[]{2});
        byte[] late = seriesFields(labels("zone", "b"), new long[0], new double[0]);
        byte[] message = concat(timeSeries(usual, sample), timeSeries(usual, sample, late), timeSeries(usual, sample));
        assertEquals("value a{__name__=a,job=x} 1700000000000=2.0; value a{__name__=a,job=x,zone=b} 1700000000000=2.0; "
                + "value a{__name__=a,job=x} 1700000000000=2.0", decode(message));
        LabelledBatch b = decoder.batch();
        assertTrue(b.keyEquals(2, b.key(0)), "the same wire labels name the same series");
        assertTrue(!b.keyEquals(1, b.key(0)), "a label after the samples makes another series");

        byte[] changed = usual.clone();
        for (int i = 0; i < changed.length; i++) {
            if (changed[i] == 'x') {
                changed[i] = 'y'; // the job's value, the only x
            }
        }
        decode(concat(timeSeries(usual, sample), timeSeries(changed, sample)));
        assertEquals("value a{__name__=a,job=x} 1700000000000=2.0; value a{__name__=a,job=y} 1700000000000=2.0",
                Batches.describe(b));
        assertTrue(!b.keyEquals(1, b.key(0)), "one changed byte is another series");
    }

    @Test
    void readsTheUsualOneSampleSeriesAsFieldByField() throws IOException {
        long t = 1_700_000_000_000L; // a timestamp of six varint bytes, as for any time since 1970
        String[] labels = labels("__name__", "node_network_receive_bytes_total", "device", "eth0", "empty", "",
                "instance", "node-1:9100", "job", "node");
        byte[] usual = seriesFields(labels, new long[0], new double[0]);
        byte[] sample = seriesFields(labels(), new long[]{t}, new double[]{2.5});
        String expected = "cumulative node_network_receive_bytes_total{__name__=node_network_receive_bytes_total,"
                + "device=eth0,instance=node-1:9100,job=node} 1700000000000=2.5";
        assertEquals(expected, decode(timeSeries(usual, sample)));
        RemoteWriteDecoder fieldByField = new RemoteWriteDecoder(new LabelledBatch(), LIMIT, false);
        byte[] message = timeSeries(usual, sample);
        fieldByField.decodeMessage(message, 0, message.length);
        assertEquals(expected, Batches.describe(fieldByField.batch()));
        assertTrue(Arrays.equals(fieldByField.batch().key(0), decoder.batch().key(0)), "the same identity");
        assertEquals(fieldByField.batch().keyHash(0), decoder.batch().keyHash(0));
        // the same series in encodings the one-pass reader leaves to the field-by-field one: each decodes the same
        byte[] unknownField = {(byte) (9 << 3), 1};
        assertEquals(expected, decode(timeSeries(sample, usual)), "the sample first");
        assertEquals(expected, decode(timeSeries(usual, sample, unknownField)), "a field after the sample");
        assertEquals(expected, decode(timeSeries(usual, unknownField, sample)), "a field before the sample");
        byte[] twoByteLength = concat(new byte[]{0x12, (byte) 0x90, 0x00}, Arrays.copyOfRange(sample, 2, 18));
        assertEquals(expected, decode(timeSeries(usual, twoByteLength)), "the sample's length in two varint bytes");
        byte[] second = seriesFields(labels(), new long[]{t + 1}, new double[]{3});
        assertEquals(expected + " 1700000000001=3.0", decode(timeSeries(usual, sample, second)), "two samples");
        // what the one-pass reader refuses is refused or counted as before
        assertEquals(" | stale=1", decode(timeSeries(usual, seriesFields(labels(), new long[]{t},
                new double[]{Double.longBitsToDouble(RemoteWriteDecoder.STALE_NAN_BITS)}))));
        assertEquals(" | nan=1", decode(timeSeries(usual, seriesFields(labels(), new long[]{t},
                new double[]{Double.POSITIVE_INFINITY}))));
        assertEquals(" | bad_name=1", decode(timeSeries(seriesFields(labels("__name__", "", "job", "node"),
                new long[0], new double[0]), sample)), "an empty name");
        byte[] badTag = sample.clone();
        badTag[2] = 0x08; // the value as a varint: a known field with the wrong wire type
        assertTrue(decode(timeSeries(usual, badTag)).startsWith("MALFORMED: "), "a wrong wire type");
        byte[] longLabel = timeSeries(seriesFields(labels("__name__", "a"), new long[0], new double[0]), sample);
        longLabel[3]++; // the label one byte longer than its name and value: it takes the sample's tag
        assertTrue(decode(longLabel).startsWith("MALFORMED: "), "a label longer than what it holds");
    }

    @Test
    void judgesLongCounterNamesByTheirLastWord() throws IOException {
        WriteRequestWriter w = new WriteRequestWriter();
        String[] names = {"requests_total", "x_count", "requests_count", "req_sum", "requests_sum", "x_bucket",
                "latency_bucket", "requests_totals", "requests_xtotal", "a_bucketx", "_bucket", "total_requests"};
        for (String name : names) {
            w.series(labels("__name__", name), new long[]{1_700_000_000_000L}, new double[]{1});
        }
        String d = decode(w.toByteArray());
        StringBuilder kinds = new StringBuilder();
        for (String series : d.split("; ")) {
            kinds.append(series.startsWith("cumulative") ? 'c' : 'v');
        }
        assertEquals("ccccccc" + "vvvvv", kinds.toString(), d);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void judgesCounterSuffixesAndCounterMetadataAsCumulative() throws IOException {
        WriteRequestWriter w = new WriteRequestWriter();
        for (String name : new String[]{"a_total", "b_count", "c_sum", "d_bucket", "e_totals", "_total", "requests"}) {
            w.series(labels("__name__", name), new long[]{1}, new double[]{1});
        }
        w.metadata(1, "requests").metadata(2, "e_totals");
        String d = decode(w.toByteArray());
        assertEquals("cumulative a_total{__name__=a_total} 1=1.0; cumulative b_count{__name__=b_count} 1=1.0; "
                + "cumulative c_sum{__name__=c_sum} 1=1.0; cumulative d_bucket{__name__=d_bucket} 1=1.0; "
                + "value e_totals{__name__=e_totals} 1=1.0; value _total{__name__=_total} 1=1.0; "
                + "cumulative requests{__name__=requests} 1=1.0", d);
    }

    @Test
    void countsNanAndStaleMarkersAndKeepsTheRest() throws IOException {
        byte[] m = new WriteRequestWriter()
                .series(labels("__name__", "up"), new long[]{1, 2, 3, 4, 5},
                        new double[]{1, Double.longBitsToDouble(RemoteWriteDecoder.STALE_NAN_BITS), Double.NaN,
                                Double.POSITIVE_INFINITY, 0})
                .series(labels("__name__", "gone"), new long[]{1},
                        new double[]{Double.longBitsToDouble(RemoteWriteDecoder.STALE_NAN_BITS)})
                .toByteArray();
        assertEquals("value up{__name__=up} 1=1.0 5=0.0 | nan=2, stale=2", decode(m));
    }

    @Test
    void skipsSeriesOverTheLabelLimitsAndKeepsTheOthers() throws IOException {
        String[] many = new String[2 + 2 * 10_000];
        many[0] = "__name__";
        many[1] = "wide";
        for (int i = 1; i <= 10_000; i++) {
            many[2 * i] = "l" + i;
            many[2 * i + 1] = "v";
        }
        char[] mib = new char[1 << 20];
        Arrays.fill(mib, 'x');
        byte[] m = new WriteRequestWriter()
                .series(many, new long[]{1, 2}, new double[]{1, 2})
                .series(labels("__name__", "long", "path", new String(mib)), new long[]{1}, new double[]{1})
                .series(labels("job", "nameless"), new long[]{1}, new double[]{1})
                .series(labels("__name__", "fine"), new long[]{1}, new double[]{1})
                .toByteArray();
        assertEquals("value fine{__name__=fine} 1=1.0 | bad_name=4", decode(m));
    }

    @Test
    void countsNativeHistogramsAsUnsupported() throws IOException {
        // TimeSeries{labels: __name__=h, histograms: [{}]} written by hand: field 4, empty message
        byte[] series = {0x0a, 0x0d, 0x0a, 0x08, '_', '_', 'n', 'a', 'm', 'e', '_', '_', 0x12, 0x01, 'h', 0x22, 0x00};
        byte[] m = new byte[series.length + 2];
        m[0] = 0x0a;
        m[1] = (byte) series.length;
        System.arraycopy(series, 0, m, 2, series.length);
        assertEquals(" | unsupported_type=1", decode(m));
    }

    @Test
    void refusesWhatIsNotSnappy() {
        byte[] body = "{\"this\": \"is json\"}".getBytes();
        assertEquals(DecodeResult.MALFORMED, decoder.decode(body, 0, body.length));
        assertEquals("the body is not valid snappy: copy from before the start", decoder.message());
        assertEquals(DecodeResult.MALFORMED, decoder.decode(new byte[0], 0, 0));
    }

    @Test
    void refusesTruncatedProtobufAndLeavesTheBatchEmpty() throws IOException {
        byte[] m = new WriteRequestWriter()
                .series(labels("__name__", "a"), new long[]{1}, new double[]{1})
                .series(labels("__name__", "b"), new long[]{1}, new double[]{1})
                .toByteArray();
        for (int cut = 1; cut < m.length; cut++) {
            byte[] body = org.xerial.snappy.Snappy.compress(Arrays.copyOf(m, cut));
            DecodeResult r = decoder.decode(body, 0, body.length);
            if (r == DecodeResult.OK) { // a cut right after the first series is a valid request of one series
                assertEquals("value a{__name__=a} 1=1.0", Batches.describe(decoder.batch()), "cut " + cut);
            } else {
                assertEquals(DecodeResult.MALFORMED, r, "cut " + cut);
                assertTrue(decoder.message().startsWith("the body is not a valid WriteRequest: "), decoder.message());
                assertEquals(0, decoder.batch().seriesCount());
            }
        }
    }

    @Test
    void refusesAKnownFieldWithTheWrongWireType() throws IOException {
        // WriteRequest.timeseries (1) sent as a varint
        assertEquals("MALFORMED: the body is not a valid WriteRequest: field 1 has wire type 0, expected 2 at byte 1",
                decode(new byte[]{0x08, 0x01}));
        // Sample.value (1) sent as a varint inside a series
        byte[] sample = {0x08, 0x05};
        byte[] series = {0x12, (byte) sample.length, sample[0], sample[1]};
        byte[] m = {0x0a, (byte) series.length, series[0], series[1], series[2], series[3]};
        assertEquals("MALFORMED: the body is not a valid WriteRequest: field 1 has wire type 0, expected 1 at byte 5",
                decode(m));
    }

    @Test
    void skipsUnknownFields() throws IOException {
        byte[] known = new WriteRequestWriter().series(labels("__name__", "a"), new long[]{7}, new double[]{2}).toByteArray();
        byte[] m = new byte[known.length + 10];
        m[0] = (byte) (9 << 3); // field 9, varint 1
        m[1] = 1;
        m[2] = (byte) (10 << 3 | 5); // field 10, fixed32
        m[7] = (byte) (11 << 3 | 2); // field 11, 1 byte
        m[8] = 1;
        System.arraycopy(known, 0, m, 10, known.length);
        assertEquals("value a{__name__=a} 7=2.0", decode(m));
    }

    @Test
    void refusesADeclaredFourGibibytesWithoutAllocatingThem() {
        byte[] body = new byte[20];
        body[0] = (byte) 0xff;
        body[1] = (byte) 0xff;
        body[2] = (byte) 0xff;
        body[3] = (byte) 0xff;
        body[4] = 0x0f;
        RemoteWriteDecoder d = new RemoteWriteDecoder(new LabelledBatch(), Long.MAX_VALUE);
        DecodeResult[] r = new DecodeResult[1];
        long allocated = Allocation.bytes(() -> r[0] = d.decode(body, 0, body.length));
        assertEquals(DecodeResult.MALFORMED, r[0]); // even with no limit, the block is refused before its buffer
        assertTrue(allocated < 1 << 20, "allocated " + allocated);

        allocated = Allocation.bytes(() -> r[0] = decoder.decode(body, 0, body.length));
        assertEquals(DecodeResult.TOO_LARGE, r[0]);
        assertEquals("the body declares 4294967295 bytes uncompressed, over the limit of 33554432 (MAX_DECOMPRESSED_BYTES)",
                decoder.message());
        assertTrue(allocated < 1 << 20, "allocated " + allocated);
    }

    @Test
    void allocatesNothingPerSampleOnceWarm() throws IOException {
        WriteRequestWriter w = new WriteRequestWriter();
        for (int i = 0; i < 1000; i++) {
            w.series(labels("__name__", "m_total", "instance", "host-" + (i % 10), "path", "/p" + i),
                    new long[]{i}, new double[]{i});
        }
        byte[] body = org.xerial.snappy.Snappy.compress(w.toByteArray());
        for (int i = 0; i < 200; i++) {
            decoder.decode(body, 0, body.length);
        }
        long allocated = Allocation.bytes(() -> {
            for (int i = 0; i < 100; i++) {
                decoder.decode(body, 0, body.length);
            }
        });
        assertEquals(1000, decoder.batch().seriesCount());
        assertTrue(allocated < 100 * 1000, "allocated " + allocated + " bytes for 100,000 samples");
        assertEquals(0, decoder.batch().skipped(Skip.BAD_NAME));
    }
}
