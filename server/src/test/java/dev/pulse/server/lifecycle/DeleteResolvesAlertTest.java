package dev.pulse.server.lifecycle;

import dev.pulse.server.support.AlertmanagerProcess;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** DELETE /series resolves the series' firing alert in a real Alertmanager, and only that one. */
class DeleteResolvesAlertTest {

    private static void spike(TestServer server, String source, String metric) throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, server.post("{\"timestamp\":" + (1_700_000_000 + i) + ",\"source\":\"" + source + "\",\""
                    + metric + "\":" + (48 + i % 3) + "}").statusCode());
        }
        assertEquals(200, server.post("{\"timestamp\":1700000020,\"source\":\"" + source + "\",\"" + metric + "\":412}")
                .statusCode());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void deletingASeriesResolvesItsAlert() throws Exception {
        try (AlertmanagerProcess am = new AlertmanagerProcess();
             // resolution after quiet is far away: only the deletion can resolve within the test
             TestServer server = new TestServer(Map.of("ALERTMANAGER_URL", am.url(), "ALERT_RESOLVE_MS", "600000"))) {
            spike(server, "web-7", "latency");
            spike(server, "web-7", "rps");
            Await.until("both alerts in alertmanager",
                    () -> am.alert("web-7", "latency") != null && am.alert("web-7", "rps") != null);

            assertEquals(204, DeleteSeriesTest.delete(server, "?source=web-7&metric=latency").statusCode());
            Await.until("the deleted series' alert resolved", () -> am.alert("web-7", "latency") == null);
            assertNotNull(am.alert("web-7", "rps"), "the other series still fires");

            assertEquals(204, DeleteSeriesTest.delete(server, "?source=web-7").statusCode());
            Await.until("the source's alerts resolved", () -> am.alert("web-7", "rps") == null);
        }
    }
}
