package dev.pulse.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.protocol.remote.WriteRequestWriter;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v1/write} through the real server and sockets. */
@Timeout(60)
class RemoteWriteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;

    private TestServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new TestServer(Map.of("MAX_METRICS_PER_SOURCE", "8", "MAX_SOURCES", "4",
                "MAX_DECOMPRESSED_BYTES", "1048576"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static byte[] snappy(byte[] message) throws IOException {
        return org.xerial.snappy.Snappy.compress(message);
    }

    HttpResponse<String> write(byte[] body) throws IOException, InterruptedException {
        return write(body, "application/x-protobuf", "snappy");
    }

    HttpResponse<String> write(byte[] body, String type, String encoding) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/api/v1/write"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("X-Prometheus-Remote-Write-Version", "0.1.0");
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return server.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode analyze(String source, String metric) throws IOException, InterruptedException {
        HttpResponse<String> r = server.get("/analyze?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                + "&metric=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("metrics").get(metric);
    }

    long skipped(String reason) throws IOException, InterruptedException {
        String metrics = server.get("/metrics").body();
        String line = "samples_skipped_total{reason=\"" + reason + "\"} ";
        for (String l : metrics.split("\n")) {
            if (l.startsWith(line)) {
                return (long) Double.parseDouble(l.substring(line.length()));
            }
        }
        throw new AssertionError("no " + line + " in /metrics");
    }

    @Test
    void appliesGaugesUnderTheirSourceAndLabelledName() throws Exception {
        byte[] m = new WriteRequestWriter()
                .series(new String[]{"__name__", "node_load1", "instance", "web-1:9100", "job", "node"},
                        new long[]{T0, T0 + 15_000}, new double[]{0.5, 0.75})
                .series(new String[]{"__name__", "node_filesystem_avail_bytes", "instance", "web-1:9100", "job", "node",
                                "mountpoint", "/var \"data\"", "device", "sda1"},
                        new long[]{T0}, new double[]{1e9})
                .toByteArray();
        HttpResponse<String> r = write(snappy(m));
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("", r.body());

        JsonNode load = analyze("web-1:9100", "node_load1");
        assertEquals(2, load.get("count").asInt());
        assertEquals(0.75, load.get("last").asDouble());
        assertEquals("value", load.get("kind").asText());
        JsonNode fs = analyze("web-1:9100", "node_filesystem_avail_bytes{device=\"sda1\",mountpoint=\"/var \\\"data\\\"\"}");
        assertEquals(1e9, fs.get("last").asDouble());

        String metrics = server.get("/metrics").body();
        assertTrue(metrics.contains("metric=\"node_filesystem_avail_bytes{device=\\\"sda1\\\",mountpoint=\\\"/var \\\\\\\"data\\\\\\\"\\\"}\""),
                metrics);
    }

    @Test
    void judgesCountersByTheirRateWithResetsPriming() throws Exception {
        String[] labels = {"__name__", "http_requests_total", "instance", "api-1", "code", "200"};
        // 0, +30 in 15 s, +60 in 15 s, reset to 5, +15 in 15 s
        byte[] m = new WriteRequestWriter().series(labels,
                new long[]{T0, T0 + 15_000, T0 + 30_000, T0 + 45_000, T0 + 60_000},
                new double[]{100, 130, 190, 5, 20}).toByteArray();
        assertEquals(204, write(snappy(m)).statusCode());
        JsonNode c = analyze("api-1", "http_requests_total{code=\"200\"}");
        assertEquals("rate", c.get("kind").asText());
        assertEquals(3, c.get("count").asInt()); // the first sample and the reset only prime
        assertEquals(1.0, c.get("last").asDouble());
        assertEquals((2.0 + 4.0 + 1.0) / 3, c.get("rolling_avg").asDouble(), 1e-12);
    }

    @Test
    void aCounterRatePastADoublesRangeIsSkippedAsNan() throws Exception {
        String[] labels = {"__name__", "bytes_total", "instance", "api-2"};
        // 0, then 1.7e308 a millisecond later (1.7e311 a second), then no increase in a second
        byte[] m = new WriteRequestWriter().series(labels, new long[]{T0, T0 + 1, T0 + 1001},
                new double[]{0, 1.7e308, 1.7e308}).toByteArray();
        assertEquals(204, write(snappy(m)).statusCode());
        JsonNode c = analyze("api-2", "bytes_total");
        assertEquals(1, c.get("count").asInt(), "the infinite rate was not judged; the one after it was");
        assertEquals(0.0, c.get("last").asDouble());
        assertEquals(0.0, c.get("rolling_avg").asDouble(), "an infinite value would have left the mean NaN");
        assertEquals(1, skipped("nan"));
    }

    @Test
    void skipsWhatWasAlreadyAcceptedSoARetryCountsOnce() throws Exception {
        byte[] body = snappy(new WriteRequestWriter().series(new String[]{"__name__", "temp", "job", "room"},
                new long[]{T0, T0 + 1000}, new double[]{20, 21}).toByteArray());
        assertEquals(204, write(body).statusCode());
        assertEquals(204, write(body).statusCode());
        assertEquals(2, analyze("room", "temp").get("count").asInt());
        assertEquals(2, skipped("out_of_order"));

        byte[] older = snappy(new WriteRequestWriter().series(new String[]{"__name__", "temp", "job", "room"},
                new long[]{T0 + 500, T0 + 2000}, new double[]{99, 22}).toByteArray());
        assertEquals(204, write(older).statusCode());
        JsonNode t = analyze("room", "temp");
        assertEquals(3, t.get("count").asInt());
        assertEquals(22.0, t.get("last").asDouble());
        assertEquals(3, skipped("out_of_order"));
    }

    @Test
    void countsStaleMarkersNanBadNamesAndLimitsAndAppliesTheRest() throws Exception {
        WriteRequestWriter w = new WriteRequestWriter()
                .series(new String[]{"__name__", "up", "instance", "a"}, new long[]{T0, T0 + 1, T0 + 2},
                        new double[]{1, Double.longBitsToDouble(0x7ff0000000000002L), Double.NaN})
                .series(new String[]{"__name__", "bad name", "instance", "a"}, new long[]{T0}, new double[]{1});
        for (int i = 0; i < 10; i++) { // source "b" may hold 8 metrics
            w.series(new String[]{"__name__", "m" + i, "instance", "b"}, new long[]{T0}, new double[]{i});
        }
        assertEquals(204, write(snappy(w.toByteArray())).statusCode());
        assertEquals(1, analyze("a", "up").get("count").asInt());
        assertEquals(1, skipped("stale"));
        assertEquals(1, skipped("nan"));
        assertEquals(1, skipped("bad_name"));
        assertEquals(2, skipped("limit"));
        assertEquals(7.0, analyze("b", "m7").get("last").asDouble());
    }

    @Test
    void takesBodiesUnderASmallBodyLimitAndRefusesTheRest() throws Exception {
        // MAX_BODY_BYTES below the body buffer's first size (16 KiB): that size is capped by the limit.
        try (TestServer small = new TestServer(Map.of("MAX_BODY_BYTES", "1024"))) {
            byte[] body = snappy(new WriteRequestWriter().series(new String[]{"__name__", "up", "job", "api"},
                    new long[]{T0}, new double[]{1}).toByteArray());
            HttpRequest.Builder b = HttpRequest.newBuilder(small.uri("/api/v1/write"))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy");
            HttpResponse<String> r = small.client.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode(), r.body());
            r = small.client.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            byte[] otlp = """
                    {"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "queue.depth", "gauge": {"dataPoints": [
                      {"timeUnixNano": "1700000000000000000", "asDouble": 42}]}}]}]}]}
                    """.getBytes(StandardCharsets.UTF_8);
            r = small.client.send(HttpRequest.newBuilder(small.uri("/v1/metrics"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(otlp))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
        }
    }

    @Test
    void refusesBadBodiesWithTheContractsStatuses() throws Exception {
        HttpResponse<String> notSnappy = write("{\"cpu\": 1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notSnappy.statusCode());
        assertTrue(JSON.readTree(notSnappy.body()).get("error").asText().startsWith("the body is not valid snappy"));

        byte[] truncated = new WriteRequestWriter().series(new String[]{"__name__", "x"}, new long[]{T0},
                new double[]{1}).toByteArray();
        HttpResponse<String> r = write(snappy(java.util.Arrays.copyOf(truncated, truncated.length - 3)));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("not a valid WriteRequest"), r.body());

        byte[] fourGib = new byte[20];
        fourGib[0] = (byte) 0xff;
        fourGib[1] = (byte) 0xff;
        fourGib[2] = (byte) 0xff;
        fourGib[3] = (byte) 0xff;
        fourGib[4] = 0x0f;
        r = write(fourGib);
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("MAX_DECOMPRESSED_BYTES"), r.body());

        assertEquals(413, write(new byte[2 << 20]).statusCode()); // over MAX_BODY_BYTES (1 MiB)
        assertEquals(415, write(snappy(truncated), "application/json", "snappy").statusCode());
        assertEquals(415, write(snappy(truncated), "application/x-protobuf", null).statusCode());
        assertEquals(415, write(snappy(truncated), "application/x-protobuf", "gzip").statusCode());
        assertEquals(404, server.get("/analyze?source=default").statusCode()); // nothing was applied
    }

    @Test
    void refusesARemoteWrite2RequestWith415AndTakesA1RequestThatNamesItsMessage() throws Exception {
        byte[] body = snappy(new WriteRequestWriter().series(new String[]{"__name__", "up", "instance", "a"},
                new long[]{T0}, new double[]{1}).toByteArray());
        // A 1.0 body under 2.0's name: only the parameter can refuse it. (A real 2.0 body read as a 1.0 WriteRequest
        // holds no series, its fields being numbered 4 and 5, and would be answered 204 for samples it dropped.)
        HttpResponse<String> v2 = write(body, "application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy");
        assertEquals(415, v2.statusCode());
        assertTrue(v2.body().contains("proto=prometheus.WriteRequest"), v2.body());
        assertEquals(404, server.get("/analyze?source=a").statusCode());

        assertEquals(204, write(body, "application/x-protobuf; proto=\"prometheus.WriteRequest\"", "snappy").statusCode());
        assertEquals(1.0, analyze("a", "up").get("last").asDouble());
    }
}
