package dev.pulse.server.support;

import dev.pulse.server.PulseServer;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.http.RemoteSnapshots;
import dev.pulse.server.http.Services;
import dev.pulse.server.redis.RedisStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real server on an ephemeral loopback port, without Redis, and a JDK HTTP client pointed at it. */
public final class TestServer implements AutoCloseable {
    public final PulseServer server;
    public final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer(Map<String, String> env) throws InterruptedException {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("SERVER_PORT", "0");
        all.putIfAbsent("REDIS_ADDR", "none");
        Config config = Config.from(all);
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), Detectors.factory(config));
        server = PulseServer.start(new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE,
                RemoteSnapshots.NONE));
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

    @Override
    public void close() {
        server.stop(System.nanoTime() + 2_000_000_000L);
    }
}
