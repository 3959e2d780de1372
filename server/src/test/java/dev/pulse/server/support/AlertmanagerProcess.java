package dev.pulse.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager ({@code prometheus-alertmanager}, the Debian package) on a free loopback port with clustering
 * off and a receiver that sends nothing, which a test can stop and start again on the same port.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String binary;
    private final int port;
    private final Path dir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    public AlertmanagerProcess() throws Exception {
        binary = Tools.require("prometheus-alertmanager");
        port = Ports.free();
        dir = Files.createTempDirectory("alertmanager");
        Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: nowhere
                receivers:
                  - name: nowhere
                """);
        start();
    }

    /** The base URL, for ALERTMANAGER_URL. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void start() throws Exception {
        process = new ProcessBuilder(binary, "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "alertmanager.log")).start();
        Await.until("alertmanager ready on port " + port, () -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The active alerts ({@code GET /api/v2/alerts}): resolved ones are not listed. */
    public List<JsonNode> alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("alertmanager answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new java.util.ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    /** The active alert of ({@code source}, {@code metric}), or null. */
    public JsonNode alert(String source, String metric) throws IOException, InterruptedException {
        for (JsonNode a : alerts()) {
            if (a.path("labels").path("source").asText().equals(source)
                    && a.path("labels").path("metric").asText().equals(metric)) {
                return a;
            }
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
