package dev.pulse.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A container health check without curl in the image: {@code GET /health} on {@code SERVER_PORT} (8080) over
 * loopback; exits 0 on a 200 answer, 1 otherwise.
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("SERVER_PORT", "8080");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String status = new String(head, StandardCharsets.US_ASCII);
            System.exit(status.startsWith("HTTP/1.1 200") ? 0 : 1);
        } catch (Exception e) {
            System.exit(1);
        }
    }
}
