package dev.pulse.server;

import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.SeriesSweeper;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.ConfigException;
import dev.pulse.server.lifecycle.SeriesRules;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.redis.RedisStatus;
import dev.pulse.server.redis.RedisTier;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The whole service wired together: registry, Redis tier (unless {@code REDIS_ADDR=none}), HTTP server. Start-up
 * rebuilds the series from Redis before listening; {@link #stop} stops accepting, answers what is in flight,
 * then flushes the Redis queue, all within one deadline.
 */
public final class Application {
    private final PulseServer server;
    private final RedisTier redis; // null without Redis
    private final SeriesSweeper sweeper; // null with SERIES_TTL_MS=0
    private final SeriesRegistry registry;
    private final Config config;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    private Application(PulseServer server, RedisTier redis, SeriesSweeper sweeper, SeriesRegistry registry,
                        Config config) {
        this.server = server;
        this.redis = redis;
        this.sweeper = sweeper;
        this.registry = registry;
        this.config = config;
    }

    /** Starts with the rules of {@code SERIES_RULES_FILE}; a bad file throws {@link ConfigException}. */
    public static Application start(Config config) throws InterruptedException {
        return start(config, SeriesRules.load(config));
    }

    public static Application start(Config config, SeriesRules rules) throws InterruptedException {
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.maxSeries(), rules.policy());
        AnomaliesOut anomalies = new AnomaliesOut(config);
        // a forgotten series' firing alert is resolved: deleted, or expired (its anomalies stopped with its values)
        registry.addForgetListener((source, series, sourceGone, deleted) -> {
            if (sourceGone) {
                anomalies.resolve(source.name(), null);
            } else {
                for (dev.pulse.server.analytics.Series s : series) {
                    anomalies.resolve(source.name(), s.metric());
                }
            }
        });
        // The warm restart (connect, read the series back) runs on a thread of its own while this one starts the
        // event loops; the server binds only once the registry is restored.
        FutureTask<RedisTier> redisStart = config.redisDisabled() ? null
                : new FutureTask<>(() -> RedisTier.start(config, registry, anomalies.log));
        if (redisStart != null) {
            new Thread(redisStart, "redis-start").start();
        }
        PulseServer.Loops loops = PulseServer.open(config);
        RedisTier redis;
        try {
            redis = redisStart == null ? null : await(redisStart);
        } catch (InterruptedException | RuntimeException e) {
            loops.close();
            throw e;
        }
        SeriesSweeper sweeper = config.seriesTtlMs() > 0 ? new SeriesSweeper(registry, config.seriesTtlMs()).start() : null;
        Services services = redis == null
                ? new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE, RemoteSnapshots.NONE,
                        anomalies, null)
                : new Services(config, registry, redis, redis.queue(), redis.remote(), anomalies, redis.anomalies());
        try {
            Application app = new Application(PulseServer.start(services, loops), redis, sweeper, registry, config);
            anomalies.start(config, app.port());
            return app;
        } catch (Exception e) { // also the transport's IOException (a port in use), which sync() throws unchecked
            if (sweeper != null) {
                sweeper.close();
            }
            if (redis != null) {
                redis.close(System.nanoTime());
            }
            throw e;
        }
    }

    /**
     * Reads {@code SERIES_RULES_FILE} again (SIGHUP): series created from now on follow the new rules, those that
     * exist keep the settings they were created with. A bad file changes nothing; throws {@link ConfigException}.
     */
    public int reloadRules() {
        SeriesRules rules = SeriesRules.load(config);
        registry.policy(rules.policy());
        return rules.size();
    }

    private static RedisTier await(FutureTask<RedisTier> start) throws InterruptedException {
        try {
            return start.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    public int port() {
        return server.port();
    }

    public Services services() {
        return server.services();
    }

    /** Stops within {@code deadlineNanos}; returns the queued values that could not be written to Redis. */
    public long stop(long deadlineNanos) {
        if (!stopped.compareAndSet(false, true)) {
            return 0;
        }
        int unanswered = server.stop(deadlineNanos);
        if (sweeper != null) {
            sweeper.close();
        }
        server.services().anomalies.stop();
        if (unanswered > 0) {
            Log.warn(unanswered + " requests unanswered at the deadline");
        }
        if (redis == null) {
            return 0;
        }
        Log.info("flushing " + redis.queueDepth() + " queued values to redis");
        long left = redis.close(deadlineNanos);
        if (left > 0) {
            Log.warn(left + " queued values not written to redis before SHUTDOWN_TIMEOUT_MS");
        }
        return left;
    }
}
