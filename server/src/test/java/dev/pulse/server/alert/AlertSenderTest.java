package dev.pulse.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.support.AlertmanagerProcess;
import dev.pulse.server.support.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender against a real Alertmanager: delivery, labels and annotations, re-sending, resolving, outages. */
@Timeout(120)
class AlertSenderTest {
    private final SeriesRegistry registry = new SeriesRegistry(100, 10, 50, Detectors.factory(Config.defaults()));

    private Series series(String source, String metric) {
        return registry.restore(source, metric);
    }

    private static void spike(AlertQueue queue, Series s, double value) {
        queue.flagged(s, System.currentTimeMillis() / 1000.0, value, 48, 58.7, (value - 48) / 58.7, 0.97);
    }

    @Test
    void aSpikeBecomesOneAlertWithTheContractsLabelsAndAnnotations() throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess()) {
            AlertQueue queue = new AlertQueue(100);
            AlertSender sender = new AlertSender(queue, List.of(am.url()), 60_000, 600_000, any -> "zscore");
            sender.linkBase("http://pulse-7:8080");
            sender.start();
            try {
                Series s = series("web-3", "latency");
                spike(queue, s, 412);
                spike(queue, s, 420);
                Await.until("the alert in alertmanager", () -> am.alert("web-3", "latency") != null);
                JsonNode a = am.alert("web-3", "latency");
                JsonNode labels = a.get("labels");
                assertEquals("PulseAnomaly", labels.get("alertname").asText());
                assertEquals("zscore", labels.get("detector").asText());
                assertEquals("warning", labels.get("severity").asText());
                assertEquals(5, labels.size(), labels.toString());
                JsonNode notes = a.get("annotations");
                assertEquals("latency of web-3 is 420 ms, 6.3 standard deviations above its rolling average of 48 ms",
                        notes.get("summary").asText());
                assertEquals("420", notes.get("value").asText());
                assertEquals("6.34", notes.get("zscore").asText());
                assertEquals("0.97", notes.get("score").asText());
                assertEquals("http://pulse-7:8080/analyze?source=web-3&metric=latency", a.get("generatorURL").asText());
                assertTrue(Instant.parse(a.get("endsAt").asText()).isAfter(Instant.now().plusSeconds(60)),
                        "a firing alert ends well ahead of now");
                assertEquals(1, am.alerts().size(), "one alert per series");
                assertEquals(1, sender.firing());
                Await.until("the POST counted", () -> sender.sent() >= 1);
                assertEquals(0, sender.failed());
            } finally {
                sender.stop();
            }
        }
    }

    /** What a test does with a real Alertmanager and a started sender to it, which is stopped after. */
    private interface Delivery {
        void check(AlertmanagerProcess am, AlertQueue queue, AlertSender sender) throws Exception;
    }

    private static void deliver(long resendMs, Delivery delivery) throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess()) {
            AlertQueue queue = new AlertQueue(100);
            AlertSender sender = new AlertSender(queue, List.of(am.url()), resendMs, 600_000, any -> "zscore");
            sender.start();
            try {
                delivery.check(am, queue, sender);
            } finally {
                sender.stop();
            }
        }
    }

    @Test
    void aValueStampedBeforeYearZeroDoesNotKeepTheOtherAlertsFromAlertmanager() throws Exception {
        deliver(60_000, (am, queue, sender) -> {
            queue.flagged(series("old-1", "cpu"), -1e12, 412, 48, 58.7, 6.2, 0.97); // 29,700 years BC
            spike(queue, series("web-4", "cpu"), 420);
            Await.until("both alerts in alertmanager",
                    () -> am.alert("old-1", "cpu") != null && am.alert("web-4", "cpu") != null);
            assertEquals(Instant.parse("0000-01-01T00:00:00Z"),
                    Instant.parse(am.alert("old-1", "cpu").get("startsAt").asText()),
                    "the earliest start Alertmanager reads");
        });
    }

    @Test
    void aFiringAlertIsResentWithItsEndPushedAhead() throws Exception {
        deliver(300, (am, queue, sender) -> {
            spike(queue, series("db-1", "cpu"), 99);
            Await.until("the alert in alertmanager", () -> am.alert("db-1", "cpu") != null);
            Instant firstEnd = Instant.parse(am.alert("db-1", "cpu").get("endsAt").asText());
            Await.until("a re-send with a later end", () ->
                    Instant.parse(am.alert("db-1", "cpu").get("endsAt").asText()).isAfter(firstEnd));
            Await.until("both POSTs counted", () -> sender.sent() >= 2);
        });
    }

    @Test
    void aQuietSeriesIsResolvedAndSoIsADeletedOne() throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess()) {
            AlertQueue queue = new AlertQueue(100);
            // resent rarely, so the alert's own endsAt is minutes away: only a resolution removes it in time
            AlertSender sender = new AlertSender(queue, List.of(am.url()), 60_000, 1_500, any -> "zscore");
            sender.start();
            try {
                spike(queue, series("web-1", "rps"), 900);
                Await.until("the alert in alertmanager", () -> am.alert("web-1", "rps") != null);
                Await.until("the alert resolved after ALERT_RESOLVE_MS of quiet", () -> am.alert("web-1", "rps") == null);
                assertEquals(0, sender.firing());

                AlertSender deleting = new AlertSender(queue, List.of(am.url()), 60_000, 600_000, any -> "zscore");
                sender.stop();
                deleting.start();
                try {
                    spike(queue, series("web-2", "rps"), 900);
                    spike(queue, series("web-2", "cpu"), 90);
                    Await.until("two alerts", () -> am.alert("web-2", "rps") != null && am.alert("web-2", "cpu") != null);
                    long dropped = deleting.dropped();
                    for (int i = 0; i < 5 * AlertSender.RESOLVE_REQUESTS; i++) { // a mass expiry of quiet series
                        assertTrue(deleting.resolve("quiet-" + i, null));
                    }
                    assertEquals(dropped, deleting.dropped(), "sources without an alert ask for nothing");
                    assertTrue(deleting.resolve("web-2", "rps"));
                    Await.until("the deleted series' alert resolved", () -> am.alert("web-2", "rps") == null);
                    assertNotNull(am.alert("web-2", "cpu"), "the other series still fires");
                    assertTrue(deleting.resolve("web-2", null));
                    Await.until("every alert of the source resolved", () -> am.alert("web-2", "cpu") == null);
                } finally {
                    deleting.stop();
                }
            } finally {
                sender.stop();
            }
        }
    }

    @Test
    void withAlertmanagerDownFailuresAreCountedAndAlertsFlowWhenItReturns() throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess()) {
            am.stop();
            AlertQueue queue = new AlertQueue(100);
            AlertSender sender = new AlertSender(queue, List.of(am.url()), 500, 600_000, any -> "zscore");
            sender.start();
            try {
                spike(queue, series("web-9", "memory"), 97);
                Await.until("failed attempts counted", () -> sender.failed() >= 2);
                assertEquals(0, sender.sent());
                assertEquals(1, sender.firing(), "the alert stays firing while undelivered");
                am.start();
                Await.until("the alert delivered once alertmanager is back", () -> am.alert("web-9", "memory") != null);
                Await.until("the POST counted", () -> sender.sent() >= 1);
            } finally {
                sender.stop();
            }
        }
    }

    @Test
    void twoAlertmanagersEachGetTheAlertEvenWhileTheOtherIsDown() throws Exception {
        try (AlertmanagerProcess up = new AlertmanagerProcess(); AlertmanagerProcess down = new AlertmanagerProcess()) {
            down.stop();
            AlertQueue queue = new AlertQueue(100);
            AlertSender sender = new AlertSender(queue, List.of(down.url(), up.url()), 500, 600_000, any -> "zscore");
            sender.start();
            try {
                spike(queue, series("api-1", "latency"), 800);
                Await.until("the alert at the running alertmanager", () -> up.alert("api-1", "latency") != null);
                Await.until("failures against the stopped one", () -> sender.failed() >= 1);
                down.start();
                Await.until("the alert at the returned alertmanager", () -> down.alert("api-1", "latency") != null);
            } finally {
                sender.stop();
            }
        }
    }

    @Test
    void theQueueIsBoundedAndCountsWhatItRefuses() {
        AlertQueue queue = new AlertQueue(8);
        Series s = series("web-1", "cpu");
        for (int i = 0; i < 13; i++) {
            spike(queue, s, 90 + i);
        }
        assertEquals(8, queue.depth());
        assertEquals(5, queue.dropped());
        AlertSender sender = new AlertSender(queue, List.of("http://127.0.0.1:9"), 500, 600_000, any -> "zscore");
        assertEquals(5, sender.dropped());
    }
}
