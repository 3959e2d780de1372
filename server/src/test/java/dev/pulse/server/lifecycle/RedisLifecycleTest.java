package dev.pulse.server.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.StoredHistory;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.RedisProcess;
import dev.pulse.server.support.ServerProcess;
import dev.pulse.server.support.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expiry and deletion reach a real Redis: keys expire or go, and a restart never brings a series back. */
class RedisLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static long redisStat(TestServer s, String field) throws Exception {
        return JSON.readTree(s.get("/stats").body()).get("redis").get(field).asLong();
    }

    /** Every key that names {@code source}, and whether the set of sources holds it. */
    private static List<String> keysOf(RedisCommands<String, String> redis, String source) {
        List<String> keys = new java.util.ArrayList<>(redis.keys("metrics:series:{" + source + "}:*"));
        keys.addAll(redis.keys("metrics:source:" + source));
        if (redis.sismember("metrics:sources", source)) {
            keys.add("member of metrics:sources");
        }
        return keys;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void expiredSourcesLeaveNoKeyAndTheirPlacesGoToNewOnes() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(), "SERIES_TTL_MS", "1000",
                     "MAX_SOURCES", "20"))) {
            redis.commands().ping(); // connected before the keys' short life starts
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.post(SeriesTtlTest.event("old-" + i)).statusCode());
            }
            assertEquals(422, server.post(SeriesTtlTest.event("extra")).statusCode());
            Await.until("the old sources in Redis", () -> redis.commands().exists("metrics:series:{old-19}:cpu") == 1);
            long pttl = redis.commands().pttl("metrics:series:{old-19}:cpu");
            assertTrue(pttl > 0 && pttl <= 1000 + 1000 / 16, "the key expires with the series: " + pttl);

            Thread.sleep(2_000); // the TTL itself is under test
            Await.until("the sweep", () -> SeriesTtlTest.metric(server, "series_expired_total") == 20);
            for (int i = 0; i < 20; i++) {
                assertEquals(200, server.post(SeriesTtlTest.event("new-" + i)).statusCode(), "new-" + i);
            }
            Await.until("the writer", () -> redisStat(server, "queue_depth") == 0
                    && redis.commands().exists("metrics:series:{new-19}:cpu") == 1);
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of(), keysOf(redis.commands(), "old-" + i), "old-" + i);
                assertEquals(404, server.get("/analyze?source=old-" + i).statusCode(), "not even from Redis");
            }
            assertTrue(!JSON.readTree(server.get("/analyze?source=*").body()).get("sources").has("old-0"));
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void keysOfAServerThatDiedExpireByThemselvesAndAreNotRestored() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address(), "SERIES_TTL_MS", "3000");
            redis.commands().ping(); // connected before the key's short life starts
            try (ServerProcess server = ServerProcess.start(env)) {
                assertEquals(200, server.post("{\"source\":\"gone\",\"cpu\":1}").statusCode());
                Await.until("the write", () -> redis.commands().exists("metrics:series:{gone}:cpu") == 1);
                server.kill(); // SIGKILL: no sweep, no removal; only the keys' own expiry
            }
            Await.until("the keys' expiry", () -> keysOf(redis.commands(), "gone").stream()
                    .noneMatch(k -> k.startsWith("metrics:")));
            try (TestServer second = new TestServer(env)) {
                assertEquals(404, second.get("/analyze?source=gone").statusCode());
                assertEquals(List.of(), keysOf(redis.commands(), "gone"), "the restore cleared the set member");
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aReplicaThatRestoredASourceItIsNotSentLeavesTheKeysAnotherStillWrites() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address(), "SERIES_TTL_MS", "2000");
            redis.commands().ping(); // connected before the keys' short life starts
            try (TestServer a = new TestServer(env)) {
                assertEquals(200, a.post("[{\"source\":\"busy\",\"cpu\":1,\"rps\":1},{\"source\":\"idle\",\"cpu\":1}]")
                        .statusCode());
                Await.until("a's snapshots", () -> redis.commands().hexists("metrics:source:busy", "rps")
                        && redis.commands().hexists("metrics:source:idle", "cpu"));
                try (TestServer b = new TestServer(env)) { // restores both; is sent neither
                    assertEquals(200, b.get("/analyze?source=busy&metric=rps").statusCode());
                    for (int i = 0; i < 25; i++) { // a keeps being sent busy's cpu (not rps) for 5 s, twice the TTL
                        assertEquals(200, a.post("{\"source\":\"busy\",\"cpu\":" + i + "}").statusCode());
                        Thread.sleep(200);
                    }
                    Await.until("b's sweep", () -> SeriesTtlTest.metric(b, "series_expired_total") == 3);
                    Await.until("a's sweep of rps", () -> SeriesTtlTest.metric(a, "series_expired_total") == 2);
                    Await.until("b's writer", () -> redisStat(b, "queue_depth") == 0);
                    Await.until("idle's keys removed", () -> keysOf(redis.commands(), "idle").isEmpty());
                }
                // a's last values reach Redis with its next round (a 27th written with them would time this out)
                Await.until("a's 26 values of busy's cpu", () -> StoredHistory.values(redis, "busy", "cpu").size() == 26);
                assertEquals(List.of("metrics:series:{busy}:cpu", "metrics:source:busy", "member of metrics:sources"),
                        keysOf(redis.commands(), "busy"), "what a writes stays; rps went with a's own expiry");
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void deleteRemovesTheKeysAndARestartDoesNotBringThemBack() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address());
            try (TestServer server = new TestServer(env)) {
                assertEquals(200, server.post("[{\"source\":\"a\",\"cpu\":1,\"rps\":2},{\"source\":\"b\",\"cpu\":3}]").statusCode());
                Await.until("the writer", () -> redis.commands().hexists("metrics:source:b", "cpu"));

                assertEquals(204, DeleteSeriesTest.delete(server, "?source=a&metric=cpu").statusCode());
                Await.until("the removal", () -> redis.commands().exists("metrics:series:{a}:cpu") == 0
                        && !redis.commands().hexists("metrics:source:a", "cpu"));
                assertEquals(List.of("2"), StoredHistory.values(redis, "a", "rps"), "the other metric is untouched");
                assertTrue(redis.commands().hexists("metrics:source:a", "rps"));

                assertEquals(204, DeleteSeriesTest.delete(server, "?source=b").statusCode());
                Await.until("the removal of b", () -> keysOf(redis.commands(), "b").isEmpty());
                assertEquals(404, server.get("/analyze?source=b").statusCode(), "not from Redis either");

                // a value queued just before its series is deleted must not bring the key back
                for (int i = 0; i < 200; i++) {
                    assertEquals(200, server.post("{\"source\":\"churn\",\"cpu\":" + i + "}").statusCode());
                    assertEquals(204, DeleteSeriesTest.delete(server, "?source=churn").statusCode());
                }
                Await.until("the writer", () -> redisStat(server, "queue_depth") == 0);
                assertEquals(0, server.stop(), "flushed");
                assertEquals(List.of(), keysOf(redis.commands(), "churn"));
            }
            try (TestServer restarted = new TestServer(env)) {
                assertEquals(404, restarted.get("/analyze?source=b").statusCode());
                assertEquals(404, restarted.get("/analyze?source=churn").statusCode());
                assertEquals(404, restarted.get("/analyze?source=a&metric=cpu").statusCode());
                assertEquals(200, restarted.get("/analyze?source=a&metric=rps").statusCode());
            }
        }
    }
}
