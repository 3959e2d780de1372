package dev.pulse.server.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server process on a free loopback port, which a test can stop and start again on the same port.
 * The binary is the one shipped in the embedded-redis artifact (Linux x86-64), else {@code redis-server} on PATH.
 *
 * <p>Where neither runs (macOS, arm64 without redis-server), {@code REDIS_ADDR=host:port} names a Redis the tests
 * may use: it is flushed by every test, so give a scratch instance. A test that needs to stop, restart or
 * password-protect Redis cannot do that to an external one and is skipped; with neither, every Redis test is
 * skipped with the reason (CI sets {@code REQUIRE_TOOLS=1}, which turns the skip into a failure).
 */
public final class RedisProcess implements AutoCloseable {
    private static final String BUNDLED = "/redis-server-6.2.6-v5-linux-amd64";

    private final String binary; // null: the external Redis of REDIS_ADDR
    private final String host;
    private final int port;
    private final String password;
    private final File dir;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StatefulRedisConnection<String, byte[]> binaryConnection;

    public RedisProcess(String password) throws IOException, InterruptedException {
        this.password = password;
        this.dir = Files.createTempDirectory("redis-data").toFile();
        dir.deleteOnExit();
        String external = System.getenv("REDIS_ADDR");
        String bin = binary();
        if (bin == null && external != null && !external.isBlank() && !external.equals("none")) {
            if (password != null) {
                skip("this test sets a Redis password, which it cannot do to the external REDIS_ADDR");
            }
            binary = null;
            host = external.substring(0, external.lastIndexOf(':'));
            port = Integer.parseInt(external.substring(external.lastIndexOf(':') + 1));
            commands().flushall();
            return;
        }
        if (bin == null) {
            skip("no redis-server runs here: install one on PATH or set REDIS_ADDR to a scratch Redis");
        }
        binary = bin;
        host = "127.0.0.1";
        port = Ports.free();
        start();
    }

    public RedisProcess() throws IOException, InterruptedException {
        this(null);
    }

    /** {@code host:port} for REDIS_ADDR. */
    public String address() {
        return host + ":" + port;
    }

    public void start() throws IOException, InterruptedException {
        requireOwnProcess();
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
        requireOwnProcess();
        closeClient();
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills the server (SIGKILL) and waits until it is gone. */
    public void kill() throws InterruptedException {
        requireOwnProcess();
        closeClient();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private void closeClient() {
        if (binaryConnection != null) {
            binaryConnection.close();
            binaryConnection = null;
        }
        if (connection != null) {
            connection.close();
            client.shutdown();
            connection = null;
        }
    }

    /**
     * Sends {@code DEBUG SLEEP seconds} on {@code c} and returns once Redis is asleep (a tenth of a second later),
     * with the reply to come; skips the test on a Redis that refuses DEBUG ({@code enable-debug-command no}).
     */
    public static CompletableFuture<String> debugSleep(StatefulRedisConnection<String, String> c, int seconds)
            throws InterruptedException {
        CompletableFuture<String> asleep = c.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(seconds)).toCompletableFuture();
        Thread.sleep(100);
        Assumptions.assumeFalse(asleep.isCompletedExceptionally(), "this Redis refuses DEBUG SLEEP (enable-debug-command)");
        return asleep;
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

    /** A synchronous client that reads values as bytes: the binary list entries. */
    public RedisCommands<String, byte[]> bytes() {
        if (binaryConnection == null) {
            commands();
            binaryConnection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        }
        return binaryConnection.sync();
    }

    @Override
    public void close() throws InterruptedException {
        closeClient();
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void requireOwnProcess() {
        if (binary == null) {
            skip("this test stops and starts Redis, which it cannot do to the external REDIS_ADDR");
        }
    }

    private static void skip(String why) {
        if ("1".equals(System.getenv("REQUIRE_TOOLS"))) {
            throw new AssertionError(why);
        }
        Assumptions.abort(why);
    }

    /** The bundled binary where it runs, else redis-server on PATH, else null. */
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
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
