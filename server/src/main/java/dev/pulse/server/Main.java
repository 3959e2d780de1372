package dev.pulse.server;

import dev.pulse.server.log.Log;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.ConfigException;
import dev.pulse.server.lifecycle.SeriesRules;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the configuration, starts the {@link Application}, and on SIGTERM or SIGINT stops it (drain requests, flush
 * the Redis queue, bounded by {@code SHUTDOWN_TIMEOUT_MS}) and exits with status 0.
 */
public final class Main {
    /** Held so the level set on them is not lost to garbage collection. */
    private static final Logger[] QUIET = {Logger.getLogger("io.lettuce"), Logger.getLogger("io.netty")};

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Netty's pooled allocator would start JFR's event machinery on its first chunk, which held the first request
        // up by 100-400 ms; -Dio.netty.jfr.enabled=true brings its allocation events back for a profiling run.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // The leak detector records a stack trace for one buffer in 128 (2 % of the CPU of 100-event arrays); the
        // tests run with it, the service does not. -Dio.netty.leakDetection.level=simple brings it back.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        for (Logger l : QUIET) {
            l.setLevel(Level.WARNING);
        }
        Config config;
        SeriesRules rules;
        try {
            config = Config.fromEnvironment();
            rules = SeriesRules.load(config);
        } catch (ConfigException e) {
            for (String line : e.getMessage().split("\n")) { // one line per bad rule of SERIES_RULES_FILE
                System.err.println("pulse: invalid configuration: " + line);
            }
            System.exit(2);
            return;
        }
        // The signals are handled before the server listens: a client may send one as soon as it can connect, and
        // the JVM's own handlers would end the process. What they do waits until the application is up.
        CompletableFuture<Application> started = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            Application app = started.join();
            Log.info("shutting down: draining requests");
            app.stop(System.nanoTime() + config.shutdownTimeoutMs() * 1_000_000L);
            Log.info("stopped");
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), sig -> new Thread(shutdown, "shutdown").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(shutdown, "shutdown").start());
        SignalHandler hup = Signal.handle(new Signal("HUP"),
                sig -> new Thread(() -> reload(started.join(), config), "reload-rules").start());
        if (hup == SignalHandler.SIG_IGN && !config.seriesRulesFile().isEmpty()) {
            // the JVM keeps a signal the process started ignoring (as under nohup) ignored, whatever the handler
            Log.warn("SIGHUP is ignored by this process (started under nohup?): SERIES_RULES_FILE is read again only"
                    + " on a restart");
        }
        try {
            started.complete(Application.start(config, rules));
        } catch (IllegalArgumentException e) { // a TLS certificate or key that cannot be loaded
            System.err.println("pulse: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception | Error e) {
            started.completeExceptionally(e); // a signal's thread waiting for the start ends too
            if (e instanceof IOException) { // the port is taken or not ours to bind: said in one line, as a setting
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                System.err.println("pulse: cannot listen on port " + config.port() + ": "
                        + why.substring(why.lastIndexOf(": ") + 1).strip());
            } else {
                e.printStackTrace();
            }
            System.exit(1); // what started before the failure (Redis's threads, the sweeper) must not keep it running
            return;
        }
        stopped.await();
        System.exit(0);
    }

    /** SIGHUP: the rules file again, for series created from now on; a bad file keeps the rules in force. */
    private static void reload(Application app, Config config) {
        if (config.seriesRulesFile().isEmpty()) {
            Log.info("SIGHUP: no SERIES_RULES_FILE to reload");
            return;
        }
        try {
            Log.info("SIGHUP: " + app.reloadRules() + " rules from " + config.seriesRulesFile() + " apply to new series");
        } catch (ConfigException e) {
            for (String line : e.getMessage().split("\n")) {
                Log.warn("SIGHUP: rules not reloaded, the previous ones stay: " + line);
            }
        }
    }
}
