package dev.pulse.server.http;

import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.config.Config;
import dev.pulse.server.metrics.HttpMetrics;
import dev.pulse.server.metrics.LatencyWindow;
import dev.pulse.server.metrics.ServerCounters;
import dev.pulse.server.query.AnalyzeView;
import dev.pulse.server.query.FleetView;
import dev.pulse.server.query.StatsView;
import dev.pulse.server.redis.RedisStatus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every connection shares: configuration, the registry, counters and views. All members are thread-safe;
 * {@link #draining} and {@link #inFlight} coordinate shutdown.
 */
public final class Services {
    public final Config config;
    public final SeriesRegistry registry;
    public final ServerCounters counters = new ServerCounters();
    public final HttpMetrics http = new HttpMetrics();
    public final LatencyWindow latency = new LatencyWindow();
    public final RedisStatus redis;
    public final BatchListener listener;
    public final AnalyzeView analyze;
    public final FleetView fleet;
    public final StatsView stats;
    public final RemoteSnapshots remote;

    /** Requests received and not yet answered, across all connections. */
    public final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining; // set once by the shutdown thread

    public Services(Config config, SeriesRegistry registry, RedisStatus redis, BatchListener listener,
                    RemoteSnapshots remote) {
        this.config = config;
        this.registry = registry;
        this.redis = redis;
        this.listener = listener;
        this.remote = remote;
        this.analyze = new AnalyzeView(config.windowSize(), config.zscoreThreshold());
        this.fleet = new FleetView(registry, config.windowSize(), config.zscoreThreshold(), config.analyzeCacheTtlMs(),
                remote::fleet);
        this.stats = new StatsView(counters, http, latency, registry, redis, fleet, inFlight::get);
    }

    public boolean draining() {
        return draining;
    }

    /** From now on new requests get 503 and {@code /health} says DOWN. */
    public void startDraining() {
        draining = true;
    }
}
