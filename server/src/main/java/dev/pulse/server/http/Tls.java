package dev.pulse.server.http;

import dev.pulse.server.config.Config;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.File;

/**
 * HTTPS from {@code TLS_CERT_FILE} and {@code TLS_KEY_FILE} (PEM; the key in PKCS#8, as {@code openssl req
 * -newkey} writes it). The JDK's TLS implementation: no native library to ship, and TLS 1.2/1.3 with the JDK's
 * default ciphers. The context is built once and makes one {@code SslHandler} per connection.
 */
final class Tls {
    private Tls() {
    }

    static SslContext serverContext(Config.Access access) {
        try {
            return SslContextBuilder.forServer(new File(access.tlsCertFile()), new File(access.tlsKeyFile()))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TLS_CERT_FILE / TLS_KEY_FILE cannot be used: " + e.getMessage(), e);
        }
    }
}
