package dev.pulse.server;

import dev.pulse.server.support.Await;
import dev.pulse.server.support.RedisProcess;
import dev.pulse.server.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** REDIS_PASSWORD never appears in the logs, /stats, /health or /metrics: right, wrong, or with Redis gone. */
@Timeout(120)
class SecretsTest {

    private static void assertNowhere(String secret, ServerProcess server) throws Exception {
        for (String path : new String[] {"/stats", "/health", "/metrics", "/analyze?source=*"}) {
            assertFalse(server.get(path).body().contains(secret), path);
        }
        assertFalse(server.output().contains(secret), "the log holds the password:\n" + server.output());
    }

    @Test
    void theRightPasswordIsNeverShown() throws Exception {
        String secret = "right-horse-battery-staple";
        try (RedisProcess redis = new RedisProcess(secret);
             ServerProcess server = ServerProcess.start(Map.of("REDIS_ADDR", redis.address(), "REDIS_PASSWORD", secret))) {
            assertEquals(200, server.post("{\"source\":\"s\",\"cpu\":1}").statusCode());
            redis.kill(); // reconnect attempts log too
            Thread.sleep(1500);
            assertTrue(server.output().contains("listening on port"));
            assertNowhere(secret, server);
        }
    }

    @Test
    void aWrongPasswordIsNeverShown() throws Exception {
        String wrong = "wrong-horse-battery-staple";
        try (RedisProcess redis = new RedisProcess("the-real-one");
             ServerProcess server = ServerProcess.start(Map.of("REDIS_ADDR", redis.address(), "REDIS_PASSWORD", wrong))) {
            Await.until("the refusal is logged", () -> server.output().contains("unreachable at start-up"));
            assertTrue(server.output().contains("WRONGPASS"), "the reason Redis gave: " + server.output());
            Thread.sleep(1500); // the background connector retries and logs each attempt meanwhile
            assertNowhere(wrong, server);
        }
    }
}
