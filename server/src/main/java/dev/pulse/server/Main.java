package dev.pulse.server;

import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.Detector;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.ConfigException;
import dev.pulse.server.http.RemoteSnapshots;
import dev.pulse.server.http.Services;
import dev.pulse.server.redis.RedisStatus;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** Reads the configuration, starts the server, and on SIGTERM or SIGINT drains and exits with status 0. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("pulse: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Supplier<Detector> detectors = Detectors.factory(config);
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), detectors);
        Services services = new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE, RemoteSnapshots.NONE);
        PulseServer server = PulseServer.start(services);

        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            long deadline = System.nanoTime() + config.shutdownTimeoutMs() * 1_000_000L;
            Log.info("shutting down: draining requests");
            int unanswered = server.stop(deadline);
            Log.info("stopped" + (unanswered > 0 ? " with " + unanswered + " requests unanswered" : ""));
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), sig -> new Thread(shutdown, "shutdown").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(shutdown, "shutdown").start());
        stopped.await();
        System.exit(0);
    }
}
