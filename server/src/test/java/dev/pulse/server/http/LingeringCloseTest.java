package dev.pulse.server.http;

import dev.pulse.server.support.RawHttp;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client that keeps sending a large body after the server has refused it reads the refusal, not a connection
 * reset: the server reads the rest of the body out before it closes. The clients write as over a real network (64 KiB
 * pieces a millisecond apart, through a small send buffer) and read only once they have sent everything, as Python's
 * http.client does.
 */
class LingeringCloseTest {
    private static final int CLIENTS = 50;
    private static final int BODY = 2 * 1024 * 1024;
    private static final int PIECE = 64 * 1024;

    @Test
    @Timeout(120)
    void pacedClientsSendingTooMuchAllReadTheir413() throws Exception {
        try (TestServer server = new TestServer(java.util.Map.of("MAX_BODY_BYTES", "65536"))) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<String>> outcomes = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    outcomes.add(pool.submit(() -> sendTooMuch(server.port())));
                }
                List<String> seen = new ArrayList<>();
                for (Future<String> f : outcomes) {
                    seen.add(f.get(100, TimeUnit.SECONDS));
                }
                assertEquals(List.of(), seen.stream().filter(s -> !s.equals("413")).toList(),
                        "every client read its 413; the others saw: " + seen);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The status the client read, or what went wrong. */
    private static String sendTooMuch(int port) {
        byte[] piece = new byte[PIECE];
        java.util.Arrays.fill(piece, (byte) '1');
        try (RawHttp c = new RawHttp(port)) {
            c.sendBuffer(PIECE); // on loopback the kernel would otherwise buffer the whole body before the server reads
            c.send("POST /metrics-data HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + BODY
                    + "\r\n\r\n");
            for (int sent = 0; sent < BODY; sent += PIECE) {
                c.send(piece, 0, PIECE);
                LockSupport.parkNanos(1_000_000); // the pacing of a real network, not a wait for the server
            }
            RawHttp.Response r = c.read();
            return Integer.toString(r.status());
        } catch (Exception e) {
            return e.toString();
        }
    }
}
