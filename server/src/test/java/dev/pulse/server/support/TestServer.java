package dev.pulse.server.support;

import dev.pulse.server.Application;
import dev.pulse.server.config.Config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real service on an ephemeral loopback port (without Redis unless {@code REDIS_ADDR} is given), and a JDK HTTP
 * client pointed at it.
 */
public final class TestServer implements AutoCloseable {
    public final Application server;
    public final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer(Map<String, String> env) throws InterruptedException {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("SERVER_PORT", "0");
        all.putIfAbsent("REDIS_ADDR", "none");
        server = Application.start(Config.from(all));
    }

    public TestServer() throws InterruptedException {
        this(Map.of());
    }

    public int port() {
        return server.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body, "application/json");
    }

    public HttpResponse<String> post(String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/metrics-data")).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops like SIGTERM does; returns the queued values that could not be written to Redis. */
    public long stop() {
        return server.stop(System.nanoTime() + 10_000_000_000L);
    }

    @Override
    public void close() {
        stop();
    }
}
