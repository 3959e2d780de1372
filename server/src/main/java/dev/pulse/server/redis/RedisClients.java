package dev.pulse.server.redis;

import dev.pulse.server.config.Config;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two Lettuce clients of the tier and their I/O threads. Both reconnect by themselves but reject commands while
 * disconnected, so callers retry and nothing piles up unseen; the writer's client never replays a command after a
 * reconnect (the writer retries its chunk itself, after checking its marker, so no transaction is sent twice).
 * Starting them costs a few hundred milliseconds of CPU, so the tier makes them only once Redis is known reachable.
 */
final class RedisClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    final RedisClient client;       // restore, the replica snapshots and the anomaly stream reads
    final RedisClient writerClient; // the writer's connection alone
    private final ClientResources resources = DefaultClientResources.create();

    RedisClients(Config config, AtomicLong connects) {
        RedisURI.Builder uri = RedisURI.builder().withHost(config.redisHost()).withPort(config.redisPort())
                .withTimeout(COMMAND_TIMEOUT);
        if (!config.redisPassword().isEmpty()) {
            uri.withPassword(config.redisPassword().toCharArray());
        }
        client = RedisClient.create(resources, uri.build());
        writerClient = RedisClient.create(resources, uri.build());
        client.setOptions(options().build());
        writerClient.setOptions(options()
                .replayFilter(command -> true) // no replay after a reconnect: a replayed EXEC could apply a chunk twice
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build()) // the writer times its replies
                .build());
        RedisConnectionStateListener connected = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                connects.incrementAndGet();
            }
        };
        client.addListener(connected);
        writerClient.addListener(connected);
    }

    private static ClientOptions.Builder options() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(1_000_000)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build());
    }

    void shutdown() {
        writerClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
