package dev.pulse.protocol.otlp;

import com.google.protobuf.util.JsonFormat;
import dev.pulse.protocol.labelled.Allocation;
import dev.pulse.protocol.labelled.Batches;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.SeriesNaming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtlpDecoderTest {
    static final List<String> SOURCE_ATTRIBUTES = List.of("service.instance.id", "host.name", "service.name");
    static final long T = 1_700_000_000_000_000_000L;

    private final OtlpProtoDecoder proto = new OtlpProtoDecoder(new LabelledBatch(), SOURCE_ATTRIBUTES);
    private final LabelledBatch jsonBatch = new LabelledBatch();
    private final OtlpJsonDecoder json = new OtlpJsonDecoder(jsonBatch, SOURCE_ATTRIBUTES);

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static NumberDataPoint point(long start, long time, double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time).setAsDouble(value)
                .addAllAttributes(Arrays.asList(attributes)).build();
    }

    static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(metrics)))).build();
    }

    static ExportMetricsServiceRequest everyKind() {
        Resource resource = Resource.newBuilder().addAttributes(attr("service.name", "checkout"))
                .addAttributes(attr("host.name", "node-7")).addAttributes(attr("telemetry.sdk.language", "java")).build();
        return request(resource,
                Metric.newBuilder().setName("process.cpu.utilization").setGauge(Gauge.newBuilder()
                        .addDataPoints(point(0, T, 0.25, attr("cpu", "0")))
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(-3)
                                .addAttributes(KeyValue.newBuilder().setKey("flag").setValue(AnyValue.newBuilder().setBoolValue(true)))
                                .addAttributes(KeyValue.newBuilder().setKey("n").setValue(AnyValue.newBuilder().setIntValue(-12)))
                                .addAttributes(KeyValue.newBuilder().setKey("d").setValue(AnyValue.newBuilder().setDoubleValue(1.5))))).build(),
                Metric.newBuilder().setName("http.requests").setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(point(T - 60_000_000_000L, T, 120, attr("http.method", "GET")))).build(),
                Metric.newBuilder().setName("jobs.done").setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(point(T - 10_000_000_000L, T, 50))).build(),
                Metric.newBuilder().setName("queue.size").setSum(Sum.newBuilder().setIsMonotonic(false)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(point(0, T, 7))).build(),
                Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
                        .addDataPoints(HistogramDataPoint.newBuilder().setCount(3).setSum(1.5))
                        .addDataPoints(HistogramDataPoint.newBuilder().setCount(1).setSum(0.5))).build(),
                Metric.newBuilder().setName("rpc").setSummary(Summary.newBuilder()
                        .addDataPoints(io.opentelemetry.proto.metrics.v1.SummaryDataPoint.newBuilder())).build());
    }

    static final String EVERY_KIND = "value [service.name=checkout,host.name=node-7] process.cpu.utilization{cpu=0} 1700000000000=0.25; "
            + "value [service.name=checkout,host.name=node-7] process.cpu.utilization{flag=true,n=-12,d=1.5} 1700000000000=-3.0; "
            + "cumulative [service.name=checkout,host.name=node-7] http.requests{http.method=GET} 1700000000000=120.0; "
            + "delta [service.name=checkout,host.name=node-7] jobs.done{} 1700000000000=5.0; "
            + "value [service.name=checkout,host.name=node-7] queue.size{} 1700000000000=7.0 | unsupported_type=3";

    private String decodeProto(ExportMetricsServiceRequest request) {
        byte[] body = request.toByteArray();
        DecodeResult r = proto.decode(body, 0, body.length);
        return r == DecodeResult.OK ? Batches.describe(proto.batch()) : r + ": " + proto.message();
    }

    private String decodeJson(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        DecodeResult r = json.decode(bytes, 0, bytes.length);
        return r == DecodeResult.OK ? Batches.describe(jsonBatch) : r + ": " + json.message();
    }

    @Test
    void decodesEveryKindOfMetricFromProtobuf() {
        assertEquals(EVERY_KIND, decodeProto(everyKind()));
    }

    @Test
    void decodesTheSameFromTheJsonMapping() throws IOException {
        assertEquals(EVERY_KIND, decodeJson(JsonFormat.printer().print(everyKind())));
    }

    @Test
    void readsSumKindWhenItFollowsThePoints() {
        String body = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"sum":{"dataPoints":[
                  {"startTimeUnixNano":"1000000000","timeUnixNano":"3000000000","asInt":"10"}],
                  "isMonotonic":true,"aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA"},"name":"n"}]}],
                  "resource":{"attributes":[{"value":{"stringValue":"h1"},"key":"host.name"}]}}]}
                """;
        assertEquals("delta [host.name=h1] n{} 3000=5.0", decodeJson(body));
    }

    @Test
    void skipsADeltaWhosePerSecondValuePassesADoublesRange() {
        String body = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"n","sum":{"dataPoints":[
                  {"startTimeUnixNano":"1000000000","timeUnixNano":"1000000001","asDouble":1e308},
                  {"startTimeUnixNano":"1000000001","timeUnixNano":"3000000000","asInt":"10"}],
                  "isMonotonic":true,"aggregationTemporality":1}}]}]}]}
                """;
        assertEquals("delta [] n{} 3000=5.0000000025 | nan=1", decodeJson(body));
    }

    /** Jackson's table of names pads a name's last bytes with 0xFF: "dataPoin\xFF\xFFts" was found as "dataPoints". */
    @Test
    void refusesA0xFFByteThatJacksonsTableOfNamesWouldTakeForAName() {
        String valid = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"n","gauge":{"dataPoints":[
                  {"timeUnixNano":"3000000000","asDouble":1}]}}]}]}]}""";
        assertEquals("value [] n{} 3000=1.0", decodeJson(valid));
        byte[] aliased = valid.replace("dataPoints", "dataPoin__ts").getBytes(StandardCharsets.UTF_8);
        int at = valid.indexOf("dataPoints") + 8;
        aliased[at] = (byte) 0xFF;
        aliased[at + 1] = (byte) 0xFF;
        assertEquals(DecodeResult.MALFORMED, json.decode(aliased, 0, aliased.length));
        assertEquals("the body is not valid JSON at byte " + at + ": invalid UTF-8 start byte 0xff", json.message());
    }

    @Test
    void decodesJsonThatStartsInsideItsArray() {
        String body = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"n","sum":{"dataPoints":[
                  {"startTimeUnixNano":"1000000000","timeUnixNano":"3000000000","asInt":"10"}],
                  "isMonotonic":true,"aggregationTemporality":2}}]}]}]}
                """;
        byte[] padded = ("xxxxx" + body + "yyy").getBytes(StandardCharsets.UTF_8);
        assertEquals(DecodeResult.OK, json.decode(padded, 5, body.length()));
        assertEquals("cumulative [] n{} 3000=10.0", Batches.describe(jsonBatch));
    }

    @Test
    void namesOtlpSeriesAsTheContractMapsThem() {
        SeriesNaming naming = new SeriesNaming(List.of("instance", "job"), SOURCE_ATTRIBUTES);
        decodeProto(everyKind());
        LabelledBatch b = proto.batch();
        StringBuilder names = new StringBuilder();
        for (int s = 0; s < b.seriesCount(); s++) {
            assertTrue(naming.name(b, s));
            names.append(naming.source()).append(' ').append(naming.metric()).append('\n');
        }
        assertEquals("""
                node-7 process_cpu_utilization{cpu="0"}
                node-7 process_cpu_utilization{d="1.5",flag="true",n="-12"}
                node-7 http_requests{http_method="GET"}
                node-7 jobs_done
                node-7 queue_size
                """, names.toString());
    }

    @Test
    void skipsPointsWithoutValueOrFlaggedAsNoRecordedValue() {
        ExportMetricsServiceRequest r = request(Resource.getDefaultInstance(),
                Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T))
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(1).setFlags(1))
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(Double.NaN))
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsDouble(2))).build(),
                Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(point(0, T, 1))).build());
        assertEquals("value [] g{} 1700000000000=2.0 | nan=2, stale=1, bad_name=1", decodeProto(r));
    }

    @Test
    void refusesTruncatedAndMistypedProtobuf() {
        byte[] body = everyKind().toByteArray();
        for (int cut = 1; cut < body.length; cut += 7) {
            DecodeResult r = proto.decode(body, 0, cut);
            assertEquals(DecodeResult.MALFORMED, r, "cut " + cut);
            assertEquals(0, proto.batch().seriesCount());
        }
        byte[] mistyped = {0x0a, 0x02, 0x12, 0x00, 0x08, 0x01}; // resource_metrics{scope_metrics{}}, then field 1 as varint
        assertEquals(DecodeResult.MALFORMED, proto.decode(mistyped, 0, mistyped.length));
        assertEquals("the body is not a valid ExportMetricsServiceRequest: field 1 has wire type 0, expected 2 at byte 5",
                proto.message());
    }

    @Test
    void refusesJsonThatIsNotAnOtlpRequest() {
        assertEquals("MALFORMED: the body is not valid JSON at byte 20: the JSON ends inside an array",
                decodeJson("{\"resourceMetrics\":["));
        assertEquals("MALFORMED: the body is not a valid OTLP JSON request: resourceMetrics is not an array",
                decodeJson("{\"resourceMetrics\":{}}"));
        assertEquals("MALFORMED: the body is not a valid OTLP JSON request: timeUnixNano is not an integer",
                decodeJson("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"x\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"12a\"}]}}]}]}]}"));
        assertEquals("MALFORMED: the body is not a valid OTLP JSON request: not a JSON object", decodeJson("[]"));
        assertEquals(" | nan=1", decodeJson("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"x\",\"gauge\":{\"dataPoints\":[{\"asDouble\":\"NaN\"}]}}]}]}]}"));
    }

    @Test
    void allocatesNothingPerPointOnceWarm() {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < 1000; i++) {
            g.addDataPoints(point(0, T + i, i, attr("core", "c" + i % 8), attr("mode", "user")));
        }
        byte[] body = request(Resource.newBuilder().addAttributes(attr("host.name", "h")).build(),
                Metric.newBuilder().setName("cpu").setGauge(g).build()).toByteArray();
        for (int i = 0; i < 200; i++) {
            proto.decode(body, 0, body.length);
        }
        long allocated = Allocation.bytes(() -> {
            for (int i = 0; i < 100; i++) {
                proto.decode(body, 0, body.length);
            }
        });
        assertEquals(1000, proto.batch().seriesCount());
        assertTrue(allocated < 100 * 1000, "allocated " + allocated + " bytes for 100,000 points");
    }

    @Test
    void inflatesGzipWithinItsLimit() throws IOException {
        byte[] body = everyKind().toByteArray();
        Gunzip gunzip = new Gunzip(1 << 20);
        int n = gunzip.inflate(gzip(body), 0, gzip(body).length);
        assertEquals(body.length, n);
        assertEquals(EVERY_KIND, Batches.describe(decode(gunzip.output(), n)));

        byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
        assertTrue(bomb.length < 100_000, "bomb " + bomb.length);
        Gunzip bounded = new Gunzip(4 << 20);
        int[] r = new int[1];
        long allocated = Allocation.bytes(() -> r[0] = bounded.inflate(bomb, 0, bomb.length));
        assertEquals(Gunzip.TOO_LARGE, r[0]);
        assertEquals("the body inflates to more than 4194304 bytes (MAX_DECOMPRESSED_BYTES)", bounded.message());
        assertTrue(allocated < 12 << 20, "allocated " + allocated);

        byte[] good = gzip(body);
        assertEquals(Gunzip.MALFORMED, gunzip.inflate(good, 0, good.length - 3));
        good[good.length - 8] ^= 1;
        assertEquals(Gunzip.MALFORMED, gunzip.inflate(good, 0, good.length));
        assertEquals("the gzip checksum or size does not match", gunzip.message());
        assertEquals(Gunzip.MALFORMED, gunzip.inflate(body, 0, body.length));
        assertEquals("the body is not gzip", gunzip.message());
        gunzip.close();
        bounded.close();
    }

    @Test
    void readsNothingBeforeTheBodyForAHeaderWhoseNameNeverEnds() throws IOException {
        // Before the body in the same array: another body's deflate data and trailer, from index 1.
        byte[] other = gzip(everyKind().toByteArray());
        byte[] header = {0x1f, (byte) 0x8b, 8, 8 | 2, 0, 0, 0, 0, 0, 0, 'n', 'a', 'm', 'e', 'x', 'x', 'x', 'x', 'x', 'x'};
        byte[] all = new byte[1 + other.length - 10 + header.length];
        System.arraycopy(other, 10, all, 1, other.length - 10);
        System.arraycopy(header, 0, all, all.length - header.length, header.length);
        try (Gunzip gunzip = new Gunzip(1 << 20)) {
            assertEquals(Gunzip.MALFORMED, gunzip.inflate(all, all.length - header.length, header.length));
            assertEquals("truncated gzip header", gunzip.message());
        }
    }

    private LabelledBatch decode(byte[] buf, int len) {
        assertEquals(DecodeResult.OK, proto.decode(buf, 0, len));
        return proto.batch();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void writesResponsesThatTheGeneratedClassesRead() throws Exception {
        ByteBuf out = Unpooled.buffer();
        OtlpResponse.writeProto(out, 3, "3 data points skipped: 3 unsupported_type");
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        ExportMetricsServiceResponse parsed = ExportMetricsServiceResponse.parseFrom(bytes);
        assertEquals(3, parsed.getPartialSuccess().getRejectedDataPoints());
        assertEquals("3 data points skipped: 3 unsupported_type", parsed.getPartialSuccess().getErrorMessage());

        ExportMetricsServiceResponse.Builder fromJson = ExportMetricsServiceResponse.newBuilder();
        JsonFormat.parser().merge(OtlpResponse.json(2, "a \"quoted\" reason"), fromJson);
        assertEquals(2, fromJson.getPartialSuccess().getRejectedDataPoints());
        assertEquals("a \"quoted\" reason", fromJson.getPartialSuccess().getErrorMessage());

        out.clear();
        OtlpResponse.writeProto(out, 0, "");
        assertEquals(0, out.readableBytes());
        assertEquals("{}", OtlpResponse.json(0, ""));
    }
}
