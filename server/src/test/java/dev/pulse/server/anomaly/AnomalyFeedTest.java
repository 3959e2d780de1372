package dev.pulse.server.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.RedisProcess;
import dev.pulse.server.support.ServerProcess;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /anomalies} over real sockets: order, paging, bounds, and replicas sharing the log through Redis. */
@Timeout(120)
class AnomalyFeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Twelve steady values of {@code metric} for {@code source}, then one spike of {@code spike} at {@code t}. */
    static void spike(TestServer server, String source, String metric, double spike, long t) throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            batch.append(i > 0 ? "," : "").append("{\"timestamp\":").append(t - 12 + i).append(",\"source\":\"")
                    .append(source).append("\",\"").append(metric).append("\":").append(40 + i % 3).append('}');
        }
        batch.append("]");
        assertEquals(200, server.post(batch.toString()).statusCode());
        HttpResponse<String> r = server.post("{\"timestamp\":" + t + ",\"source\":\"" + source + "\",\"" + metric
                + "\":" + spike + "}");
        assertTrue(r.body().contains("\"metric\":\"" + metric + "\""), "the spike is flagged: " + r.body());
    }

    private static JsonNode get(TestServer server, String query) throws Exception {
        HttpResponse<String> r = server.get("/anomalies" + query);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("anomalies").forEach(a -> out.add(a.get("source").asText() + "/" + a.get("metric").asText()));
        return out;
    }

    @Test
    void listsAnomaliesOldestFirstAndPagesOnWithNext() throws Exception {
        try (TestServer server = new TestServer()) {
            JsonNode empty = get(server, "");
            assertEquals(0, empty.get("anomalies").size());
            assertEquals(0, empty.get("next").asLong());

            spike(server, "web-1", "cpu", 500, 1_700_000_100L);
            spike(server, "web-2", "latency", 900, 1_700_000_200L);
            spike(server, "web-1", "rps", 700, 1_700_000_300L);

            JsonNode all = get(server, "");
            assertEquals(List.of("web-1/cpu", "web-2/latency", "web-1/rps"), names(all));
            JsonNode first = all.get("anomalies").get(0);
            assertEquals(1_700_000_100_000L, first.get("time_ms").asLong(), "the value's own timestamp");
            assertEquals(500.0, first.get("value").asDouble());
            assertEquals(41.0, first.get("mean").asDouble(), 0.5);
            assertTrue(first.get("stddev").asDouble() > 0);
            assertTrue(first.get("zscore").asDouble() > 2);
            assertTrue(first.get("score").asDouble() > 0);
            assertEquals("zscore", first.get("detector").asText());

            JsonNode one = get(server, "?limit=1");
            assertEquals(List.of("web-1/cpu"), names(one));
            JsonNode two = get(server, "?limit=1&since=" + one.get("next").asText());
            assertEquals(List.of("web-2/latency"), names(two));
            JsonNode rest = get(server, "?since=" + two.get("next").asText());
            assertEquals(List.of("web-1/rps"), names(rest));
            JsonNode none = get(server, "?since=" + rest.get("next").asText());
            assertEquals(0, none.get("anomalies").size());
            assertEquals(rest.get("next"), none.get("next"), "nothing new: the cursor stays");

            assertEquals(List.of("web-1/cpu", "web-1/rps"), names(get(server, "?source=web-1")));
            JsonNode filtered = get(server, "?source=web-2&since=0");
            assertEquals(List.of("web-2/latency"), names(filtered));
            assertEquals(List.of(), names(get(server, "?source=web-2&since=" + filtered.get("next").asText())));
        }
    }

    @Test
    void theLogIsBoundedAndBadParametersAre400() throws Exception {
        try (TestServer server = new TestServer(Map.of("ANOMALY_LOG_SIZE", "2"))) {
            spike(server, "a", "cpu", 500, 1_700_000_100L);
            spike(server, "b", "cpu", 500, 1_700_000_200L);
            spike(server, "c", "cpu", 500, 1_700_000_300L);
            assertEquals(List.of("b/cpu", "c/cpu"), names(get(server, "?since=0")), "the oldest was overwritten");
            for (String bad : List.of("?limit=0", "?limit=1001", "?limit=ten", "?limit=-1", "?since=abc",
                    "?since=1-2", "?since=-5", "?source=no%20spaces")) {
                HttpResponse<String> r = server.get("/anomalies" + bad);
                assertEquals(400, r.statusCode(), bad);
                assertTrue(JSON.readTree(r.body()).get("error").asText().length() > 10, r.body());
            }
            assertEquals(200, server.get("/anomalies?limit=1000").statusCode());
            assertEquals(405, server.client.send(java.net.http.HttpRequest.newBuilder(server.uri("/anomalies"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aSecondReplicaOnTheSameRedisAnswersForTheFirst() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer first = new TestServer(Map.of("REDIS_ADDR", redis.address()));
             ServerProcess second = ServerProcess.start(Map.of("REDIS_ADDR", redis.address()))) {
            spike(first, "web-1", "cpu", 500, 1_700_000_100L);
            spike(first, "web-2", "latency", 900, 1_700_000_200L);
            spike(first, "web-3", "memory", 99, 1_700_000_300L);
            Await.until("the second replica lists the first one's anomalies", () -> {
                HttpResponse<String> r = second.get("/anomalies");
                return r.statusCode() == 200 && JSON.readTree(r.body()).get("anomalies").size() == 3;
            });
            JsonNode all = JSON.readTree(second.get("/anomalies").body());
            assertEquals(List.of("web-1/cpu", "web-2/latency", "web-3/memory"), names(all));
            assertEquals(500.0, all.get("anomalies").get(0).get("value").asDouble());
            assertEquals(1_700_000_100_000L, all.get("anomalies").get(0).get("time_ms").asLong());
            String id = all.get("next").asText();
            assertTrue(id.matches("[0-9]+-[0-9]+"), "the cursor is the stream id: " + id);

            JsonNode one = JSON.readTree(second.get("/anomalies?limit=1").body());
            assertEquals(List.of("web-1/cpu"), names(one));
            JsonNode on = JSON.readTree(second.get("/anomalies?limit=5&since=" + one.get("next").asText()).body());
            assertEquals(List.of("web-2/latency", "web-3/memory"), names(on));
            assertEquals(List.of("web-2/latency"), names(JSON.readTree(second.get("/anomalies?source=web-2").body())));
            JsonNode none = JSON.readTree(second.get("/anomalies?since=" + id).body());
            assertEquals(0, none.get("anomalies").size());
            assertEquals(id, none.get("next").asText());
            assertEquals(names(all), names(get(first, "")), "the first replica reads the same stream");
            assertEquals(400, second.get("/anomalies?since=abc").statusCode());
            assertEquals(3, inStream(redis));
        }
    }

    @Test
    void aReplicaReadsItsOwnAnomaliesAtOnceThoughItsRoundsAreSlow() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(), "REDIS_FLUSH_MS", "30000"))) {
            spike(server, "web-1", "cpu", 500, 1_700_000_100L);
            assertEquals(List.of("web-1/cpu"), names(get(server, "")), "no wait for the next 30-second round");
            spike(server, "web-2", "rps", 900, 1_700_000_200L);
            assertEquals(List.of("web-2/rps"), names(get(server, "?source=web-2")));
            assertEquals(2, inStream(redis));
        }
    }

    @Test
    void anomaliesFlaggedWhileRedisIsDownReachTheStreamOnceItReturns() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            spike(server, "web-1", "cpu", 500, 1_700_000_100L);
            Await.until("the first anomaly in the stream", () -> inStream(redis) == 1);
            redis.stop();
            assertEquals(503, server.get("/anomalies").statusCode(), "the shared log cannot be read without Redis");
            spike(server, "web-2", "cpu", 500, 1_700_000_200L);
            redis.start();
            Await.until("the anomaly flagged during the outage in the stream", () -> {
                HttpResponse<String> r = server.get("/anomalies");
                return r.statusCode() == 200 && JSON.readTree(r.body()).get("anomalies").size() == 2;
            });
            assertEquals(List.of("web-1/cpu", "web-2/cpu"), names(get(server, "")));
            assertEquals(2, inStream(redis), "each anomaly once");
        }
    }

    @Test
    void aServerWhoseRedisNeverAnsweredServesItsOwnLog() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.stop(); // configured, never reached: as `make run` where no Redis listens
            try (TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
                spike(server, "web-1", "cpu", 500, 1_700_000_100L);
                JsonNode page = get(server, "");
                assertEquals(List.of("web-1/cpu"), names(page));
                assertEquals(List.of(), names(get(server, "?since=" + page.get("next").asText())));
                redis.start();
                Await.until("the shared log once Redis answers", () -> {
                    HttpResponse<String> r = server.get("/anomalies");
                    return r.statusCode() == 200 && JSON.readTree(r.body()).get("next").isTextual(); // a stream id
                });
            }
        }
    }

    @Test
    void manyAnomaliesOfARoundShareStreamEntriesArePagedWithoutLossOrRepeatAndTrimmedToTheLogSize() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(), "ANOMALY_LOG_SIZE", "200"))) {
            List<String> flagged = new ArrayList<>();
            for (String prefix : List.of("s-", "t-", "u-", "v-")) { // 600 anomalies, more than the log keeps
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 12; i++) {
                    for (int k = 0; k < 150; k++) {
                        batch.append(batch.length() > 1 ? "," : "").append("{\"timestamp\":").append(1_700_000_000L + i)
                                .append(",\"source\":\"").append(prefix).append(k).append("\",\"cpu\":").append(40 + i % 3).append('}');
                    }
                }
                for (int k = 0; k < 150; k++) {
                    batch.append(",{\"timestamp\":1700000012,\"source\":\"").append(prefix).append(k).append("\",\"cpu\":500}");
                    flagged.add(prefix + k + "/cpu");
                }
                HttpResponse<String> r = server.post(batch.append(']').toString());
                assertEquals(150, JSON.readTree(r.body()).get("anomalies").size(), r.body());
                Await.until("the batch's last anomaly in the stream",
                        () -> get(server, "?source=" + prefix + "149").get("anomalies").size() == 1);
            }
            server.post("{\"timestamp\":1700000013,\"source\":\"s-0\",\"cpu\":41}"); // one more round carries the trim
            Await.until("the stream trimmed to the log size, give or take one entry", () -> inStream(redis) < 200 + 128);
            int kept = inStream(redis);
            assertTrue(kept >= 200, "at least ANOMALY_LOG_SIZE kept: " + kept);
            assertTrue(redis.commands().xlen("metrics:anomalies") < kept / 10, "many anomalies to an entry");

            List<String> paged = new ArrayList<>();
            boolean insideAnEntry = false;
            String since = "0";
            for (int pages = 0; pages < 200; pages++) {
                JsonNode page = get(server, "?limit=7&since=" + since);
                if (page.get("anomalies").isEmpty()) {
                    break;
                }
                paged.addAll(names(page));
                since = page.get("next").asText();
                insideAnEntry |= since.contains(":");
            }
            assertTrue(insideAnEntry, "some page ended inside an entry");
            assertEquals(flagged.subList(flagged.size() - kept, flagged.size()), paged, "the newest, in order, once each");
            assertEquals(List.of("v-149/cpu"), names(get(server, "?source=v-149")));
            assertEquals(400, server.get("/anomalies?since=1-0:x").statusCode());
        }
    }

    /** The anomalies in the shared stream: each entry says how many it holds. */
    private static int inStream(RedisProcess redis) {
        return redis.commands().xrange("metrics:anomalies", io.lettuce.core.Range.create("-", "+")).stream()
                .mapToInt(m -> Integer.parseInt(m.getBody().get("n"))).sum();
    }
}
