package dev.pulse.server.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SERIES_TTL_MS over HTTP: idle sources are forgotten and their places under MAX_SOURCES go to new ones. */
class SeriesTtlTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String event(String source) {
        return "{\"source\":\"" + source + "\",\"cpu\":1.5}";
    }

    static long metric(TestServer server, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(server.get("/metrics").body());
        assertTrue(m.find(), name + " is exported");
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idleSourcesExpireAndFreeTheirPlaces() throws Exception {
        try (TestServer server = new TestServer(Map.of("SERIES_TTL_MS", "1000", "MAX_SOURCES", "20"))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.post(event("old-" + i)).statusCode());
            }
            assertEquals(422, server.post(event("extra")).statusCode(), "the 21st source is refused");
            assertEquals(200, server.get("/analyze?source=old-0").statusCode());

            Thread.sleep(2_000); // the TTL itself is under test
            Await.until("the sweep of the old sources", () -> metric(server, "series_expired_total") == 20);

            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.post(event("new-" + i)).statusCode(), "new-" + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(404, server.get("/analyze?source=old-" + i).statusCode(), "old-" + i);
            }
            assertEquals(20, metric(server, "series_expired_total"));
            var stats = JSON.readTree(server.get("/stats").body());
            assertEquals(20, stats.get("sources").asInt());
            assertEquals(20, stats.get("series").asInt());
            assertEquals(20, stats.get("series_expired").asInt());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSeriesWrittenWithinItsTtlStays() throws Exception {
        try (TestServer server = new TestServer(Map.of("SERIES_TTL_MS", "2000"))) {
            assertEquals(200, server.post("{\"source\":\"kept\",\"cpu\":1,\"rps\":2}").statusCode());
            for (int i = 0; i < 8; i++) { // 3.2 s, written every 400 ms: cpu stays, rps goes
                Thread.sleep(400);
                assertEquals(200, server.post("{\"source\":\"kept\",\"cpu\":" + i + "}").statusCode());
            }
            var metrics = JSON.readTree(server.get("/analyze?source=kept").body()).get("metrics");
            Await.until("rps expired", () -> !JSON.readTree(server.get("/analyze?source=kept").body()).get("metrics").has("rps"));
            metrics = JSON.readTree(server.get("/analyze?source=kept").body()).get("metrics");
            assertEquals(9, metrics.get("cpu").get("count").asInt(), metrics.toString());
            assertEquals(1, metric(server, "series_expired_total"));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void maxSeriesRefusesWith422() throws Exception {
        try (TestServer server = new TestServer(Map.of("MAX_SERIES", "3"))) {
            assertEquals(200, server.post("{\"source\":\"a\",\"x\":1,\"y\":1}").statusCode());
            var r = server.post("{\"source\":\"b\",\"x\":1,\"y\":1}");
            assertEquals(422, r.statusCode());
            assertTrue(r.body().contains("MAX_SERIES"), r.body());
            assertEquals(200, server.post("{\"source\":\"b\",\"x\":1}").statusCode());
        }
    }
}
