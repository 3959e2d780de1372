package dev.pulse.perf.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Whole HTTP requests (line, headers, body) encoded once into direct buffers before the run, so sending one costs a
 * retained duplicate and a write: the generator must not be what limits the measurement.
 */
final class RequestPool {
    static final int SIZE = 1024;

    private final ByteBuf[] requests = new ByteBuf[SIZE];
    private final int[] events = new int[SIZE];
    private final RemoteWriteBodies remoteWrite; // null unless the workload is remote-write

    RequestPool(Options o) {
        remoteWrite = o.workload() == Options.Workload.REMOTE_WRITE
                ? new RemoteWriteBodies(o.connections(), o.batch()) : null;
        if (remoteWrite != null) {
            return;
        }
        EventGenerator gen = new EventGenerator(o.seed(), o.sources(), o.anomalyRate(), o.fullPrecision());
        Random mix = new Random(o.seed() + 1);
        int[] written = new int[SIZE]; // sources the pool's writes create: reading any other would be a 404
        int writtenCount = 0;
        for (int i = 0; i < SIZE; i++) {
            String http;
            int n;
            switch (o.workload()) {
                case SINGLE -> {
                    http = post("application/json", gen.next());
                    n = 1;
                }
                case ARRAY -> {
                    StringBuilder b = new StringBuilder("[");
                    for (int k = 0; k < o.batch(); k++) {
                        b.append(k == 0 ? "" : ",").append(gen.next());
                    }
                    http = post("application/json", b.append(']').toString());
                    n = o.batch();
                }
                case NDJSON -> {
                    StringBuilder b = new StringBuilder();
                    for (int k = 0; k < o.batch(); k++) {
                        b.append(gen.next()).append('\n');
                    }
                    http = post("application/x-ndjson", b.toString());
                    n = o.batch();
                }
                case VM_IMPORT -> {
                    String[] batch = new String[o.batch()];
                    for (int k = 0; k < batch.length; k++) {
                        batch[k] = gen.next();
                    }
                    http = post("/api/v1/import", "application/json", VmImport.lines(batch));
                    n = o.batch();
                }
                default -> {
                    // the Locust mix: mostly writes, reads of one source, of the fleet, and of the stats
                    int roll = mix.nextInt(100);
                    if (roll < 60 || writtenCount == 0) {
                        http = post("application/json", gen.next());
                        written[writtenCount++] = gen.lastSource();
                        n = 1;
                    } else if (roll < 85) {
                        http = get("/analyze?source=web-" + written[mix.nextInt(writtenCount)]);
                        n = 0;
                    } else if (roll < 95) {
                        http = get("/analyze?source=*");
                        n = 0;
                    } else {
                        http = get("/stats");
                        n = 0;
                    }
                }
            }
            byte[] bytes = http.getBytes(StandardCharsets.UTF_8);
            requests[i] = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            events[i] = n;
        }
    }

    ByteBuf request(long sequence) {
        if (remoteWrite != null) {
            return remoteWrite.request(sequence);
        }
        return requests[(int) (sequence & (SIZE - 1))].retainedDuplicate();
    }

    int events(long sequence) {
        return remoteWrite != null ? remoteWrite.samples() : events[(int) (sequence & (SIZE - 1))];
    }

    /** The first sequence number of connection {@code c}: remote write gives each connection its own shard. */
    long firstSequence(int c, int connections) {
        return remoteWrite != null ? (long) c << RemoteWriteBodies.SHARD_SHIFT : (long) c * SIZE / connections;
    }

    private static String post(String type, String body) {
        return post("/metrics-data", type, body);
    }

    private static String post(String path, String type, String body) {
        return String.format(Locale.ROOT, "POST " + path + " HTTP/1.1\r\nHost: pulse\r\nContent-Type: %s\r\n"
                + "Content-Length: %d\r\n\r\n%s", type, body.getBytes(StandardCharsets.UTF_8).length, body);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: pulse\r\n\r\n";
    }
}
