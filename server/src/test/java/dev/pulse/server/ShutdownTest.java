package dev.pulse.server;

import dev.pulse.server.support.Await;
import dev.pulse.server.support.RawHttp;
import dev.pulse.server.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real process: a bad setting stops start-up; SIGTERM answers the request in flight, then exits 0. */
@Timeout(180)
class ShutdownTest {

    private static void awaitInFlight(int port, int n) throws Exception {
        Await.until("the request to reach the server", () -> {
            try (RawHttp c = new RawHttp(port)) {
                return c.send(RawHttp.get("/stats")).read().body().contains("\"in_flight\":" + n + ",");
            }
        });
    }

    @Test
    void aPortInUseStopsStartUpWithOneLineAndNonZeroStatus() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            int port = taken.getLocalPort();
            Process p = ServerProcess.builder(Map.of("SERVER_PORT", Integer.toString(port))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the process ends");
            assertEquals(1, p.exitValue(), out);
            String[] lines = out.strip().split("\n");
            assertEquals("pulse: cannot listen on port " + port + ": Address already in use", lines[lines.length - 1]);
            assertTrue(!out.contains("\tat "), "no stack trace: " + out);
        }
    }

    @Test
    void aBadSettingStopsStartUpWithOneLineAndNonZeroStatus() throws Exception {
        Process p = ServerProcess.builder(Map.of("WINDOW_SIZE", "many")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertEquals("pulse: invalid configuration: WINDOW_SIZE=many: not a number", out.strip());
    }

    @Test
    void sigtermFinishesTheRequestInFlightThenExitsZero() throws Exception {
        ServerProcess server = ServerProcess.start(Map.of());
        Process p = server.process();
        int port = server.port();
        try (RawHttp inFlight = new RawHttp(port)) {
            String body = "{\"source\":\"last\",\"cpu\":1}";
            inFlight.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body.substring(0, 5));
            awaitInFlight(port, 2); // this request and the /stats asking
            p.destroy(); // SIGTERM
            Thread.sleep(300);
            try (RawHttp late = new RawHttp(port)) {
                late.send(RawHttp.get("/health"));
                assertEquals(503, late.read().status(), "new requests during the drain get 503");
            } catch (java.net.ConnectException refused) {
                // the listening socket may already be closed: also a refusal
            }
            inFlight.send(body.substring(5));
            RawHttp.Response r = inFlight.read();
            assertEquals(200, r.status(), "the request in flight is answered");
            assertEquals("close", r.header("connection"));
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }
}
