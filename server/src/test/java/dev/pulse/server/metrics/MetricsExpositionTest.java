package dev.pulse.server.metrics;

import dev.pulse.server.support.Tools;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real scrape of /metrics: the contract's families are there, bounded, and promtool accepts the text. */
@Timeout(120)
class MetricsExpositionTest {

    @Test
    void scrapeHasTheContractsFamiliesAndPassesPromtool() throws Exception {
        try (TestServer server = new TestServer(Map.of("MAX_EXPORTED_SERIES", "5"))) {
            for (int i = 0; i < 45; i++) {
                server.post("{\"source\":\"s" + (i % 3) + "\",\"cpu\":" + (i == 44 ? 500 : i % 2) + ",\"rps\":1,\"custom_x\":" + i + "}");
            }
            server.post("{\"cpu\":\"bad\"}");
            server.get("/nope");
            server.get("/analyze?source=*");
            HttpResponse<String> r = server.get("/metrics");
            assertEquals(200, r.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElseThrow());
            String text = r.body();
            for (String family : List.of("http_requests_total counter", "http_request_duration_seconds histogram",
                    "anomalies_detected_total counter", "metrics_rolling_average gauge", "metrics_zscore gauge",
                    "active_connections gauge", "events_ingested_total counter", "events_rejected_total counter",
                    "redis_queue_depth gauge", "redis_values_written_total counter", "redis_write_failures_total counter",
                    "redis_values_dropped_total counter", "analyze_cache_hits_total counter",
                    "analyze_cache_misses_total counter", "jvm_memory_bytes_used gauge")) {
                assertTrue(text.contains("# TYPE " + family + "\n"), family);
            }
            assertTrue(text.contains("http_requests_total{method=\"GET\",path=\"other\",status=\"404\"} 1\n"));
            assertTrue(text.contains("events_rejected_total{reason=\"wrong_type\"} 1\n"));
            assertTrue(text.contains("events_ingested_total 45\n"));
            assertTrue(text.contains("anomalies_detected_total{source=\"s0\",metric=\"cpu\"} 0\n"), text);
            assertEquals(5, text.lines().filter(l -> l.startsWith("anomalies_detected_total{")).count(),
                    "per-series counters stop at MAX_EXPORTED_SERIES");
            assertTrue(text.contains("\nanomalies_detected_total 1\n"),
                    "the spike of s2's cpu, the 7th series, is counted in the sample without labels: " + text);
            for (String family : List.of("alerts_sent_total counter", "alerts_failed_total counter",
                    "alerts_dropped_total counter", "alerts_firing gauge")) {
                assertTrue(text.contains("# TYPE " + family + "\n"), family);
            }
            assertEquals(5, text.lines().filter(l -> l.startsWith("metrics_rolling_average{")).count(),
                    "per-series gauges stop at MAX_EXPORTED_SERIES");

            String promtool = Tools.require("promtool");
            Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            assertEquals(0, p.waitFor(), "promtool check metrics: " + out);
        }
    }
    private static int delete(TestServer server, String source) throws Exception {
        return server.client.send(java.net.http.HttpRequest.newBuilder(server.uri("/series?source=" + source)).DELETE()
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The unlabelled sample of {@code anomalies_detected_total}, or -1 when there is none. */
    private static long summed(TestServer server) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^anomalies_detected_total (\\S+)$")
                .matcher(server.get("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void aSummedSeriesStaysSummedSoTheSummedCounterNeverGoesDown() throws Exception {
        try (TestServer server = new TestServer(Map.of("MAX_EXPORTED_SERIES", "1"))) {
            for (int i = 0; i < 12; i++) {
                server.post("{\"source\":\"a\",\"cpu\":" + (i % 2) + "}");
            }
            server.get("/metrics"); // a is named
            for (int i = 0; i < 12; i++) {
                server.post("{\"source\":\"b\",\"cpu\":" + (i % 2) + "}");
            }
            assertEquals(200, server.post("{\"source\":\"b\",\"cpu\":500}").statusCode());
            assertEquals(1, summed(server), "b's anomaly, summed");
            assertEquals(204, delete(server, "a"));
            String text = server.get("/metrics").body();
            assertEquals(1, summed(server), "b stays summed though a's place is free: " + text);
            assertTrue(!text.contains("anomalies_detected_total{source=\"b\""), text);
            assertEquals(204, delete(server, "b"));
            assertEquals(1, summed(server), "a forgotten summed series' anomalies stay counted");
            server.post("{\"source\":\"c\",\"cpu\":1}");
            assertTrue(server.get("/metrics").body().contains("anomalies_detected_total{source=\"c\",metric=\"cpu\"} 0"),
                    "a new series takes the free place");
        }
    }
}
