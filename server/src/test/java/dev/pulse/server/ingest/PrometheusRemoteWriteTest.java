package dev.pulse.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.Ports;
import dev.pulse.server.support.TestServer;
import dev.pulse.server.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus scrapes a small exporter served here and remote-writes to pulse, configured as the README's
 * block says (bearer token, {@code write_relabel_configs} choosing the series): the exporter's values appear in
 * {@code /analyze}, its counter as a per-second rate, and a restart of Prometheus counts nothing twice. vmagent,
 * another collector's remote write, does the same.
 */
@Timeout(180)
class PrometheusRemoteWriteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "remote-write-token-42";
    /** The exporter's counter grows by this much per second of its own clock. */
    private static final double RATE = 5.0;
    /** The exporter's gauge and counter as pulse names them; the exporter's third series is left out. */
    private static final String GAUGE = "demo_temperature_celsius{room=\"lab\"}";
    private static final String COUNTER = "demo_requests_total{code=\"200\"}";

    @Test
    void seriesArriveCountersAsRatesAndARestartCountsNothingTwice(@TempDir Path dir) throws Exception {
        String prometheus = Tools.require("prometheus");
        try (DemoExporter exporter = new DemoExporter();
             TestServer pulse = new TestServer(Map.of("AUTH_TOKEN", TOKEN))) {
            String source = exporter.source();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: demo
                        static_configs:
                          - targets: ['%s']
                    remote_write:
                      - url: http://127.0.0.1:%d/api/v1/write
                        authorization:
                          credentials: %s
                        write_relabel_configs:
                          - source_labels: [__name__]
                            regex: 'demo_.*'
                            action: keep
                        queue_config:
                          batch_send_deadline: 1s
                          min_backoff: 100ms
                          max_backoff: 1s
                    """.formatted(source, pulse.port(), TOKEN));
            Path data = dir.resolve("data");
            Process p = startPrometheus(prometheus, config, data, dir);
            try {
                assertDemoSeriesArrive(pulse, exporter);

                stop(p);
                int scrapedBeforeRestart = exporter.scrapes.get();
                long before = count(pulse, source, GAUGE);
                assertTrue(before <= scrapedBeforeRestart,
                        before + " values from " + scrapedBeforeRestart + " scrapes");

                p = startPrometheus(prometheus, config, data, dir);
                Await.until("new values after the restart", 90_000,
                        () -> count(pulse, source, GAUGE) >= before + 2);
                stop(p);
                long after = count(pulse, source, GAUGE);
                // each scrape's value is counted at most once, whatever Prometheus re-sent from its WAL
                int scraped = exporter.scrapes.get();
                assertTrue(after <= scraped, after + " values from " + scraped + " scrapes");
                assertEquals(RATE, analyze(pulse, source, COUNTER).get("rolling_avg").asDouble(), 0.5);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Another collector than Prometheus: VictoriaMetrics' vmagent scrapes the same exporter and remote-writes to
     * pulse with the token, its own relabelling keeping the demo series. The same series, kinds and rate arrive.
     */
    @Test
    void vmagentsRemoteWriteArrivesTheSameWay(@TempDir Path dir) throws Exception {
        String vmagent = Tools.require("vmagent");
        try (DemoExporter exporter = new DemoExporter();
             TestServer pulse = new TestServer(Map.of("AUTH_TOKEN", TOKEN))) {
            String source = exporter.source();
            Path scrape = dir.resolve("scrape.yml");
            Files.writeString(scrape, """
                    scrape_configs:
                      - job_name: demo
                        scrape_interval: 1s
                        static_configs:
                          - targets: ['%s']
                    """.formatted(source));
            Path relabel = dir.resolve("relabel.yml");
            Files.writeString(relabel, """
                    - source_labels: [__name__]
                      regex: 'demo_.*'
                      action: keep
                    """);
            int port = Ports.free();
            Process p = new ProcessBuilder(vmagent, "-promscrape.config=" + scrape,
                    "-remoteWrite.url=http://127.0.0.1:" + pulse.port() + "/api/v1/write",
                    "-remoteWrite.bearerToken=" + TOKEN, "-remoteWrite.urlRelabelConfig=" + relabel,
                    "-remoteWrite.flushInterval=1s", "-remoteWrite.tmpDataPath=" + dir.resolve("data"),
                    "-httpListenAddr=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("vmagent.log").toFile()).start();
            try {
                assertDemoSeriesArrive(pulse, exporter);
                assertTrue(count(pulse, source, GAUGE) <= exporter.scrapes.get(),
                        "each scrape's value counted at most once");
            } finally {
                p.destroy();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "vmagent stopped");
            }
        }
    }

    /**
     * The collector's relabelling kept the exporter's demo series: three values of the gauge arrive as values (the
     * last one served), two of the counter as its per-second rate, and the other series not at all.
     */
    private static void assertDemoSeriesArrive(TestServer pulse, DemoExporter exporter) throws Exception {
        String source = exporter.source();
        Set<Double> served = exporter.served;
        Await.until("three values of the gauge in pulse", 90_000, () -> count(pulse, source, GAUGE) >= 3);
        Await.until("two rates of the counter in pulse", 30_000, () -> count(pulse, source, COUNTER) >= 2);
        JsonNode g = analyze(pulse, source, GAUGE);
        assertEquals("value", g.get("kind").asText());
        assertTrue(served.contains(g.get("last").asDouble()), "last " + g.get("last") + " of " + served);
        JsonNode c = analyze(pulse, source, COUNTER);
        assertEquals("rate", c.get("kind").asText());
        assertEquals(RATE, c.get("rolling_avg").asDouble(), 0.5, c.toString());
        assertEquals(404, pulse.get(analyzePath(source, "other_series")).statusCode(),
                "the relabelling keeps demo_ series only");
    }

    /**
     * A small exporter: a gauge cycling through 20-26 (each value served is added to {@link #served}), a counter
     * growing by {@link #RATE} a second, and one series the remote write leaves out.
     */
    private static final class DemoExporter implements AutoCloseable {
        final AtomicInteger scrapes = new AtomicInteger();
        final Set<Double> served = ConcurrentHashMap.newKeySet();
        private final HttpServer server;

        DemoExporter() throws IOException {
            long start = System.currentTimeMillis();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/metrics", ex -> {
                int n = scrapes.incrementAndGet();
                double gauge = 20 + n % 7;
                served.add(gauge);
                double counter = RATE * (System.currentTimeMillis() - start) / 1000.0;
                byte[] body = ("# TYPE demo_temperature_celsius gauge\n"
                        + "demo_temperature_celsius{room=\"lab\"} " + gauge + "\n"
                        + "# TYPE demo_requests_total counter\n"
                        + "demo_requests_total{code=\"200\"} " + counter + "\n"
                        + "# TYPE other_series gauge\n"
                        + "other_series 1\n").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            server.start();
        }

        /** The scrape target, which is also the source pulse files the series under. */
        String source() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Process startPrometheus(String prometheus, Path config, Path data, Path dir) throws IOException {
        int port = Ports.free();
        return new ProcessBuilder(prometheus, "--config.file=" + config, "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus-" + port + ".log").toFile()).start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: Prometheus shuts down cleanly, its WAL kept for the next start
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "prometheus stopped");
    }

    private static String analyzePath(String source, String metric) {
        return "/analyze?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                + "&metric=" + URLEncoder.encode(metric, StandardCharsets.UTF_8);
    }

    private static long count(TestServer pulse, String source, String metric) throws Exception {
        HttpResponse<String> r = pulse.get(analyzePath(source, metric));
        return r.statusCode() == 200 ? JSON.readTree(r.body()).get("metrics").get(metric).get("count").asLong() : 0;
    }

    private static JsonNode analyze(TestServer pulse, String source, String metric) throws Exception {
        HttpResponse<String> r = pulse.get(analyzePath(source, metric));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("metrics").get(metric);
    }
}
