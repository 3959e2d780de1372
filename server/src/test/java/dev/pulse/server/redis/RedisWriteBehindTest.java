package dev.pulse.server.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.StoredHistory;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.RedisProcess;
import dev.pulse.server.support.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The write-behind tier against a real redis-server process, through the real HTTP API. */
@Timeout(120)
class RedisWriteBehindTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode stats(TestServer s) throws Exception {
        return JSON.readTree(s.get("/stats").body());
    }

    private static long redisStat(TestServer s, String field) throws Exception {
        return stats(s).get("redis").get(field).asLong();
    }

    @Test
    void everyEventLandsUnderTheDocumentedKeysInOrder() throws Exception {
        try (RedisProcess redis = new RedisProcess(); TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                double v = 10 + i * 0.25;
                assertEquals(200, server.post("{\"timestamp\":" + (1_700_000_000 + i) + ",\"source\":\"web-1\",\"cpu\":" + v + "}").statusCode());
                expected.add((1_700_000_000 + i) + " " + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)));
            }
            server.post("[{\"timestamp\":5.5,\"source\":\"db:2\",\"disk_io\":-1.5e-3},{\"timestamp\":6,\"source\":\"db:2\",\"disk_io\":7}]");
            Await.until("the queue to drain", () -> redisStat(server, "queue_depth") == 0 && redisStat(server, "values_written") == 32);

            assertEquals(expected, StoredHistory.pairs(redis, "web-1", "cpu"));
            assertEquals(List.of("5.5 -0.0015", "6 7"), StoredHistory.pairs(redis, "db:2", "disk_io"));
            assertEquals(java.util.Set.of("web-1", "db:2"), redis.commands().smembers("metrics:sources"));
            JsonNode analyzed = JSON.readTree(server.get("/analyze?source=web-1").body()).get("metrics").get("cpu");
            Await.until("the snapshot of the round that found the queue empty", () ->
                    analyzed.equals(JSON.readTree(redis.commands().hget("metrics:source:web-1", "cpu"))));
            Map<String, String> hash = redis.commands().hgetall("metrics:source:web-1");
            assertTrue(Long.parseLong(hash.get("updated_ms")) > 0);
            assertEquals(0, redisStat(server, "values_dropped"));
        }
    }

    @Test
    void aHistoryInTheOlderTextLayoutIsRestoredAndWrittenOnInTheNewOne() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            redis.commands().rpush(StoredHistory.key("old", "cpu"), "1700000000 40,1700000001 41.5", "1700000002 42");
            redis.commands().hset("metrics:source:old", Map.of("cpu", "{\"count\":3,\"anomalies_total\":0}",
                    "updated_ms", Long.toString(System.currentTimeMillis())));
            redis.commands().sadd("metrics:sources", "old");
            try (TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
                JsonNode cpu = JSON.readTree(server.get("/analyze?source=old").body()).get("metrics").get("cpu");
                assertEquals(3, cpu.get("count").asInt());
                assertEquals(42.0, cpu.get("last").asDouble());
                assertEquals(41.166666, cpu.get("rolling_avg").asDouble(), 1e-5);
                assertEquals(200, server.post("{\"timestamp\":1700000003,\"source\":\"old\",\"cpu\":43}").statusCode());
                Await.until("the new value", () -> redisStat(server, "values_written") == 1);
                assertEquals(List.of("1700000000 40,1700000001 41.5", "1700000002 42", "1700000003 43"),
                        StoredHistory.entries(redis, "old", "cpu"), "the text entries kept, the new one appended");
            }
        }
    }

    @Test
    void whatARestartCannotReadCostsOnlyItself() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            String now = Long.toString(System.currentTimeMillis());
            byte[] timeFormThree = {1, 0x18};
            redis.bytes().rpush(StoredHistory.key("mixed", "cpu"), ascii("1700000000 40"), timeFormThree,
                    ascii("1700000001 NaN"), ascii("1700000002 42"));
            redis.commands().hset("metrics:source:mixed", Map.of("cpu",
                    "{\"count\":99999999999999999999999,\"anomalies_total\":0}", "updated_ms", now));
            redis.commands().set(StoredHistory.key("other", "cpu"), "not a list");
            redis.commands().rpush(StoredHistory.key("other", "rps"), "1700000000 7");
            redis.commands().hset("metrics:source:other", Map.of("cpu", "{\"count\":1}", "rps", "{\"count\":1}",
                    "updated_ms", now));
            redis.commands().set("metrics:source:odd", "not a hash");
            redis.commands().rpush(StoredHistory.key("undated", "cpu"), "1700000000 5");
            redis.commands().hset("metrics:source:undated", Map.of("cpu", "{\"count\":1}", "updated_ms", "yesterday"));
            redis.commands().sadd("metrics:sources", "mixed", "other", "odd", "undated");

            try (TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
                JsonNode cpu = JSON.readTree(server.get("/analyze?source=mixed").body()).get("metrics").get("cpu");
                assertEquals(2, cpu.get("count").asInt(), "the two readable entries, the count past a long ignored");
                assertEquals(42.0, cpu.get("last").asDouble());
                assertEquals(41.0, cpu.get("rolling_avg").asDouble(), "no NaN replayed into the window");
                assertEquals(1, JSON.readTree(server.get("/analyze?source=other&metric=rps").body())
                        .get("metrics").get("rps").get("count").asInt());
                assertEquals(404, server.get("/analyze?source=other&metric=cpu").statusCode());
                assertEquals(404, server.get("/analyze?source=odd").statusCode());
                assertEquals(1, JSON.readTree(server.get("/analyze?source=undated").body())
                        .get("metrics").get("cpu").get("count").asInt(), "an unreadable time is not an expired one");
                assertEquals(3, stats(server).get("redis").get("restored_series").asInt());
                assertEquals("{\"status\":\"UP\",\"redis\":\"UP\"}", server.get("/health").body());

                assertEquals(200, server.post("{\"timestamp\":1700000003,\"source\":\"mixed\",\"cpu\":43}").statusCode());
                Await.until("the new value written", () -> redisStat(server, "values_written") == 1);
            }
            assertEquals("not a list", redis.commands().get(StoredHistory.key("other", "cpu")), "left as it was");
            assertEquals(5, redis.bytes().llen(StoredHistory.key("mixed", "cpu")), "the four entries kept, one added");

            redis.commands().del("metrics:sources");
            redis.commands().set("metrics:sources", "not a set");
            try (TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
                assertEquals("{\"status\":\"UP\",\"redis\":\"UP\"}", server.get("/health").body(),
                        "no set of sources to restore from: started empty, Redis connected");
                assertEquals("redis", JSON.readTree(server.get("/analyze?source=mixed").body()).get("from").asText(),
                        "not restored: answered from its snapshot, as another replica's");
                assertEquals(200, server.post("{\"source\":\"mixed\",\"cpu\":44}").statusCode());
                Await.until("the new value written", () -> redisStat(server, "values_written") == 1);
            }
        }
    }

    @Test
    void aSeriesKeyOfAnotherTypeDropsOnlyThatSeriesValues() throws Exception {
        try (RedisProcess redis = new RedisProcess(); TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            redis.commands().set(StoredHistory.key("web", "cpu"), "not a list");
            assertEquals(200, server.post("{\"timestamp\":1700000000,\"source\":\"web\",\"cpu\":1,\"rps\":2}").statusCode());
            assertEquals(200, server.post("{\"timestamp\":1700000000,\"source\":\"db\",\"cpu\":3}").statusCode());
            Await.until("the queue to drain", () -> redisStat(server, "queue_depth") == 0
                    && redisStat(server, "values_written") + redisStat(server, "values_dropped") == 3);

            assertEquals(2, redisStat(server, "values_written"));
            assertEquals(1, redisStat(server, "values_dropped"), "the value Redis refused, counted");
            assertEquals(0, redisStat(server, "write_failures"), "not retried: it would be refused again");
            assertEquals(List.of("1700000000 2"), StoredHistory.pairs(redis, "web", "rps"));
            assertEquals(List.of("1700000000 3"), StoredHistory.pairs(redis, "db", "cpu"));
            assertEquals("not a list", redis.commands().get(StoredHistory.key("web", "cpu")));
            assertTrue(server.get("/metrics").body().contains("\nredis_values_dropped_total 1\n"));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void theFleetViewReadsOtherReplicasSourcesOnlyWhileItIsAskedFor() throws Exception {
        try (RedisProcess redis = new RedisProcess(); TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            assertEquals(200, server.post("{\"source\":\"web-1\",\"cpu\":1}").statusCode());
            Await.until("the snapshot", () -> redis.commands().hexists("metrics:source:web-1", "cpu"));
            Thread.sleep(2_500); // two refresh intervals in which nobody asks
            assertEquals(0, hgetalls(redis), "no source hash read while the fleet view is not asked for");
            assertEquals(200, server.get("/analyze?source=*").statusCode());
            Await.until("the refresh woken by the ask", () -> hgetalls(redis) > 0);
        }
    }

    private static long hgetalls(RedisProcess redis) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_hgetall:calls=(\\d+)")
                .matcher(redis.commands().info("commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void aRestartedServerAnswersAsBefore() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address());
            JsonNode before;
            try (TestServer first = new TestServer(env)) {
                java.util.Random r = new java.util.Random(3);
                for (int i = 0; i < 120; i++) {
                    StringBuilder b = new StringBuilder("[");
                    for (int s = 0; s < 3; s++) {
                        b.append(s == 0 ? "" : ",").append("{\"source\":\"host-").append(s).append("\",\"cpu\":")
                                .append(50 + r.nextGaussian() * 5 + (i % 37 == 0 ? 40 : 0)).append(",\"rps\":").append(r.nextInt(100)).append('}');
                    }
                    first.post(b.append(']').toString());
                }
                before = JSON.readTree(first.get("/analyze?source=*").body()).get("sources");
                assertEquals(0, first.stop(), "the queue is flushed on stop");
            }
            try (TestServer second = new TestServer(env)) {
                JsonNode after = JSON.readTree(second.get("/analyze?source=*").body()).get("sources");
                assertEquals(before, after);
                assertEquals(6, stats(second).get("redis").get("restored_series").asInt());
            }
        }
    }

    @Test
    void aRestartUnderALowerLimitLeavesTheSourcesItRefusesInRedis() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            try (TestServer first = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
                for (String source : List.of("a", "b", "c")) {
                    assertEquals(200, first.post("{\"source\":\"" + source + "\",\"cpu\":1}").statusCode());
                }
                assertEquals(0, first.stop());
            }
            try (TestServer limited = new TestServer(Map.of("REDIS_ADDR", redis.address(), "MAX_SOURCES", "1"))) {
                assertEquals(1, stats(limited).get("redis").get("restored_series").asInt());
            }
            assertEquals(java.util.Set.of("a", "b", "c"), redis.commands().smembers("metrics:sources"));
            for (String source : List.of("a", "b", "c")) {
                assertTrue(redis.commands().hexists("metrics:source:" + source, "cpu"), source);
            }
            try (TestServer again = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
                assertEquals(3, stats(again).get("redis").get("restored_series").asInt(), "every source back");
            }
        }
    }

    @Test
    void eachRoundWritesOneEntryPerSeriesAndTheTrimKeepsAtLeastTheHistory() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(), "REDIS_HISTORY", "10"))) {
            String metric = "cpu";
            for (int round = 0; round < 10; round++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < 3; i++) {
                    int v = round * 3 + i;
                    body.append(i == 0 ? "" : ",").append("{\"timestamp\":").append(1_700_000_000 + v)
                            .append(",\"source\":\"r:1\",\"").append(metric).append("\":").append(v).append('}');
                }
                assertEquals(200, server.post(body.append(']').toString()).statusCode());
                int written = 3 * (round + 1);
                Await.until("round " + round, () -> redisStat(server, "values_written") == written);
            }
            List<String> entries = StoredHistory.entries(redis, "r:1", metric);
            List<String> rounds = new ArrayList<>(); // what each round wrote, newest last
            for (int v = 0; v < 30; v += 3) {
                rounds.add((1_700_000_000 + v) + " " + v + "," + (1_700_000_001 + v) + " " + (v + 1) + ","
                        + (1_700_000_002 + v) + " " + (v + 2));
            }
            assertEquals(rounds.subList(10 - entries.size(), 10), entries, "one entry per round, the newest kept");
            assertTrue(entries.size() >= 4, "the newest entries hold at least the history of 10 values");
            assertTrue(entries.size() < 10, "trimmed: " + entries.size() + " entries");
            assertTrue(entries.size() < 4 + SeriesHistory.SLACK, "at most SLACK - 1 entries beyond the history");
            Await.until("the last snapshot", () -> redis.commands().hget("metrics:source:r:1", metric).contains("\"count\":30"));
        }
    }

    @Test
    void anOutageLosesNothingWithinTheQueue() throws Exception {
        try (RedisProcess redis = new RedisProcess(); TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            int sent = 0;
            for (; sent < 50; sent++) {
                assertEquals(200, server.post("{\"source\":\"steady\",\"cpu\":" + sent + "}").statusCode());
            }
            redis.stop();
            Await.until("health to say DOWN", () -> server.get("/health").body().contains("\"redis\":\"DOWN\""));
            assertEquals("{\"status\":\"DEGRADED\",\"redis\":\"DOWN\"}", server.get("/health").body());
            for (; sent < 250; sent++) {
                HttpResponse<String> r = server.post("{\"source\":\"steady\",\"cpu\":" + sent + "}");
                assertEquals(200, r.statusCode(), "ingestion goes on during the outage");
            }
            Await.until("a round to fail", () -> redisStat(server, "write_failures") > 0);
            assertEquals(250, redisStat(server, "queue_depth") + redisStat(server, "values_written"),
                    "the values a failed round holds for its retry count as queued");
            redis.start();
            Await.until("everything to be written", () -> redisStat(server, "queue_depth") == 0 && redisStat(server, "values_written") == 250);
            List<String> stored = StoredHistory.pairs(redis, "steady", "cpu");
            assertEquals(250, stored.size(), "every event is there, those from before the outage and during it");
            for (int i = 0; i < 250; i++) {
                assertTrue(stored.get(i).endsWith(" " + i), "in order: " + stored.get(i));
            }
            assertEquals(0, redisStat(server, "values_dropped"));
            assertTrue(redisStat(server, "write_failures") > 0);
        }
    }

    @Test
    void aQueueTooSmallForTheOutageCountsExactlyWhatItDrops() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(), "REDIS_QUEUE_CAPACITY", "40"))) {
            server.post("{\"source\":\"small\",\"cpu\":0}");
            Await.until("the first write", () -> redisStat(server, "values_written") == 1);
            redis.stop();
            Await.until("Redis to be seen down", () -> server.server.services().redis.health() == RedisStatus.Health.DOWN);
            for (int i = 1; i <= 100; i++) {
                assertEquals(200, server.post("{\"source\":\"small\",\"cpu\":" + i + "}").statusCode());
            }
            redis.start();
            Await.until("every value not dropped to be written (the queue and the round in hand)",
                    () -> redisStat(server, "values_written") + redisStat(server, "values_dropped") == 101);
            long dropped = redisStat(server, "values_dropped");
            List<String> values = StoredHistory.values(redis, "small", "cpu");
            long stored = values.size();
            assertTrue(dropped > 0);
            assertEquals(101 - stored, dropped, "every missing event is counted as dropped, and no other");
            assertEquals("100", values.get(values.size() - 1), "the newest survive");
        }
    }

    @Test
    void aSlowRedisNeverBlocksTheEventLoop() throws Exception {
        try (RedisProcess redis = new RedisProcess(); TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            server.post("{\"source\":\"warm\",\"cpu\":1}");
            RedisClient client = RedisClient.create("redis://" + redis.address());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                CompletableFuture<String> sleeping = RedisProcess.debugSleep(c, 3);
                for (int i = 0; i < 100; i++) {
                    assertEquals(200, server.post("{\"source\":\"busy\",\"cpu\":" + i + "}").statusCode());
                }
                assertEquals(200, server.get("/analyze?source=busy").statusCode());
                assertFalse(sleeping.isDone(), "all answered while Redis was still asleep");
                sleeping.join();
            } finally {
                client.shutdown();
            }
            Await.until("the backlog to be written", () -> redisStat(server, "values_written") == 101);
            assertEquals(100, StoredHistory.pairs(redis, "busy", "cpu").size());
        }
    }

    @Test
    void stopFlushesEverythingQueued() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()));
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 1000; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"source\":\"s").append(i % 20).append("\",\"cpu\":").append(i).append('}');
            }
            for (int k = 0; k < 20; k++) {
                assertEquals(200, server.post(batch + "]").statusCode());
            }
            assertEquals(0, server.stop());
            long total = 0;
            for (int s = 0; s < 20; s++) {
                total += StoredHistory.pairs(redis, "s" + s, "cpu").size();
            }
            assertEquals(20_000, total);
        }
    }

    @Test
    void anotherReplicaAnswersFromTheRedisSnapshot() throws Exception {
        try (RedisProcess redis = new RedisProcess("s3cret")) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address(), "REDIS_PASSWORD", "s3cret", "ANALYZE_CACHE_TTL_MS", "100");
            try (TestServer a = new TestServer(env); TestServer b = new TestServer(env)) {
                for (int i = 0; i < 12; i++) {
                    a.post("{\"source\":\"only-on-a\",\"cpu\":" + i + "}");
                }
                b.post("{\"source\":\"only-on-b\",\"cpu\":1}");
                Await.until("a's writes", () -> redisStat(a, "queue_depth") == 0 && redisStat(a, "values_written") == 12);
                JsonNode local = JSON.readTree(a.get("/analyze?source=only-on-a&metric=cpu").body()).get("metrics");
                // the snapshot follows the values within the writer's next idle round
                Await.until("a's snapshot", () -> local.equals(JSON.readTree(b.get("/analyze?source=only-on-a&metric=cpu").body()).get("metrics")));
                HttpResponse<String> remote = b.get("/analyze?source=only-on-a&metric=cpu");
                assertEquals(200, remote.statusCode());
                JsonNode body = JSON.readTree(remote.body());
                assertEquals("redis", body.get("from").asText());
                assertTrue(body.get("age_ms").asLong() >= 0);
                assertEquals(local, body.get("metrics"));
                String memory = a.get("/analyze?source=only-on-a&metric=cpu").body();
                assertEquals(memory.replace("\"from\":\"memory\"", "\"from\":\"redis\",\"age_ms\":" + body.get("age_ms").asLong()),
                        remote.body(), "the memory answer's bytes but for where it came from and its age");
                assertEquals(404, b.get("/analyze?source=nowhere").statusCode());
                // b's first fleet view: it waits for the refresh it wakes, rather than leave a's source out
                JsonNode fleet = JSON.readTree(b.get("/analyze?source=*").body()).get("sources");
                assertTrue(fleet.has("only-on-a") && fleet.has("only-on-b"), fleet.toString());
                assertEquals("redis", fleet.get("only-on-a").get("from").asText());
                assertEquals("memory", fleet.get("only-on-b").get("from").asText());
                assertEquals(local, fleet.get("only-on-a").get("metrics"));
                assertFalse(b.get("/stats").body().contains("s3cret"));
                assertFalse(b.get("/health").body().contains("s3cret"));
            }
        }
    }

    @Test
    void aSnapshotThatIsNotOneOfOursBreaksNoReply() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(), "ANALYZE_CACHE_TTL_MS", "100"))) {
            String now = Long.toString(System.currentTimeMillis());
            String good = "{\"count\":3,\"last\":2.0,\"rolling_avg\":1.5,\"stddev\":0.5,\"zscore\":1.0,"
                    + "\"score\":0.1,\"anomaly\":false,\"anomalies_total\":0}";
            redis.commands().hset("metrics:source:edited", Map.of("cpu", good, "rps", "not json", "mem", "{\"a\":1}x",
                    "updated_ms", now));
            redis.commands().hset("metrics:source:garbled", Map.of("cpu", "{\"count\":", "updated_ms", now));
            redis.commands().set("metrics:source:a-string", "not a hash");
            redis.commands().sadd("metrics:sources", "edited", "garbled", "a-string");

            HttpResponse<String> edited = server.get("/analyze?source=edited");
            assertEquals(200, edited.statusCode());
            JsonNode metrics = JSON.readTree(edited.body()).get("metrics");
            assertEquals(List.of("cpu"), names(metrics.fieldNames()), "only the snapshot that is a JSON object");
            assertEquals(3, metrics.get("cpu").get("count").asInt());
            assertEquals(404, server.get("/analyze?source=edited&metric=rps").statusCode());
            assertEquals(404, server.get("/analyze?source=garbled").statusCode());
            assertEquals(404, server.get("/analyze?source=a-string").statusCode());

            JsonNode fleet = JSON.readTree(server.get("/analyze?source=*").body()).get("sources");
            assertEquals(List.of("edited"), names(fleet.fieldNames()), "the other two left out, not the view");
            assertEquals(List.of("cpu"), names(fleet.get("edited").get("metrics").fieldNames()));
        }
    }

    private static List<String> names(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
