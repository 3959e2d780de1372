package dev.pulse.server.redis;

import dev.pulse.server.support.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round's list writes as one script, against a real redis-server. */
@Timeout(60)
class SeriesAppendTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pushesTrimsAndSetsTheTtlOfEachListAndAFailureStopsNoOther() throws Exception {
        try (RedisProcess redis = new RedisProcess()) {
            RedisClient client = RedisClient.create("redis://" + redis.address());
            try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
                redis.commands().rpush("trimmed", "old1", "old2", "old3");
                redis.commands().set("not-a-list", "x");
                SeriesAppend appends = new SeriesAppend();

                appends.add(b("plain"), b("e1"), 0, 0);
                appends.add(b("trimmed"), b("new"), 2, 60_000);
                assertEquals(2L, appends.send(c.async()).get());
                assertEquals(List.of("e1"), redis.commands().lrange("plain", 0, -1));
                assertEquals(-1L, redis.commands().pttl("plain"), "no TTL asked");
                assertEquals(List.of("old3", "new"), redis.commands().lrange("trimmed", 0, -1));
                long ttl = redis.commands().pttl("trimmed");
                assertTrue(ttl > 0 && ttl <= 60_000, "ttl " + ttl);

                appends.clear();
                appends.add(b("before"), b("a"), 0, 0);
                appends.add(b("not-a-list"), b("b"), 0, 0);
                appends.add(b("after"), b("c"), 0, 0);
                RedisFuture<Long> failed = appends.send(c.async());
                ExecutionException e = assertThrows(ExecutionException.class, failed::get);
                assertTrue(e.getCause().getMessage().contains("WRONGTYPE"), e.getCause().getMessage());
                assertEquals(List.of("a"), redis.commands().lrange("before", 0, -1));
                assertEquals(List.of("c"), redis.commands().lrange("after", 0, -1), "the failure stopped no other list");
                assertEquals("x", redis.commands().get("not-a-list"));
            } finally {
                client.shutdown();
            }
        }
    }
}
