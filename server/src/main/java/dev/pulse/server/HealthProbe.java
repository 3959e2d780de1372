package dev.pulse.server;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A container health check without curl in the image: {@code GET /health} on {@code SERVER_PORT} (8080) over
 * loopback; exits 0 on a 200 answer, 1 otherwise. With {@code TLS_CERT_FILE} set the server speaks TLS only, so the
 * probe does too, trusting that certificate (the one the server presents).
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("SERVER_PORT", "8080");
        String cert = System.getenv().getOrDefault("TLS_CERT_FILE", "");
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 2000);
            plain.setSoTimeout(2000);
            Socket s = cert.isEmpty() ? plain
                    : trusting(Path.of(cert)).getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
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

    /** A TLS context that trusts the certificates of {@code pem} alone (the tests' HTTPS client uses it too). */
    public static SSLContext trusting(Path pem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("cert-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
