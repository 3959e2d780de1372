package dev.pulse.server.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free loopback port, which a test can stop and start again on the same port.
 * The binary is the one shipped in the embedded-redis artifact (Linux x86-64), or {@code redis-server} on PATH.
 */
public final class RedisProcess implements AutoCloseable {
    private static final String BUNDLED = "/redis-server-6.2.6-v5-linux-amd64";

    private final String binary;
    private final int port;
    private final String password;
    private final File dir;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    public RedisProcess(String password) throws IOException, InterruptedException {
        this.binary = binary();
        this.password = password;
        this.dir = Files.createTempDirectory("redis-data").toFile();
        dir.deleteOnExit();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        start();
    }

    public RedisProcess() throws IOException, InterruptedException {
        this(null);
    }

    /** {@code host:port} for REDIS_ADDR. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public void start() throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.getPath()));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    /** Stops the server (SIGTERM: its append-only file keeps the data for the next start) and waits. */
    public void stop() throws InterruptedException {
        closeClient();
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills the server (SIGKILL) and waits until it is gone. */
    public void kill() throws InterruptedException {
        closeClient();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private void closeClient() {
        if (connection != null) {
            connection.close();
            client.shutdown();
            connection = null;
        }
    }

    /** A synchronous client for assertions. */
    public RedisCommands<String, String> commands() {
        if (connection == null) {
            String auth = password == null ? "" : ":" + password + "@";
            client = RedisClient.create("redis://" + auth + address());
            connection = client.connect();
        }
        return connection.sync();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static String binary() throws IOException {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            try (InputStream in = RedisProcess.class.getResourceAsStream(BUNDLED)) {
                if (in != null) {
                    File f = File.createTempFile("redis-server", "");
                    f.deleteOnExit();
                    Files.copy(in, f.toPath(), StandardCopyOption.REPLACE_EXISTING);
                    if (f.setExecutable(true)) {
                        return f.getPath();
                    }
                }
            }
        }
        return "redis-server";
    }
}
