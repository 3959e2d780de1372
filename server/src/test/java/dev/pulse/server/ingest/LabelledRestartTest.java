package dev.pulse.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.protocol.remote.WriteRequestWriter;
import dev.pulse.server.support.RedisProcess;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Labelled names ({@code {}, {@code "}, {@code =}, {@code :}, spaces) survive the Redis write-behind and a warm
 * restart, and a retry after the restart is still not counted twice.
 */
@Timeout(60)
class LabelledRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "web-1:9100";
    private static final String METRIC = "http_latency_seconds_sum{handler=\"/api: \\\"v1\\\"\",le=\"0.5\"}";

    @Test
    void labelledSeriesComeBackAfterAWarmRestart() throws Exception {
        byte[] body = org.xerial.snappy.Snappy.compress(new WriteRequestWriter()
                .series(new String[]{"__name__", "http_latency_seconds_sum", "instance", SOURCE,
                                "handler", "/api: \"v1\"", "le", "0.5"},
                        new long[]{1_700_000_000_000L, 1_700_000_001_000L, 1_700_000_002_000L}, new double[]{1, 3, 6})
                .toByteArray());
        try (RedisProcess redis = new RedisProcess()) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address());
            try (TestServer first = new TestServer(env)) {
                assertEquals(204, write(first, body).statusCode());
                assertEquals(2, analyze(first).get("count").asInt());
                assertEquals(0, first.stop(), "the queue is flushed on stop");
            }
            try (TestServer second = new TestServer(env)) {
                JsonNode m = analyze(second);
                assertEquals(2, m.get("count").asInt());
                assertEquals(3.0, m.get("last").asDouble());
                assertEquals(204, write(second, body).statusCode()); // Prometheus re-sending after our restart
                assertEquals(2, analyze(second).get("count").asInt());
            }
        }
    }

    private static HttpResponse<String> write(TestServer server, byte[] body) throws Exception {
        return server.client.send(HttpRequest.newBuilder(server.uri("/api/v1/write"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode analyze(TestServer server) throws Exception {
        HttpResponse<String> r = server.get("/analyze?source=" + URLEncoder.encode(SOURCE, StandardCharsets.UTF_8)
                + "&metric=" + URLEncoder.encode(METRIC, StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("metrics").get(METRIC);
    }
}
