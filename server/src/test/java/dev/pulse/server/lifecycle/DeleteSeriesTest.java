package dev.pulse.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DELETE /series over HTTP, in memory (the Redis side: RedisLifecycleTest). */
class DeleteSeriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResponse<String> delete(TestServer server, String query) throws Exception {
        return server.client.send(HttpRequest.newBuilder(server.uri("/series" + query)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deletesAMetricThenTheSourceAndAnswers404After() throws Exception {
        try (TestServer server = new TestServer(Map.of("MAX_SOURCES", "2", "ANALYZE_CACHE_TTL_MS", "0"))) {
            assertEquals(200, server.post("[{\"source\":\"a\",\"cpu\":1,\"rps\":2},{\"source\":\"b\",\"cpu\":3}]").statusCode());
            assertEquals(422, server.post("{\"source\":\"c\",\"cpu\":1}").statusCode());

            HttpResponse<String> r = delete(server, "?source=a&metric=cpu");
            assertEquals(204, r.statusCode());
            assertEquals("", r.body());
            assertEquals(404, delete(server, "?source=a&metric=cpu").statusCode());
            assertEquals(404, server.get("/analyze?source=a&metric=cpu").statusCode());
            JsonNode rps = JSON.readTree(server.get("/analyze?source=a&metric=rps").body()).get("metrics").get("rps");
            assertEquals(1, rps.get("count").asInt(), "the other metric is untouched");
            assertEquals(2.0, rps.get("last").asDouble());

            assertEquals(204, delete(server, "?source=a").statusCode());
            assertEquals(404, delete(server, "?source=a").statusCode());
            assertEquals(404, server.get("/analyze?source=a").statusCode());
            JsonNode fleet = JSON.readTree(server.get("/analyze?source=*").body()).get("sources");
            assertFalse(fleet.has("a"), fleet.toString());
            assertTrue(fleet.has("b"));
            assertEquals(200, server.post("{\"source\":\"c\",\"cpu\":1}").statusCode(), "its place is free");

            assertEquals(400, delete(server, "").statusCode());
            assertEquals(404, delete(server, "?source=nope").statusCode());
            assertEquals(405, server.client.send(HttpRequest.newBuilder(server.uri("/series?source=b")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            var stats = JSON.readTree(server.get("/stats").body());
            assertEquals(0, stats.get("series_expired").asInt(), "a deletion is not an expiry");
            assertEquals(2, stats.get("sources").asInt());
        }
    }
}
