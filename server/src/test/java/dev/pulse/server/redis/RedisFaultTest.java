package dev.pulse.server.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.support.StoredHistory;
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

/**
 * Faults of the Redis tier, each with exact accounting: a queue that sheds instead of dropping, a Redis that refuses
 * writes, and a service killed with SIGKILL and started again. A real redis-server; the last test a real process.
 */
@Timeout(180)
class RedisFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode redisStats(HttpResponse<String> stats) throws Exception {
        return JSON.readTree(stats.body()).get("redis");
    }

    @Test
    void aFullQueueShedsWith503AndEveryAcceptedValueReachesRedis() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address(),
                     "REDIS_QUEUE_CAPACITY", "40", "REDIS_QUEUE_FULL", "reject"))) {
            assertEquals(200, server.post("{\"source\":\"full\",\"cpu\":0,\"rps\":0}").statusCode());
            Await.until("the first write", () -> redisStats(server.get("/stats")).get("values_written").asLong() == 2);
            assertEquals(0, redisStats(server.get("/stats")).get("reconnects").asLong(),
                    "the connections made at start-up are not reconnections");
            redis.stop();
            Await.until("Redis to be seen down", () -> server.server.services().redis.health() == RedisStatus.Health.DOWN);

            List<Integer> accepted = new ArrayList<>(List.of(0));
            int shed = 0;
            for (int i = 1; i <= 100; i++) {
                HttpResponse<String> r = server.post("{\"source\":\"full\",\"cpu\":" + i + ",\"rps\":" + i + "}");
                if (r.statusCode() == 200) {
                    accepted.add(i);
                } else {
                    assertEquals(503, r.statusCode(), r.body());
                    assertEquals("1", r.headers().firstValue("retry-after").orElse(null));
                    shed++;
                }
            }
            assertTrue(shed >= 70, "a queue of 40 values holds about 20 of these events: " + shed + " shed");
            JsonNode cpu = JSON.readTree(server.get("/analyze?source=full").body()).get("metrics").get("cpu");
            assertEquals(accepted.size(), cpu.get("count").asInt(), "a shed request changes nothing");
            assertTrue(server.get("/metrics").body().contains("events_rejected_total{reason=\"overloaded\"} " + shed));

            redis.start();
            Await.until("the queue to drain", () -> redisStats(server.get("/stats")).get("queue_depth").asLong() == 0
                    && redisStats(server.get("/stats")).get("values_written").asLong() == 2L * accepted.size());
            List<String> stored = StoredHistory.pairs(redis, "full", "cpu");
            assertEquals(accepted, stored.stream().map(e -> Integer.parseInt(e.split(" ")[1])).toList(),
                    "every value answered 200 is in Redis, in order");
            assertEquals(0, redisStats(server.get("/stats")).get("values_dropped").asLong());
            assertTrue(redisStats(server.get("/stats")).get("reconnects").asLong() >= 1, "the writer connected again");
            assertEquals(200, server.post("{\"source\":\"full\",\"cpu\":1,\"rps\":1}").statusCode(), "room again");
        }
    }

    @Test
    void redisKilledAndRestartedUnderLoadEndsWithEveryAcceptedValueOnce() throws Exception {
        try (RedisProcess redis = new RedisProcess(); TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            int clients = 4;
            int[] accepted = new int[clients];
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            int next = accepted[client];
                            String batch = "[{\"source\":\"load-" + client + "\",\"cpu\":" + next + "},{\"source\":\"load-"
                                    + client + "\",\"cpu\":" + (next + 1) + "}]";
                            if (server.post(batch).statusCode() == 200) {
                                accepted[client] = next + 2;
                            } else {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                });
                t.start();
                load.add(t);
            }
            Thread.sleep(1000);
            redis.kill(); // SIGKILL; its append-only file, fsynced on every write, keeps what it acknowledged
            Thread.sleep(1000);
            redis.start();
            Thread.sleep(1000);
            running.set(false);
            for (Thread t : load) {
                t.join();
            }

            assertEquals(0, failures.get(), "no request failed while Redis was away");
            long total = java.util.Arrays.stream(accepted).sum();
            Await.until("everything to be written", () -> redisStats(server.get("/stats")).get("queue_depth").asLong() == 0
                    && redisStats(server.get("/stats")).get("values_written").asLong() == total);
            for (int c = 0; c < clients; c++) {
                List<String> stored = StoredHistory.values(redis, "load-" + c, "cpu");
                int kept = stored.size(); // REDIS_HISTORY keeps at least the last 1000, whole entries
                assertTrue(kept >= Math.min(accepted[c], 1000) && kept <= accepted[c], "load-" + c + ": " + kept + " kept");
                for (int k = 0; k < kept; k++) { // each accepted value once, in order, the newest last
                    assertEquals("" + (accepted[c] - kept + k), stored.get(k));
                }
            }
            assertEquals(0, redisStats(server.get("/stats")).get("values_dropped").asLong());
            assertTrue(redisStats(server.get("/stats")).get("write_failures").asLong() > 0, "the writer did see Redis gone");
        }
    }

    @Test
    void aRedisRefusingWritesLosesNothingAndCountsItsFailures() throws Exception {
        try (RedisProcess redis = new RedisProcess();
             TestServer server = new TestServer(Map.of("REDIS_ADDR", redis.address()))) {
            redis.commands().configSet("maxmemory-policy", "noeviction");
            redis.commands().configSet("maxmemory", "1"); // every write now fails with OOM
            for (int i = 0; i < 100; i++) {
                assertEquals(200, server.post("{\"source\":\"oom\",\"cpu\":" + i + "}").statusCode());
            }
            Await.until("writes to fail", () -> redisStats(server.get("/stats")).get("write_failures").asLong() >= 2);
            JsonNode during = redisStats(server.get("/stats"));
            assertEquals(0, during.get("values_written").asLong());
            assertEquals("UP", during.get("status").asText(), "Redis is reachable, only refusing writes");
            assertEquals("{\"status\":\"DEGRADED\",\"redis\":\"UP\"}", server.get("/health").body(),
                    "nothing reaches Redis: not all is well");
            assertEquals(0, redis.commands().exists(StoredHistory.key("oom", "cpu")));

            redis.commands().configSet("maxmemory", "0");
            Await.until("the backlog to be written", () -> redisStats(server.get("/stats")).get("values_written").asLong() == 100);
            List<String> stored = StoredHistory.pairs(redis, "oom", "cpu");
            assertEquals(100, stored.size(), "each value once: a refused transaction wrote nothing");
            for (int i = 0; i < 100; i++) {
                assertTrue(stored.get(i).endsWith(" " + i), stored.get(i));
            }
            assertEquals(0, redisStats(server.get("/stats")).get("values_dropped").asLong());
            assertEquals("{\"status\":\"UP\",\"redis\":\"UP\"}", server.get("/health").body());
        }
    }

    @Test
    void sigtermUnderLoadLeavesEveryAcceptedValueInRedis() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            ServerProcess server = ServerProcess.start(Map.of("REDIS_ADDR", redis.address()));
            int clients = 4;
            int[] accepted = new int[clients];
            List<Thread> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    try {
                        while (true) { // until the server refuses (503) or is gone
                            int next = accepted[client];
                            if (server.post("{\"source\":\"term-" + client + "\",\"cpu\":" + next + "}").statusCode() != 200) {
                                return;
                            }
                            accepted[client] = next + 1;
                        }
                    } catch (Exception gone) {
                        // connection refused or closed: the server has stopped
                    }
                });
                t.start();
                load.add(t);
            }
            Thread.sleep(1500);
            server.process().destroy(); // SIGTERM
            for (Thread t : load) {
                t.join(30_000);
            }
            assertTrue(server.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, server.process().exitValue());
            for (int c = 0; c < clients; c++) {
                assertTrue(accepted[c] > 0);
                List<String> stored = StoredHistory.values(redis, "term-" + c, "cpu");
                assertTrue(stored.size() >= Math.min(accepted[c], 1000), "term-" + c + ": every value answered 200 is in Redis");
                for (int k = 0; k < stored.size(); k++) { // once each, in order, the last one last
                    assertEquals("" + (accepted[c] - stored.size() + k), stored.get(k));
                }
            }
        }
    }

    @Test
    void afterKill9TheLossIsWhatWasQueuedAndStatsSaysWhatWasRestored() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            Map<String, String> env = Map.of("REDIS_ADDR", redis.address());
            JsonNode written;
            try (ServerProcess first = ServerProcess.start(env)) {
                for (int i = 0; i < 60; i++) {
                    assertEquals(200, first.post("[{\"source\":\"a\",\"cpu\":" + (50 + i % 7) + ",\"rps\":" + i
                            + "},{\"source\":\"b\",\"cpu\":" + (i % 3) + "}]").statusCode());
                }
                Await.until("the queue to drain", () -> redisStats(first.get("/stats")).get("values_written").asLong() == 180);
                written = JSON.readTree(first.get("/analyze?source=*").body()).get("sources");
                Await.until("the snapshots to follow", () -> // within the writer's next idle round
                        JSON.readTree(redis.commands().hget("metrics:source:a", "rps")).get("count").asInt() == 60
                                && JSON.readTree(redis.commands().hget("metrics:source:b", "cpu")).get("count").asInt() == 60);

                redis.commands().configSet("maxmemory-policy", "noeviction");
                redis.commands().configSet("maxmemory", "1"); // what follows stays queued
                for (int i = 0; i < 25; i++) {
                    assertEquals(200, first.post("{\"source\":\"a\",\"cpu\":1000,\"rps\":1000}").statusCode());
                }
                Await.until("the queued values to be seen", () -> {
                    JsonNode r = redisStats(first.get("/stats"));
                    return r.get("write_failures").asLong() > 0 && r.get("values_written").asLong() == 180;
                });
                first.kill();
            }
            redis.commands().configSet("maxmemory", "0");
            assertEquals(120, StoredHistory.pairs(redis, "a", "cpu").size() + StoredHistory.pairs(redis, "b", "cpu").size(),
                    "what was written before the kill is all there");

            try (ServerProcess second = ServerProcess.start(env)) {
                assertEquals(3, redisStats(second.get("/stats")).get("restored_series").asInt(),
                        "/stats says what was restored");
                assertEquals(written, JSON.readTree(second.get("/analyze?source=*").body()).get("sources"),
                        "the loss is exactly the 25 queued events: the state is the one last written");
            }
        }
    }
}
