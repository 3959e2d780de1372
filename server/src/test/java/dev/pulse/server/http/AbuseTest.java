package dev.pulse.server.http;

import dev.pulse.server.support.RawHttp;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients that misbehave on purpose are refused cleanly, and everybody else is still served. */
@Timeout(180)
class AbuseTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of("REQUEST_TIMEOUT_MS", "600", "MAX_CONNECTIONS", "50"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aTrickledRequestIsCutOffWith408() throws Exception {
        try (RawHttp slow = new RawHttp(server.port())) {
            String request = RawHttp.post("{\"source\":\"slow\",\"cpu\":1}");
            try {
                for (int i = 0; i < 8; i++) {
                    slow.send(request.substring(i, i + 1));
                    Thread.sleep(150);
                }
            } catch (java.io.IOException closedOnUs) {
                // the server hung up mid-trickle: expected, its answer is waiting to be read
            }
            RawHttp.Response r = slow.read();
            assertEquals(408, r.status());
            assertTrue(slow.closedByServer());
        }
        assertEquals(404, server.get("/analyze?source=slow").statusCode(), "nothing of it was applied");
    }

    @Test
    void aRequestThatArrivesInTimeIsNotCutOff() throws Exception {
        try (RawHttp c = new RawHttp(server.port())) {
            for (int k = 0; k < 3; k++) {
                c.send(RawHttp.post("{\"source\":\"patient\",\"cpu\":1}"));
                assertEquals(200, c.read().status());
                Thread.sleep(400); // idle between requests does not count
            }
        }
    }

    @Test
    void aClientThatPipelinesWithoutReadingIsNoLongerRead() throws Exception {
        byte[] requests = RawHttp.get("/stats").repeat(10_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        try (Socket greedy = new Socket("127.0.0.1", server.port())) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 10_000; i++) { // 3 GB of requests, were they all read
                        greedy.getOutputStream().write(requests);
                        written.addAndGet(requests.length);
                    }
                } catch (java.io.IOException closed) {
                    // the socket is closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            Thread.sleep(3000);
            long stalled = written.get();
            Thread.sleep(1000);
            assertEquals(stalled, written.get(), "the server stopped reading a client that does not read its replies");
            assertTrue(stalled < 64L << 20, "it stopped early: " + stalled + " bytes of requests taken");
            try (RawHttp other = new RawHttp(server.port())) {
                assertEquals(200, other.send(RawHttp.get("/health")).read().status(), "others are still served");
            }
        }
    }

    @Test
    void thousandsOfIdleConnectionsDoNotStarveAnActiveOne() throws Exception {
        var os = (com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        // each connection costs this process two descriptors, the client's and the server's
        int n = (int) Math.min(2000, (os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount()) / 2 - 200);
        try (TestServer busy = new TestServer(Map.of("MAX_CONNECTIONS", Integer.toString(n + 10)))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    idle.add(new Socket("127.0.0.1", busy.port()));
                }
                try (RawHttp active = new RawHttp(busy.port())) {
                    for (int i = 0; i < 200; i++) {
                        active.send(RawHttp.post("{\"source\":\"active\",\"cpu\":" + i + "}"));
                        assertEquals(200, active.read().status(), "request " + i + " beside " + n + " idle connections");
                    }
                }
                assertTrue(busy.get("/stats").body().contains("\"active_connections\":" + (n + 1) + ","),
                        "every idle connection is still held open: " + n);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void connectionsPastTheLimitAreRefusedAndOthersStillServed() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 80; i++) {
                idle.add(new Socket("127.0.0.1", server.port()));
            }
            int refused = 0;
            for (Socket s : idle) {
                s.setSoTimeout(100);
                try {
                    int b = s.getInputStream().read();
                    if (b == 'H') {
                        refused++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // admitted: the server waits for a request
                }
            }
            assertTrue(refused >= 30, "the excess got the refusal: " + refused);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        Thread.sleep(200);
        assertEquals(200, server.get("/health").statusCode());
    }

    @Test
    void conflictingFramingIsRefusedAndNothingSmuggledRuns() throws Exception {
        String smuggled = "GET /analyze?source=smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
        String body = "0\r\n\r\n" + smuggled;
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
            RawHttp.Response first = c.read();
            assertTrue(first.status() == 400, "conflicting Content-Length and Transfer-Encoding: " + first.status());
            assertTrue(c.closedByServer(), "the connection is closed, so nothing after it is read as a request");
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n"
                    + "Content-Length: 12\r\n\r\n{\"cpu\":1}\r\n");
            assertEquals(400, c.read().status());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{\"cpu\":1}\r\n0\r\n\r\n");
            assertEquals(400, c.read().status());
        }
    }

    @Test
    void errorBodiesCarryNoStackTracesOrInternals() throws Exception {
        for (String body : List.of("{\"cpu\":", "[[[[", "{\"cpu\":1e99999}", "\u0000\u0001", "{\"a\":\"\\ud800\"}")) {
            String answer = server.post(body).body();
            assertFalse(answer.contains("Exception") || answer.contains("at dev.") || answer.contains("at com.")
                    || answer.contains(".java") || answer.contains("/"), answer);
        }
    }
}
