package dev.pulse.server.http;

import dev.pulse.protocol.remote.WriteRequestWriter;
import dev.pulse.server.HealthProbe;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.RawHttp;
import dev.pulse.server.support.ServerProcess;
import dev.pulse.server.support.TestServer;
import dev.pulse.server.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AUTH_TOKEN on every route that changes state, and HTTPS from TLS_CERT_FILE / TLS_KEY_FILE. */
@Timeout(60)
class AccessTest {
    private static final String TOKEN = "k8s-horse-battery-staple-0123";

    /** A body each mutating route would accept, so a 401 is about the token alone. */
    private static HttpRequest.Builder request(URI base, Route route) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(route.path() + "?source=web-1"));
        return switch (route) {
            case INGEST -> b.POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"web-1\",\"cpu\":1}"))
                    .header("Content-Type", "application/json");
            case REMOTE_WRITE -> b.POST(HttpRequest.BodyPublishers.ofByteArray(org.xerial.snappy.Snappy.compress(
                            new WriteRequestWriter().series(new String[]{"__name__", "cpu", "instance", "web-1"},
                                    new long[]{1_700_000_000_000L}, new double[]{1}).toByteArray())))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy");
            case OTLP_METRICS -> b.POST(HttpRequest.BodyPublishers.ofString("{\"resourceMetrics\":[{\"resource\":"
                            + "{\"attributes\":[{\"key\":\"host.name\",\"value\":{\"stringValue\":\"web-1\"}}]},"
                            + "\"scopeMetrics\":[{\"metrics\":[{\"name\":\"cpu\",\"gauge\":{\"dataPoints\":"
                            + "[{\"timeUnixNano\":\"1700000000000000000\",\"asDouble\":1}]}}]}]}]}"))
                    .header("Content-Type", "application/json");
            default -> b.method(route.method().name(), HttpRequest.BodyPublishers.noBody());
        };
    }

    @Test
    void refusesEveryRouteThatChangesStateWithoutTheToken() throws Exception {
        try (TestServer server = new TestServer(Map.of("AUTH_TOKEN", TOKEN))) {
            URI base = server.uri("/");
            int guarded = 0;
            for (Route route : Route.values()) {
                if (!route.mutates()) {
                    continue;
                }
                guarded++;
                for (String auth : new String[]{null, "Bearer wrong-token", "Bearer " + TOKEN + "x", "Basic " + TOKEN,
                        "Bearer", "bearer " + TOKEN.substring(1)}) {
                    HttpRequest.Builder b = request(base, route);
                    if (auth != null) {
                        b.header("Authorization", auth);
                    }
                    HttpResponse<String> r = server.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(401, r.statusCode(), route + " with " + auth);
                    assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""), route.name());
                    assertFalse(r.body().contains(TOKEN), r.body());
                }
            }
            assertTrue(guarded >= 3, "the ingest routes are guarded");
            assertEquals(404, server.get("/analyze?source=web-1").statusCode(), "nothing was applied");
            // each refused ingest request counted once, as a rejected one: three routes, six tries each
            assertTrue(server.get("/metrics").body().contains("\nevents_rejected_total{reason=\"unauthorized\"} 18\n"));
            assertTrue(server.get("/stats").body().contains("\"rejected_total\":18,"), server.get("/stats").body());
            assertTrue(server.get("/metrics").body().contains(
                    "http_requests_total{method=\"POST\",path=\"/metrics-data\",status=\"401\"} 6"), "401 by name");

            for (Route route : new Route[]{Route.INGEST, Route.REMOTE_WRITE, Route.OTLP_METRICS}) {
                HttpResponse<String> r = server.client.send(request(base, route)
                        .header("Authorization", (route == Route.OTLP_METRICS ? "bearer " : "Bearer ") + TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertTrue(r.statusCode() / 100 == 2, route + ": " + r.statusCode() + " " + r.body());
            }
            for (String path : new String[]{"/health", "/stats", "/metrics", "/analyze?source=web-1"}) {
                assertEquals(200, server.get(path).statusCode(), path); // probes and scrapes need no token
            }
        }
    }

    @Test
    void theTokenAppearsInNoLogReplyOrMetric() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("AUTH_TOKEN", TOKEN))) {
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
            for (String auth : new String[]{"Bearer " + TOKEN, "Bearer not-" + TOKEN}) {
                client.send(request(base, Route.INGEST).header("Authorization", auth).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            for (String path : new String[]{"/stats", "/health", "/metrics", "/analyze?source=*"}) {
                assertFalse(server.get(path).body().contains(TOKEN), path);
            }
            assertFalse(server.output().contains(TOKEN), server.output());
        }
    }

    /**
     * The environment of a server on TLS: a self-signed certificate for localhost and 127.0.0.1 ({@code dir/cert.pem})
     * and its key, made by openssl, plus the {@code more} name and value pairs.
     */
    private static Map<String, String> tls(Path dir, String... more) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder(Tools.require("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Map<String, String> env = new java.util.HashMap<>(Map.of("TLS_CERT_FILE", cert.toString(),
                "TLS_KEY_FILE", key.toString()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void servesHttpsWithTheConfiguredCertificateAndNoPlainHttp(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(tls(dir, "AUTH_TOKEN", TOKEN))) {
            Path cert = dir.resolve("cert.pem");
            HttpClient https = HttpClient.newBuilder().sslContext(HealthProbe.trusting(cert))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("https://127.0.0.1:" + server.port() + "/");
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> ingest = https.send(request(base, Route.INGEST)
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ingest.statusCode(), ingest.body());

            String plain = plainHttp(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            assertFalse(plain.startsWith("HTTP/1.1 200"), plain);

            assertEquals(0, probe(server.port(), cert), "the container's health probe speaks TLS when the server does");
            assertEquals(1, probe(server.port(), null), "plain HTTP on the TLS port is not healthy");
        }
    }

    /** Runs the image's health probe against {@code port}; returns its exit status. */
    private static int probe(int port, Path cert) throws Exception {
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.pulse.server.HealthProbe").redirectErrorStream(true);
        b.environment().put("SERVER_PORT", Integer.toString(port));
        b.environment().remove("TLS_CERT_FILE");
        if (cert != null) {
            b.environment().put("TLS_CERT_FILE", cert.toString());
        }
        Process p = b.start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void connectionsPastTheLimitOnTheTlsPortAreClosedWithoutPlainText(@TempDir Path dir) throws Exception {
        try (TestServer server = new TestServer(tls(dir, "MAX_CONNECTIONS", "1"))) {
            RawHttp held = null;
            boolean refused = false;
            try {
                for (int attempt = 0; attempt < 20 && !refused; attempt++) {
                    if (held == null || held.firstByteWithin(100) != null) {
                        // an extra one's channel may go active first, on the other event loop, and this one be refused
                        if (held != null) {
                            held.close();
                        }
                        held = new RawHttp(server.port());
                    }
                    try (RawHttp extra = new RawHttp(server.port())) {
                        Integer first = extra.firstByteWithin(1_000);
                        if (first != null) { // null: accepted as the first, it waits for a TLS hello
                            assertEquals(-1, first, "no plain-text reply on the TLS port");
                            refused = held.firstByteWithin(100) == null; // the held one, open, took the only place
                        }
                    }
                }
            } finally {
                if (held != null) {
                    held.close();
                }
            }
            assertTrue(refused, "a connection past the limit is closed");
        }
    }

    @Test
    void plainHttpOnTheTlsPortLeavesNoTokenInTheLog(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start(tls(dir, "AUTH_TOKEN", TOKEN))) {
            plainHttp(server.port(), "POST /metrics-data HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 9\r\n\r\n{\"cpu\":1}");
            Await.until("the refusal is logged", () -> server.output().contains("does not speak TLS"));
            String hex = java.util.HexFormat.of().formatHex(TOKEN.getBytes(StandardCharsets.US_ASCII));
            assertFalse(server.output().contains(TOKEN) || server.output().contains(hex), server.output());
        }
    }

    @Test
    void refusesToStartWithACertificateItCannotLoad(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.pem");
        java.nio.file.Files.writeString(junk, "not a certificate");
        ProcessBuilder pb = ServerProcess.builder(Map.of("TLS_CERT_FILE", junk.toString(), "TLS_KEY_FILE", junk.toString(),
                "SERVER_PORT", "0"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("TLS_CERT_FILE"), out);
    }

    /** What a plain-HTTP client gets from the TLS port: whatever comes back before the server closes. */
    private static String plainHttp(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            byte[] got = in.readNBytes(64);
            return new String(got, StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException reset) {
            return "reset: " + reset.getMessage();
        }
    }

}
