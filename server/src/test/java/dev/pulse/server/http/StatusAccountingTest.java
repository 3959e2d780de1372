package dev.pulse.server.http;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import dev.pulse.server.config.Config;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.RawHttp;
import dev.pulse.server.support.TestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reply is counted in {@code http_requests_total{status}}, whichever handler wrote it: each status of the
 * contract is provoked here and must then appear in {@code /metrics}.
 */
class StatusAccountingTest {
    private static final Pattern SAMPLE =
            Pattern.compile("^http_requests_total\\{method=\"(\\w+)\",path=\"([^\"]+)\",status=\"(\\w+)\"} (\\d+)", Pattern.MULTILINE);

    @Test
    @Timeout(60)
    void everyStatusIsCounted() throws Exception {
        try (TestServer server = new TestServer(Map.of("MAX_BODY_BYTES", "1024", "MAX_HEADER_BYTES", "512",
                "MAX_METRICS_PER_SOURCE", "1", "REQUEST_TIMEOUT_MS", "300", "MAX_CONNECTIONS", "3"))) {
            int port = server.port();
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(200, c.send(RawHttp.post("{\"source\":\"s\",\"cpu\":1}")).read().status());
                assertEquals(400, c.send(RawHttp.post("{\"cpu\":x}")).read().status());
                assertEquals(404, c.send(RawHttp.get("/nowhere")).read().status());
                assertEquals(405, c.send("DELETE /stats HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                assertEquals(415, c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 2\r\n\r\n{}").read().status());
                assertEquals(422, c.send(RawHttp.post("{\"source\":\"s\",\"mem\":1}")).read().status());
            }
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(413, c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 5000\r\n\r\n").read().status());
            }
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(413, c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n").read().status());
            }
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(431, c.send("GET /stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1000) + "\r\n\r\n")
                        .read().status());
            }
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(414, c.send("GET /stats?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(408, c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{")
                        .read().status());
            }
            try (RawHttp c = new RawHttp(port)) {
                assertEquals(408, c.send("GET /sta").read().status()); // the head never completes
            }
            // the connections above may still be closing on the server, and count against its three
            Await.until("the connections above to close", () -> server.server.services().http.activeConnections() == 0);
            try (RawHttp a = new RawHttp(port); RawHttp b = new RawHttp(port); RawHttp c = new RawHttp(port)) {
                assertEquals(200, a.send(RawHttp.get("/health")).read().status()); // all three are open now
                assertEquals(200, b.send(RawHttp.get("/health")).read().status());
                assertEquals(200, c.send(RawHttp.get("/health")).read().status());
                try (RawHttp refused = new RawHttp(port)) {
                    assertEquals(503, refused.read().status());
                }
            }
            Await.until("the refused connections to close", () -> server.server.services().http.activeConnections() == 0);
            Map<String, Long> byStatus;
            try (RawHttp c = new RawHttp(port)) {
                byStatus = byStatus(c.send(RawHttp.get("/metrics")).read().body());
            }
            for (String status : new String[]{"200", "400", "404", "405", "408", "413", "414", "415", "422", "431",
                    "503"}) {
                assertTrue(byStatus.containsKey(status), "status " + status + " in " + byStatus);
            }
            assertEquals(2, byStatus.get("408"), byStatus.toString());
            assertEquals(2, byStatus.get("413"), byStatus.toString());
        }
    }

    /** A route handler that fails is answered 500, logged, counted, and its connection closed. */
    @Test
    void aFailingHandlerIsAnswered500AndCounted() {
        Config config = Config.from(Map.of("REDIS_ADDR", "none"));
        HttpMetrics metrics = new HttpMetrics();
        Map<Route, Supplier<RouteHandler>> table = new EnumMap<>(Route.class);
        RouteHandler.Whole failing = ex -> {
            throw new IllegalStateException("a bug");
        };
        for (Route r : Route.values()) {
            table.put(r, () -> failing);
        }
        EmbeddedChannel channel = new EmbeddedChannel(new ServerInitializer(config, metrics, new Drain(), table));
        channel.writeInbound(Unpooled.copiedBuffer(RawHttp.get("/stats"), StandardCharsets.US_ASCII));
        String reply = dev.pulse.server.support.Replies.drain(channel).get(0);
        assertTrue(reply.startsWith("HTTP/1.1 500 "), reply);
        assertTrue(reply.contains("connection: close"), reply);
        assertTrue(!channel.isOpen(), "closed after a 500");
        ByteBuf out = Unpooled.buffer();
        metrics.writeTo(new PrometheusTextWriter().target(out));
        Map<String, Long> byStatus = byStatus(out.toString(StandardCharsets.UTF_8));
        out.release();
        assertEquals(Map.of("500", 1L), byStatus);
        channel.releaseInbound();
    }

    private static Map<String, Long> byStatus(String exposition) {
        Map<String, Long> byStatus = new TreeMap<>();
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            byStatus.merge(m.group(3), Long.parseLong(m.group(4)), Long::sum);
        }
        return byStatus;
    }
}
