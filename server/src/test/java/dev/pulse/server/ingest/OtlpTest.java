package dev.pulse.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.TestServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/metrics} from the OpenTelemetry Java SDK and from hand-written OTLP JSON. */
@Timeout(60)
class OtlpTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new TestServer(Map.of("AUTH_TOKEN", "s3cret-token"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    JsonNode analyze(String source, String metric) throws IOException, InterruptedException {
        HttpResponse<String> r = server.get("/analyze?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                + "&metric=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("metrics").get(metric);
    }

    long skipped(String reason) throws IOException, InterruptedException {
        String line = "samples_skipped_total{reason=\"" + reason + "\"} ";
        for (String l : server.get("/metrics").body().split("\n")) {
            if (l.startsWith(line)) {
                return (long) Double.parseDouble(l.substring(line.length()));
            }
        }
        throw new AssertionError("no " + line);
    }

    @Test
    void takesGaugesCountersAndHistogramsFromTheSdk() throws Exception {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.port() + "/v1/metrics")
                .addHeader("Authorization", "Bearer s3cret-token")
                .build();
        SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "checkout",
                        AttributeKey.stringKey("host.name"), "node-7"))))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build();
        try {
            Meter meter = provider.get("pulse-test");
            DoubleGauge temperature = meter.gaugeBuilder("room.temperature").build();
            LongCounter requests = meter.counterBuilder("http.server.requests").build();
            DoubleHistogram latency = meter.histogramBuilder("http.server.duration").build();
            Attributes kitchen = Attributes.of(AttributeKey.stringKey("room"), "kitchen");
            Attributes get = Attributes.of(AttributeKey.stringKey("http.method"), "GET");

            temperature.set(21.5, kitchen);
            requests.add(10, get);
            latency.record(0.25);
            long before1 = System.currentTimeMillis();
            assertTrue(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess());
            long after1 = System.currentTimeMillis();

            Thread.sleep(1100); // the counter's rate is per second of data time: the two exports must be apart
            temperature.set(22.5, kitchen);
            requests.add(30, get);
            long before2 = System.currentTimeMillis();
            assertTrue(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess());
            long after2 = System.currentTimeMillis();

            JsonNode t = analyze("node-7", "room_temperature{room=\"kitchen\"}");
            assertEquals(2, t.get("count").asInt());
            assertEquals(22.5, t.get("last").asDouble());
            assertEquals("value", t.get("kind").asText());

            JsonNode c = analyze("node-7", "http_server_requests{http_method=\"GET\"}");
            assertEquals("rate", c.get("kind").asText());
            assertEquals(1, c.get("count").asInt()); // the first export only primes
            double rate = c.get("last").asDouble();
            assertTrue(rate >= 30.0 / ((after2 - before1) / 1000.0) && rate <= 30.0 / ((before2 - after1) / 1000.0),
                    "rate " + rate);
            // the histogram's point in each export (cumulative), and any histogram the SDK keeps of itself
            assertTrue(skipped("unsupported_type") >= 2, "unsupported_type " + skipped("unsupported_type"));
            assertEquals(0, skipped("out_of_order"));
        } finally {
            provider.close();
        }
    }

    static final String HAND_WRITTEN = """
            {"resourceMetrics": [{
              "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": "billing"}},
                {"key": "service.instance.id", "value": {"stringValue": "billing-7f9c"}}]},
              "scopeMetrics": [{"scope": {"name": "manual"}, "metrics": [
                {"name": "queue.depth", "unit": "1", "gauge": {"dataPoints": [
                  {"timeUnixNano": "1700000000000000000", "asInt": "42",
                   "attributes": [{"key": "queue.name", "value": {"stringValue": "invoices"}}]}]}},
                {"name": "jobs.completed", "sum": {"aggregationTemporality": 1, "isMonotonic": true, "dataPoints": [
                  {"startTimeUnixNano": "1699999990000000000", "timeUnixNano": "1700000000000000000", "asInt": "50"}]}},
                {"name": "job.duration", "histogram": {"aggregationTemporality": 2, "dataPoints": [
                  {"timeUnixNano": "1700000000000000000", "count": "3", "sum": 1.5,
                   "bucketCounts": ["1", "2"], "explicitBounds": [1.0]}]}}]}]}]}
            """;

    HttpResponse<String> postOtlp(byte[] body, String type, String encoding, boolean token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/v1/metrics"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", type);
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        if (token) {
            b.header("Authorization", "Bearer s3cret-token");
        }
        return server.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void takesHandWrittenJsonAndSaysWhatItSkipped() throws Exception {
        HttpResponse<String> r = postOtlp(HAND_WRITTEN.getBytes(StandardCharsets.UTF_8), "application/json", null, true);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode partial = JSON.readTree(r.body()).get("partialSuccess");
        assertEquals("1", partial.get("rejectedDataPoints").asText());
        assertEquals("1 data points skipped: 1 unsupported_type", partial.get("errorMessage").asText());

        JsonNode q = analyze("billing-7f9c", "queue_depth{queue_name=\"invoices\"}");
        assertEquals(42.0, q.get("last").asDouble());
        assertEquals("value", q.get("kind").asText());
        JsonNode jobs = analyze("billing-7f9c", "jobs_completed");
        assertEquals(5.0, jobs.get("last").asDouble()); // a delta of 50 over 10 s
        assertEquals("rate", jobs.get("kind").asText());

        // the same request again: every point is a retry, skipped and said so
        r = postOtlp(gzip(HAND_WRITTEN.getBytes(StandardCharsets.UTF_8)), "application/json", "gzip", true);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("3 data points skipped: 1 unsupported_type, 2 out_of_order",
                JSON.readTree(r.body()).get("partialSuccess").get("errorMessage").asText());
        assertEquals(1, analyze("billing-7f9c", "jobs_completed").get("count").asInt());
    }

    @Test
    void refusesBadBodies() throws Exception {
        assertEquals(401, postOtlp(HAND_WRITTEN.getBytes(StandardCharsets.UTF_8), "application/json", null, false)
                .statusCode());
        assertEquals(415, postOtlp(new byte[]{1}, "text/plain", null, true).statusCode());
        assertEquals(415, postOtlp(new byte[]{1}, "application/json", "br", true).statusCode());
        HttpResponse<String> r = postOtlp(new byte[]{0x0a, 0x05, 0x12}, "application/x-protobuf", null, true);
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("not a valid ExportMetricsServiceRequest"), r.body());
        assertEquals(400, postOtlp("{\"resourceMetrics\": 5}".getBytes(StandardCharsets.UTF_8), "application/json",
                null, true).statusCode());
        assertEquals(400, postOtlp(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                "application/json", "gzip", true).statusCode());
        byte[] bomb = gzip(new byte[48 << 20]); // 48 MiB of zeros: past MAX_DECOMPRESSED_BYTES (32 MiB)
        r = postOtlp(bomb, "application/x-protobuf", "gzip", true);
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("MAX_DECOMPRESSED_BYTES"), r.body());
        assertEquals(404, server.get("/analyze?source=billing-7f9c").statusCode());
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
