package dev.pulse.server;

import dev.pulse.server.alert.AlertQueue;
import dev.pulse.server.alert.AlertSender;
import dev.pulse.server.analytics.AnomalySink;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.anomaly.AnomalyLog;
import dev.pulse.server.config.Config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * Where a flagged value goes once its request is applied: the anomaly log ({@code /anomalies}, and through the
 * write-behind the Redis stream), and, with {@code ALERTMANAGER_URL}, the alert sender's queue. The event loops call
 * {@link #sink()}; neither destination blocks them.
 */
public final class AnomaliesOut {
    public final AnomalyLog log;
    /** Null when {@code ALERTMANAGER_URL} is empty. */
    public final AlertSender alerts;
    private final AnomalySink sink;

    public AnomaliesOut(Config config) {
        // each series' own detector, as SeriesRules named it: DETECTOR's, or the one its rule names
        Function<Series, String> detectorOf = s -> s.spec().detector();
        log = new AnomalyLog(config.anomalyLogSize(), detectorOf);
        if (config.alertmanagerUrls().isEmpty()) {
            alerts = null;
            sink = log;
        } else {
            AlertQueue queue = new AlertQueue(config.alertQueueCapacity());
            alerts = new AlertSender(queue, config.alertmanagerUrls(), config.alertResendMs(), config.alertResolveMs(),
                    detectorOf);
            sink = AnomalySink.both(log, queue);
        }
    }

    /** What the appliers tell of each anomaly. */
    public AnomalySink sink() {
        return sink;
    }

    /** Starts sending alerts, with links to {@code PUBLIC_URL}, else to this host's name and the bound port. */
    void start(Config config, int port) {
        if (alerts == null) {
            return;
        }
        String base = config.publicUrl();
        if (base.isEmpty()) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
            base = (config.access().tls() ? "https://" : "http://") + host + ":" + port;
        }
        alerts.linkBase(base);
        alerts.start();
    }

    /** Resolves the firing alert of a forgotten series, deleted or expired (every series of {@code source} when metric is null). */
    public void resolve(String source, String metric) {
        if (alerts != null) {
            alerts.resolve(source, metric);
        }
    }

    void stop() {
        if (alerts != null) {
            alerts.stop();
        }
    }
}
