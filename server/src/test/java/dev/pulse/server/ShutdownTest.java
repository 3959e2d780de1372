package dev.pulse.server;

import dev.pulse.server.support.RawHttp;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real process: a bad setting stops start-up; SIGTERM answers the request in flight, then exits 0. */
class ShutdownTest {

    private static ProcessBuilder java(String... env) {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().put("REDIS_ADDR", "none");
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        return pb.redirectErrorStream(true);
    }

    private static void awaitInFlight(int port, int n) throws Exception {
        for (int i = 0; i < 500; i++) {
            try (RawHttp c = new RawHttp(port)) {
                String body = c.send(RawHttp.get("/stats")).read().body();
                if (body.contains("\"in_flight\":" + n + ",")) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the request never reached the server");
    }

    @Test
    void aBadSettingStopsStartUpWithOneLineAndNonZeroStatus() throws Exception {
        Process p = java("WINDOW_SIZE", "many").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertEquals("pulse: invalid configuration: WINDOW_SIZE=many: not a number", out.strip());
    }

    @Test
    void sigtermFinishesTheRequestInFlightThenExitsZero() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = java("SERVER_PORT", Integer.toString(port)).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = log.readLine()) != null && !line.contains("listening on port")) {
            // wait for start-up
        }
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
