package dev.pulse.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.server.support.AlertmanagerProcess;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole service with a real Alertmanager: a spike becomes an alert; a stopped Alertmanager changes no answer. */
@Timeout(120)
class AlertingServerTest {

    /** Steady values of latency for {@code source}, then a spike; returns every reply body. */
    private static List<String> steadyThenSpike(TestServer server, String source) throws Exception {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            replies.add(server.post("{\"timestamp\":" + (1_700_000_000 + i) + ",\"source\":\"" + source
                    + "\",\"latency\":" + (48 + i % 3) + "}").body());
        }
        replies.add(server.post("{\"timestamp\":1700000020,\"source\":\"" + source + "\",\"latency\":412}").body());
        return replies;
    }

    private static double metric(TestServer server, String sample) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(server.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void aSpikeReachesAlertmanagerAsOneAlertOfItsSeries() throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess();
             TestServer server = new TestServer(Map.of("ALERTMANAGER_URL", am.url(), "PUBLIC_URL", "http://pulse.test:8080/"))) {
            List<String> replies = steadyThenSpike(server, "web-3");
            assertTrue(replies.get(replies.size() - 1).contains("\"metric\":\"latency\""), "the spike is flagged");
            Await.until("the alert in alertmanager", () -> am.alert("web-3", "latency") != null);
            JsonNode a = am.alert("web-3", "latency");
            assertEquals("PulseAnomaly", a.get("labels").get("alertname").asText());
            assertEquals("zscore", a.get("labels").get("detector").asText());
            assertTrue(a.get("annotations").get("summary").asText()
                    .startsWith("latency of web-3 is 412 ms, "), a.toString());
            assertTrue(a.get("annotations").get("summary").asText().endsWith("above its rolling average of 49 ms"),
                    a.toString());
            assertEquals("412", a.get("annotations").get("value").asText());
            assertEquals("http://pulse.test:8080/analyze?source=web-3&metric=latency", a.get("generatorURL").asText());
            Await.until("alerts_sent_total counts the POST", () -> metric(server, "alerts_sent_total") >= 1);
            assertEquals(1.0, metric(server, "alerts_firing"));
            assertEquals(1.0, metric(server, "anomalies_detected_total{source=\"web-3\",metric=\"latency\"}"));
        }
    }

    @Test
    void withAlertmanagerStoppedAnswersAreUnchangedFailuresCountedAndAlertsFlowWhenItReturns() throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess()) {
            am.stop();
            try (TestServer alerting = new TestServer(Map.of("ALERTMANAGER_URL", am.url(), "ALERT_RESEND_MS", "500"));
                 TestServer plain = new TestServer()) {
                List<String> withDeadAlertmanager = steadyThenSpike(alerting, "web-5");
                assertEquals(steadyThenSpike(plain, "web-5"), withDeadAlertmanager,
                        "every answer is the same as without Alertmanager");
                Await.until("failed POSTs counted", () -> metric(alerting, "alerts_failed_total") >= 2);
                assertEquals(0.0, metric(alerting, "alerts_sent_total"));
                assertEquals(1.0, metric(alerting, "alerts_firing"));
                am.start();
                Await.until("the alert delivered once alertmanager is back", () -> am.alert("web-5", "latency") != null);
                Await.until("alerts_sent_total counts it", () -> metric(alerting, "alerts_sent_total") >= 1);
            }
        }
    }
}
