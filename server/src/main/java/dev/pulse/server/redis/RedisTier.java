package dev.pulse.server.redis;

import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.anomaly.AnomalyLog;
import dev.pulse.server.anomaly.SharedAnomalies;
import dev.pulse.server.config.Config;
import dev.pulse.server.query.RemoteSnapshots;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The Redis tier: write-behind queue, writer thread, warm restart and the replica snapshots, behind one object.
 *
 * <p>Start-up ({@link #start}) tries Redis once: reachable, the registry is rebuilt from it before the server
 * listens; unreachable, the service starts empty, says so, and keeps trying to connect in the background so the
 * queued writes land when Redis comes. Lettuce reconnects by itself after that, and rejects commands while
 * disconnected. The writer has a client of its own that never replays a command after a reconnect: the writer
 * retries its chunk itself, after checking its marker, so no transaction is sent twice.
 */
public final class RedisTier implements RedisStatus {
    /** Keys as text, values as bytes: the binary list entries and anomaly numbers. */
    private static final RedisCodec<String, byte[]> BYTE_VALUES = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final long CONNECT_RETRY_MS = 1_000;
    /**
     * Longest a read of the anomaly stream waits for the writer's next round: a round starts within a few
     * milliseconds of the wait and a chunk of the largest size is written in well under a second.
     */
    static final long OWN_WRITES_WAIT_MS = 1_000;

    private final Config config;
    private final KeySchema keys;
    private final WriteBehindQueue queue;
    private final ForgetQueue forgets = new ForgetQueue(); // removals of forgotten series, for the writer
    private final AtomicLong connects = new AtomicLong(); // connections made (first ones and again), Lettuce's threads
    private final AtomicLong opened = new AtomicLong();   // connections the tier asked for, from any thread
    private final Object clientsLock = new Object();                            // not this: a scrape takes this
    private RedisClients clients;                                               // guarded by clientsLock, made once
    private volatile StatefulRedisConnection<byte[], byte[]> writerConnection; // set once by the connecting thread
    private volatile RedisWriter writer;                                        // set once by the connecting thread
    private volatile Thread writerThread;                                       // set once by the connecting thread
    private volatile RedisSnapshots snapshots;                                  // set once by the connecting thread
    private volatile AnomalyStreamReader anomalyReader;                         // set once by the connecting thread
    private final AnomalyLog anomalyLog;                                        // null: no anomaly stream
    private volatile HistoryRestorer.Restored restored = new HistoryRestorer.Restored(0, 0, 0, 0);
    private volatile boolean closed;                                            // set by the shutdown thread
    private final Histogram batchSizes = new Histogram(RedisWriter.CHUNK_VALUES, 2);   // guarded by this
    private final Histogram writeNanos = new Histogram(3_600_000_000_000L, 2);        // guarded by this

    private RedisTier(Config config, AnomalyLog anomalyLog) {
        this.config = config;
        this.anomalyLog = anomalyLog;
        this.keys = new KeySchema(config.redisKeyPrefix());
        this.queue = new WriteBehindQueue(config.redisQueueCapacity(), config.redisQueueFull(), config.eventLoops());
    }

    /** The Lettuce clients, made by the first thread that connects; null once closed. */
    private RedisClients clients() {
        synchronized (clientsLock) {
            if (clients == null && !closed) {
                clients = new RedisClients(config, connects);
            }
            return clients;
        }
    }

    /**
     * A connection the tier opens on purpose, counted before it connects, so that {@link #reconnects} counts only
     * the connections Lettuce makes again by itself.
     */
    private <T> T open(Supplier<T> connect) {
        opened.incrementAndGet();
        try {
            return connect.get();
        } catch (RuntimeException e) {
            opened.decrementAndGet();
            throw e;
        }
    }

    /**
     * Connects, restores the registry when Redis answers, and starts the writer. Call before the server listens.
     */
    public static RedisTier start(Config config, SeriesRegistry registry) {
        return start(config, registry, null);
    }

    /**
     * As {@link #start(Config, SeriesRegistry)}, also copying {@code anomalyLog} into the stream replicas share.
     * Whether Redis is reachable is first asked with a plain TCP connect: when it is not, the service starts at once
     * and the clients are started by the background connector, so an absent Redis costs start-up nothing.
     */
    public static RedisTier start(Config config, SeriesRegistry registry, AnomalyLog anomalyLog) {
        RedisTier tier = new RedisTier(config, anomalyLog);
        registry.addForgetListener(tier.forgets);
        String where = config.redisHost() + ":" + config.redisPort();
        StatefulRedisConnection<String, String> c = null;
        try {
            probe(config);
            c = tier.open(() -> tier.clients().client.connect());
            long t0 = System.nanoTime();
            try (StatefulRedisConnection<String, byte[]> lists =
                         tier.open(() -> tier.clients().client.connect(BYTE_VALUES))) {
                tier.restored = HistoryRestorer.restore(c.async(), lists.async(), tier.keys, registry,
                        config.redisHistory(), config.seriesTtlMs());
            }
            HistoryRestorer.Restored r = tier.restored;
            Log.info("redis " + where + ": restored " + r.sources() + " sources, " + r.series() + " series, "
                    + r.values() + " values in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                    + (r.unreadable() > 0 ? "; " + r.unreadable() + " unreadable entries or keys skipped" : ""));
            tier.startWriter(c);
        } catch (IOException | RuntimeException e) {
            if (c != null && tier.writer == null) {
                c.closeAsync(); // the connector opens its own
            }
            int held = registry.sourceCount(); // a restore that failed part-way keeps what it read
            Log.warn("redis " + where + " unreachable at start-up (" + reasons(e) + "): starting "
                    + (held == 0 ? "empty" : "with the " + held + " sources restored before it failed")
                    + "; queued writes go out when it answers");
            Thread connector = new Thread(tier::connectInBackground, "redis-connect");
            connector.setDaemon(true);
            connector.start();
        }
        return tier;
    }

    /**
     * The messages of {@code e} and its causes, each once: the client's "Unable to connect" alone would hide the
     * reason Redis gave (a wrong password: WRONGPASS).
     */
    private static String reasons(Throwable e) {
        StringBuilder out = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) { // bounded: causes can form a cycle
            String m = t.getMessage();
            if (m != null && out.indexOf(m) < 0) {
                out.append(out.isEmpty() ? "" : ": ").append(m);
            }
        }
        return out.toString();
    }

    /** Throws unless a TCP connection to Redis opens within the clients' connect timeout. */
    private static void probe(Config config) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(config.redisHost(), config.redisPort()),
                    (int) RedisClients.CONNECT_TIMEOUT.toMillis());
        }
    }

    /**
     * Retries every {@link #CONNECT_RETRY_MS}, the first time after one pause too: Redis was just found unreachable,
     * and starting the clients (CPU the service's own start-up needs) can wait until it listens.
     */
    private void connectInBackground() {
        while (!closed) {
            try {
                Thread.sleep(CONNECT_RETRY_MS);
                RedisClients c = clients();
                if (c == null) {
                    return; // closed meanwhile
                }
                startWriter(open(() -> c.client.connect()));
                Log.info("redis connected; writing the queued values");
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // unreachable still: try again after the pause
            }
        }
    }

    /**
     * Starts the writer on a connection of its own (bytes in, bytes out); {@code c} serves the replica snapshots.
     * Called once, by {@link #start} or else by the connecting thread; holds no lock while it connects, so a
     * scrape ({@link #writeHistograms}, on an event loop) never waits on the network.
     */
    private void startWriter(StatefulRedisConnection<String, String> c) {
        StatefulRedisConnection<byte[], byte[]> w0 =
                open(() -> clients().writerClient.connect(ByteArrayCodec.INSTANCE));
        writerConnection = w0;
        snapshots = new RedisSnapshots(c, keys, config);
        AnomalyStreamWriter stream = null;
        if (anomalyLog != null) {
            stream = new AnomalyStreamWriter(anomalyLog, config.redisKeyPrefix());
            anomalyReader = new AnomalyStreamReader(open(() -> clients().client.connect(BYTE_VALUES)),
                    config.redisKeyPrefix(), anomalyLog.capacity());
        }
        RedisWriter w = new RedisWriter(queue, forgets, new KeyExpiry(config.seriesTtlMs()), w0, keys,
                config.redisHistory(), RedisWriter.REPLY_TIMEOUT_MS, config.redisFlushMs(), stream);
        Thread t = new Thread(w, "redis-writer");
        t.setDaemon(true);
        writer = w;
        writerThread = t;
        t.start();
    }

    /** The listener the event loops hand applied batches to. */
    public WriteBehindQueue queue() {
        return queue;
    }

    /** Remote snapshots for replicas; until connected, none. */
    public RemoteSnapshots remote() {
        return new RemoteSnapshots() {
            @Override
            public CompletionStage<String> analyze(String source, String metric) {
                RedisSnapshots s = snapshots;
                return s == null ? CompletableFuture.completedFuture(null) : s.analyze(source, metric);
            }

            @Override
            public Map<String, String> fleet() {
                RedisSnapshots s = snapshots;
                return s == null ? Map.of() : s.fleet();
            }

            @Override
            public CompletionStage<Void> fleetReady() {
                RedisSnapshots s = snapshots;
                return s == null ? CompletableFuture.completedFuture(null) : s.fleetReady();
            }
        };
    }

    /**
     * The anomaly stream replicas share; until connected, reading it fails. A read first waits, at most
     * {@link #OWN_WRITES_WAIT_MS}, for the writer's next round, so it finds every anomaly this replica flagged before
     * it (read-your-writes, as {@code /analyze}). While Redis is down or refuses the rounds it reads at once.
     */
    public SharedAnomalies anomalies() {
        return new SharedAnomalies() {
            @Override
            public boolean reached() {
                return writer != null && anomalyReader != null; // the writer is set last: the reader is there then
            }

            @Override
            public CompletionStage<String> read(String since, String source, int limit) {
                AnomalyStreamReader r = anomalyReader;
                RedisWriter w = writer;
                if (r == null || w == null) {
                    return CompletableFuture.failedFuture(new IllegalStateException("redis is not connected"));
                }
                return w.nextRound().copy().completeOnTimeout(null, OWN_WRITES_WAIT_MS, TimeUnit.MILLISECONDS)
                        .thenCompose(written -> r.read(since, source, limit));
            }
        };
    }

    /**
     * Writes what is queued, until the queue is empty or {@code deadlineNanos}, then closes. Returns the values
     * left unwritten.
     */
    public long close(long deadlineNanos) {
        RedisClients c;
        synchronized (clientsLock) {
            closed = true;
            c = clients;
        }
        RedisWriter w = writer;
        Thread t = writerThread;
        if (w != null && t != null) {
            w.stop(deadlineNanos);
            try {
                t.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long left = queueDepth();
        RedisSnapshots s = snapshots;
        if (s != null) {
            s.close();
        }
        if (c != null) {
            c.shutdown();
        }
        return left;
    }

    @Override
    public Health health() {
        StatefulRedisConnection<byte[], byte[]> c = writerConnection;
        return c != null && c.isOpen() ? Health.UP : Health.DOWN;
    }

    @Override
    public boolean writesFailing() {
        RedisWriter w = writer;
        return w != null && w.failing();
    }

    @Override
    public long queueDepth() {
        RedisWriter w = writer;
        return queue.depth() + (w == null ? 0 : w.valuesInHand());
    }

    @Override
    public long valuesWritten() {
        RedisWriter w = writer;
        return w == null ? 0 : w.valuesWritten.sum();
    }

    @Override
    public long batchesWritten() {
        RedisWriter w = writer;
        return w == null ? 0 : w.batchesWritten.sum();
    }

    @Override
    public long writeFailures() {
        RedisWriter w = writer;
        return w == null ? 0 : w.writeFailures.sum();
    }

    @Override
    public long valuesDropped() {
        RedisWriter w = writer;
        return queue.dropped() + (w == null ? 0 : w.valuesRefused.sum());
    }

    @Override
    public long reconnects() {
        return Math.max(0, connects.get() - opened.get());
    }

    @Override
    public long restoredSeries() {
        return restored.series();
    }

    /** Batch sizes and write latencies so far (copies), for the exporter's histograms. */
    @Override
    public synchronized void writeHistograms(BiConsumer<Histogram, Histogram> sink) {
        RedisWriter w = writer;
        if (w != null) {
            batchSizes.add(w.batchSizes.getIntervalHistogram());
            writeNanos.add(w.writeNanos.getIntervalHistogram());
        }
        sink.accept(batchSizes, writeNanos);
    }
}
