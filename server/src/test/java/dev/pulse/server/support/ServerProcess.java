package dev.pulse.server.support;

import dev.pulse.server.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as its own JVM ({@link Main}, this test's class path), for what only a real process shows: signals,
 * {@code kill -9}, exit codes. Without {@code REDIS_ADDR} in the environment it runs with none.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();
    private final StringBuffer output;

    private ServerProcess(Process process, int port, StringBuffer output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** A builder for the service's JVM with {@code env} on top of {@code REDIS_ADDR=none}; output merged. */
    public static ProcessBuilder builder(Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        pb.environment().put("REDIS_ADDR", "none");
        pb.environment().putAll(env);
        return pb.redirectErrorStream(true);
    }

    /** Starts the service on a free port and returns once it listens. */
    public static ServerProcess start(Map<String, String> env) throws IOException, InterruptedException {
        int port = Ports.free();
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("SERVER_PORT", Integer.toString(port));
        Process p = builder(all).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer output = new StringBuffer();
        String line;
        while ((line = log.readLine()) != null) {
            output.append(line).append('\n');
            if (line.contains("listening on port")) {
                break;
            }
        }
        if (line == null) {
            throw new IOException("the server exited during start-up: " + p.waitFor(5, TimeUnit.SECONDS) + "\n" + output);
        }
        Thread drain = new Thread(() -> {
            try {
                for (String more; (more = log.readLine()) != null; ) {
                    output.append(more).append('\n');
                }
            } catch (IOException closed) {
                // the process is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(p, port, output);
    }

    /** Everything the process has written to standard output and error so far. */
    public String output() {
        return output.toString();
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics-data"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
