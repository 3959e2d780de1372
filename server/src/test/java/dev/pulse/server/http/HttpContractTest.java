package dev.pulse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.RawHttp;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint and status code of the contract, over real sockets. */
@Timeout(120)
class HttpContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of("MAX_BODY_BYTES", "4096", "MAX_SOURCES", "20", "MAX_METRICS_PER_SOURCE", "6"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void ingestsOneEventAndAnalyzesIt() throws Exception {
        HttpResponse<String> r = server.post(
                "{\"timestamp\": 1234567890, \"source\": \"one\", \"cpu\": 45.5, \"rps\": 105.3, \"memory\": 50.2, \"latency\": 25.1}");
        assertEquals(200, r.statusCode());
        assertEquals("{\"accepted\":1,\"anomalies\":[]}", r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());

        JsonNode a = json(server.get("/analyze?source=one"));
        assertEquals("one", a.get("source").asText());
        assertEquals("memory", a.get("from").asText());
        assertEquals(50, a.get("window").asInt());
        assertEquals(2.0, a.get("threshold").asDouble());
        JsonNode cpu = a.get("metrics").get("cpu");
        assertEquals(1, cpu.get("count").asLong());
        assertEquals(45.5, cpu.get("last").asDouble());
        assertEquals(45.5, cpu.get("rolling_avg").asDouble());
        assertEquals(0.0, cpu.get("stddev").asDouble());
        assertEquals(0.0, cpu.get("zscore").asDouble());
        assertFalse(cpu.get("anomaly").asBoolean());
        assertEquals(4, a.get("metrics").size());

        JsonNode only = json(server.get("/analyze?source=one&metric=rps"));
        assertEquals(1, only.get("metrics").size());
        assertEquals(105.3, only.get("metrics").get("rps").get("last").asDouble());
    }

    @Test
    void flagsAnAnomalyWithTheContractsFields() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"source\":\"spiky\",\"cpu\":").append(10 + i % 2).append('}');
        }
        batch.append(",{\"source\":\"spiky\",\"cpu\":100}]");
        JsonNode r = json(server.post(batch.toString()));
        assertEquals(21, r.get("accepted").asInt());
        assertEquals(1, r.get("anomalies").size());
        JsonNode a = r.get("anomalies").get(0);
        assertEquals(20, a.get("index").asInt());
        assertEquals("spiky", a.get("source").asText());
        assertEquals("cpu", a.get("metric").asText());
        assertEquals(100.0, a.get("value").asDouble());
        assertEquals(10.5, a.get("mean").asDouble(), 1e-12);
        assertEquals(0.5, a.get("stddev").asDouble(), 1e-12);
        assertEquals(179.0, a.get("zscore").asDouble(), 1e-9);
        assertTrue(a.get("score").asDouble() > 0.99);

        JsonNode cpu = json(server.get("/analyze?source=spiky")).get("metrics").get("cpu");
        assertTrue(cpu.get("anomaly").asBoolean());
        assertEquals(1, cpu.get("anomalies_total").asInt());
    }

    @Test
    void reportsNullZscoreForAConstantWindow() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            batch.append("{\"source\":\"flat\",\"cpu\":7},");
        }
        batch.append("{\"source\":\"flat\",\"cpu\":8}]");
        JsonNode a = json(server.post(batch.toString())).get("anomalies").get(0);
        assertTrue(a.get("zscore").isNull());
        assertEquals(12, a.get("index").asInt());
    }

    @Test
    void acceptsNdjsonAndMissingContentType() throws Exception {
        assertEquals(200, server.post("{\"source\":\"nd\",\"cpu\":1}\n\n{\"source\":\"nd\",\"cpu\":2}\n",
                "application/x-ndjson").statusCode());
        assertEquals(200, server.post("{\"source\":\"nd\",\"cpu\":3}", null).statusCode());
        assertEquals(200, server.post("{\"source\":\"nd\",\"cpu\":4}", "application/json; charset=utf-8").statusCode());
        assertEquals(4, json(server.get("/analyze?source=nd")).get("metrics").get("cpu").get("count").asInt());
    }

    @Test
    void refusesMalformedJsonWithTheByteOffset() throws Exception {
        HttpResponse<String> r = server.post("{\"cpu\": x}");
        assertEquals(400, r.statusCode());
        JsonNode body = json(r);
        assertEquals(8, body.get("offset").asInt());
        assertEquals(0, body.get("index").asInt());
        assertTrue(body.get("error").asText().startsWith("malformed JSON"));
    }

    @Test
    void refusesAWholeBatchWhenOneEventIsBad() throws Exception {
        long eventsBefore = json(server.get("/stats")).get("events_total").asLong();
        HttpResponse<String> r = server.post("[{\"source\":\"atomic\",\"cpu\":1},{\"source\":\"atomic\",\"cpu\":\"high\"}]");
        assertEquals(400, r.statusCode());
        assertEquals(1, json(r).get("index").asInt());
        assertTrue(json(r).get("error").asText().contains("cpu"));
        assertEquals(404, server.get("/analyze?source=atomic").statusCode());
        assertEquals(eventsBefore, json(server.get("/stats")).get("events_total").asLong());
    }

    @Test
    void refusesEveryKindOfBadEventWith400() throws Exception {
        for (String body : List.of("{\"cpu\":true}", "{\"cpu\":1e999}", "{\"source\":\"bad name\",\"cpu\":1}",
                "{\"bad-metric\":1}", "{\"source\":\"x\"}", "[]", "", "{\"cpu\":NaN}")) {
            HttpResponse<String> r = server.post(body);
            assertEquals(400, r.statusCode(), body);
            assertTrue(json(r).get("error").asText().length() > 5, body);
        }
    }

    @Test
    void answers404And405() throws Exception {
        assertEquals(404, server.get("/nope").statusCode());
        assertEquals(404, server.get("/analyze?source=never-seen").statusCode());
        server.post("{\"source\":\"known\",\"cpu\":1}");
        assertEquals(404, server.get("/analyze?source=known&metric=nope").statusCode());
        HttpResponse<String> r = server.client.send(HttpRequest.newBuilder(server.uri("/metrics-data")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("allow").orElseThrow());
        r = server.client.send(HttpRequest.newBuilder(server.uri("/stats")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void anHttp10ClientThatAsksToKeepTheConnectionIsToldItIsKept() throws Exception {
        // ApacheBench -k: without the header in the reply, it reads to a close that never comes
        String post = "POST /metrics-data HTTP/1.0\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n"
                + "Content-Length: 9\r\n\r\n{\"cpu\":1}";
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(post + "GET /health HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
            for (RawHttp.Response r : c.read(2)) {
                assertEquals(200, r.status());
                assertEquals("keep-alive", r.header("connection"));
            }
            c.send("GET /health HTTP/1.0\r\n\r\n"); // without the header: answered, then closed
            RawHttp.Response last = c.read();
            assertEquals(200, last.status());
            assertEquals("close", last.header("connection"));
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(server.port())) { // HTTP/1.1 keeps the connection without saying so
            c.send(RawHttp.get("/health"));
            assertNull(c.read().header("connection"));
        }
    }

    @Test
    void headIsAGetWithoutItsBody() throws Exception {
        for (String path : List.of("/health", "/stats", "/metrics", "/analyze?source=*", "/anomalies")) {
            HttpResponse<String> get = server.get(path);
            HttpResponse<String> head = head(path);
            assertEquals(200, head.statusCode(), path);
            assertEquals("", head.body(), path);
            assertEquals(get.headers().firstValue("content-type"), head.headers().firstValue("content-type"), path);
            assertTrue(Long.parseLong(head.headers().firstValue("content-length").orElseThrow()) > 0, path);
        }
        HttpResponse<String> health = server.get("/health");
        assertEquals(String.valueOf(health.body().length()), head("/health").headers().firstValue("content-length")
                .orElseThrow());
        HttpResponse<String> post = head("/metrics-data");
        assertEquals(405, post.statusCode());
        assertEquals("POST", post.headers().firstValue("allow").orElseThrow());
        try (RawHttp c = new RawHttp(server.port())) { // pipelined after a HEAD, a GET still reads its own reply
            c.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.get("/health"));
            assertEquals(200, c.readHeadOnly().status());
            RawHttp.Response after = c.read();
            assertEquals(200, after.status());
            assertEquals(health.body(), after.body());
        }
    }

    private HttpResponse<String> head(String path) throws Exception {
        return server.client.send(HttpRequest.newBuilder(server.uri(path)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMalformedEscapeInTheQueryIs400NotAServerError() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(RawHttp.get("/analyze?source=%ZZ") + RawHttp.get("/anomalies?source=a%2")
                    + "DELETE /series?source=%G1 HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.get("/health"));
            List<RawHttp.Response> rs = c.read(4);
            assertEquals(List.of(400, 400, 400, 200), rs.stream().map(RawHttp.Response::status).toList(),
                    "the connection stays usable");
            assertTrue(rs.get(0).body().contains("malformed %-escape"), rs.get(0).body());
        }
    }

    @Test
    void answers415ForAnotherContentType() throws Exception {
        HttpResponse<String> r = server.post("{\"cpu\":1}", "text/plain");
        assertEquals(415, r.statusCode());
        assertTrue(json(r).has("error"));
    }

    @Test
    void answers415ForACompressedBodyAndTakesIdentity() throws Exception {
        String body = "{\"source\":\"encoded\",\"cpu\":1}";
        String head = "POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n";
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(head + "Content-Encoding: gzip\r\n\r\n" + body + head + "Content-Encoding: identity\r\n\r\n" + body);
            List<RawHttp.Response> rs = c.read(2);
            assertEquals(415, rs.get(0).status());
            assertTrue(rs.get(0).body().contains("Content-Encoding gzip is not accepted"), rs.get(0).body());
            assertEquals(200, rs.get(1).status(), rs.get(1).body());
        }
        assertEquals(1, json(server.get("/analyze?source=encoded")).get("metrics").get("cpu").get("count").asInt(),
                "the refused body was not applied");
    }

    @Test
    void answers413FromTheDeclaredLengthAndWhileStreamingChunks() throws Exception {
        String big = "{\"source\":\"big\",\"cpu\":1,\"pad\":" + "1".repeat(5000) + "}";
        assertEquals(413, server.post(big).statusCode());
        HttpRequest chunked = HttpRequest.newBuilder(server.uri("/metrics-data"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        assertEquals(413, server.client.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, server.get("/analyze?source=big").statusCode());
    }

    @Test
    void answers422WhenALimitWouldBePassedAndAppliesNothing() throws Exception {
        StringBuilder tooMany = new StringBuilder("{\"source\":\"wide\"");
        for (int i = 0; i < 7; i++) {
            tooMany.append(",\"m").append(i).append("\":1");
        }
        HttpResponse<String> r = server.post(tooMany.append('}').toString());
        assertEquals(422, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("MAX_METRICS_PER_SOURCE"));
        assertEquals(404, server.get("/analyze?source=wide").statusCode());

        StringBuilder sources = new StringBuilder("[");
        for (int i = 0; i < 25; i++) {
            sources.append(i == 0 ? "" : ",").append("{\"source\":\"many-").append(i).append("\",\"cpu\":1}");
        }
        r = server.post(sources.append(']').toString());
        assertEquals(422, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("MAX_SOURCES"));
        assertEquals(404, server.get("/analyze?source=many-0").statusCode());
    }

    @Test
    void servesStatsHealthAndTheFleetView() throws Exception {
        server.post("{\"source\":\"fleet-a\",\"cpu\":1}");
        JsonNode stats = json(server.get("/stats"));
        for (String field : List.of("uptime_seconds", "events_total", "requests_total", "rejected_total",
                "anomalies_total", "sources", "series", "latency_ms", "redis", "cache")) {
            assertTrue(stats.has(field), field);
        }
        for (String field : List.of("p50", "p90", "p99", "p999", "max")) {
            assertTrue(stats.get("latency_ms").has(field), field);
        }
        for (String field : List.of("connected", "queue_depth", "values_written", "batches_written", "write_failures", "values_dropped")) {
            assertTrue(stats.get("redis").has(field), field);
        }
        assertTrue(stats.get("events_total").asLong() >= 1);

        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\",\"redis\":\"DISABLED\"}", health.body());

        JsonNode fleet = json(server.get("/analyze?source=*"));
        assertEquals(50, fleet.get("window").asInt());
        assertTrue(fleet.has("age_ms"));
        assertEquals(1, fleet.get("sources").get("fleet-a").get("metrics").get("cpu").get("count").asInt());
        long hits = json(server.get("/stats")).get("cache").get("hits").asLong();
        server.get("/analyze?source=*");
        assertTrue(json(server.get("/stats")).get("cache").get("hits").asLong() + json(server.get("/stats")).get("cache").get("misses").asLong() > hits);
    }

    @Test
    void keepsConnectionsAliveAndAnswersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send(RawHttp.post("{\"source\":\"pipe\",\"cpu\":1}"));
            assertEquals(200, c.read().status());
            c.send(RawHttp.post("{\"source\":\"pipe\",\"cpu\":2}")
                    + RawHttp.get("/analyze?source=pipe&metric=cpu")
                    + RawHttp.post("{\"source\":\"pipe\",\"cpu\":oops}")
                    + RawHttp.get("/nope")
                    + RawHttp.post("{\"source\":\"pipe\",\"cpu\":3}")
                    + RawHttp.get("/analyze?source=pipe&metric=cpu"));
            List<RawHttp.Response> rs = c.read(6);
            assertEquals(List.of(200, 200, 400, 404, 200, 200), rs.stream().map(RawHttp.Response::status).toList());
            assertEquals(2, JSON.readTree(rs.get(1).body()).get("metrics").get("cpu").get("count").asInt());
            assertEquals(3.0, JSON.readTree(rs.get(5).body()).get("metrics").get("cpu").get("last").asDouble());
        }
    }

    @Test
    void decodesChunkedUploadsSplitMidToken() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            String body = "[{\"source\":\"chunky\",\"cpu\":12.5},{\"source\":\"chunky\",\"cpu\":13.5}]";
            StringBuilder req = new StringBuilder("POST /metrics-data HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/json\r\n\r\n");
            for (int i = 0; i < body.length(); i += 7) {
                String part = body.substring(i, Math.min(body.length(), i + 7));
                req.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
            }
            c.send(req.append("0\r\n\r\n").toString());
            RawHttp.Response r = c.read();
            assertEquals(200, r.status(), r.body());
            assertEquals("{\"accepted\":2,\"anomalies\":[]}", r.body());
        }
        assertEquals(13.0, json(server.get("/analyze?source=chunky")).get("metrics").get("cpu").get("rolling_avg").asDouble());
    }

    @Test
    void answersExpectContinueAndRefusesAnOversizedDeclaredLength() throws Exception {
        long tooLarge = tooLargeRejections();
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 999999\r\n\r\n");
            assertEquals(413, c.read().status());
        }
        assertEquals(tooLarge + 1, tooLargeRejections(), "counted as a rejected request");
        // the contract's order holds for a client that waits for 100 Continue: path and method, content type, length
        String[][] cases = {
                {"POST /nowhere", "application/json", "404"},
                {"GET /metrics-data", "application/json", "405"},
                {"POST /metrics-data", "text/plain", "415"},
        };
        for (String[] k : cases) {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send(k[0] + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + k[1] + "\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 999999\r\n\r\n");
                assertEquals(Integer.parseInt(k[2]), c.read().status(), k[0] + " " + k[1]);
            }
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: a-miracle\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            assertEquals(417, c.read().status());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            String body = "{\"source\":\"cont\",\"cpu\":1}";
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n");
            assertEquals(100, c.readInterim());
            c.send(body);
            assertEquals(200, c.read().status());
        }
    }

    private long tooLargeRejections() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\nevents_rejected_total\\{reason=\"too_large\"} (\\S+)\n")
                .matcher(server.get("/metrics").body());
        assertTrue(m.find());
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void refusesOversizedHeadersWith431() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
            assertEquals(431, c.read().status());
        }
    }
}
