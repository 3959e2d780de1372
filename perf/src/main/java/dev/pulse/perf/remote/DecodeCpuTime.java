package dev.pulse.perf.remote;

import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.remote.RemoteWriteDecoder;
import dev.pulse.protocol.remote.WriteRequestWriter;

import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * Remote-write decode cost per sample in thread CPU time and allocated bytes, on the JMH benchmark's bodies: on a
 * machine shared with other work, CPU time is what the decoder costs, where JMH's wall time also counts the time
 * the thread waited for a core. Usage: {@code java -cp benchmarks.jar dev.pulse.perf.remote.DecodeCpuTime [rounds]}.
 */
public final class DecodeCpuTime {
    private static final int SAMPLES = 1000;

    private DecodeCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int perSeries : new int[]{1, 10}) {
            byte[] body = body(perSeries);
            RemoteWriteDecoder decoder = new RemoteWriteDecoder(new LabelledBatch(), 32 << 20);
            long sink = 0;
            for (int i = 0; i < rounds; i++) { // warm-up
                decoder.decode(body, 0, body.length);
                sink += decoder.batch().sampleCount();
            }
            long id = Thread.currentThread().getId();
            long cpu = threads.getCurrentThreadCpuTime();
            long bytes = threads.getThreadAllocatedBytes(id);
            long wall = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                decoder.decode(body, 0, body.length);
                sink += decoder.batch().sampleCount();
            }
            wall = System.nanoTime() - wall;
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            bytes = threads.getThreadAllocatedBytes(id) - bytes;
            double samples = (double) rounds * SAMPLES;
            byte[] plain = new byte[(int) dev.pulse.protocol.remote.Snappy.declaredLength(body, 0, body.length)];
            long snappy = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                dev.pulse.protocol.remote.Snappy.decompress(body, 0, body.length, plain, plain.length);
                sink += plain[i % plain.length];
            }
            snappy = threads.getCurrentThreadCpuTime() - snappy;
            dev.pulse.server.analytics.SeriesRegistry registry = new dev.pulse.server.analytics.SeriesRegistry(
                    100_000, 1024, 50, () -> new dev.pulse.server.analytics.detect.ZScoreDetector(2.0, 10));
            dev.pulse.server.analytics.LabelledApplier applier = new dev.pulse.server.analytics.LabelledApplier(
                    registry, dev.pulse.server.analytics.BatchListener.NONE, dev.pulse.server.analytics.AnomalySink.NONE,
                    new dev.pulse.protocol.labelled.SeriesNaming(java.util.List.of("instance", "job"),
                            java.util.List.of("service.name")), 1 << 16);
            int applyRounds = Math.min(rounds, 1000);
            byte[][] advancing = advancingBodies(perSeries, 2 * applyRounds); // every sample later than the last
            long now = System.currentTimeMillis();
            for (int i = 0; i < applyRounds; i++) { // warm-up, the series created
                decoder.decode(advancing[i], 0, advancing[i].length);
                applier.apply(decoder.batch(), now);
            }
            long apply = threads.getCurrentThreadCpuTime();
            long applyBytes = threads.getThreadAllocatedBytes(id);
            for (int i = applyRounds; i < 2 * applyRounds; i++) {
                decoder.decode(advancing[i], 0, advancing[i].length);
                applier.apply(decoder.batch(), now);
                sink += applier.applied();
            }
            apply = threads.getCurrentThreadCpuTime() - apply;
            applyBytes = threads.getThreadAllocatedBytes(id) - applyBytes;
            System.out.printf("samplesPerSeries=%d  decode: cpu %.1f ns/sample (snappy alone %.1f), wall %.1f, "
                            + "alloc %.4f B/sample; decode+apply: cpu %.1f ns/sample, alloc %.4f B/sample  (%d)%n",
                    perSeries, cpu / samples, snappy / samples, wall / samples, bytes / samples,
                    apply / (applyRounds * (double) SAMPLES), applyBytes / (applyRounds * (double) SAMPLES), sink);
        }
    }

    /**
     * {@code n} bodies like {@link #body} whose timestamps advance from one to the next (values are judged, not
     * skipped as retries), repeated with a fresh offset each pass through the applier's out-of-order check.
     */
    static byte[][] advancingBodies(int perSeries, int n) throws IOException {
        byte[][] out = new byte[n][];
        for (int k = 0; k < n; k++) {
            out[k] = body(perSeries, 1_700_000_000_000L + k * 1_000_000L);
        }
        return out;
    }

    static byte[] body(int perSeries) throws IOException {
        return body(perSeries, 1_700_000_000_000L);
    }

    /** The same bodies as {@code RemoteWriteDecodeBenchmark}: node-exporter-like series, 1,000 samples. */
    static byte[] body(int perSeries, long t0) throws IOException {
        WriteRequestWriter w = new WriteRequestWriter();
        for (int s = 0; s < SAMPLES / perSeries; s++) {
            long[] times = new long[perSeries];
            double[] values = new double[perSeries];
            for (int i = 0; i < perSeries; i++) {
                times[i] = t0 + i * 15_000L;
                values[i] = s * 1.5 + i;
            }
            w.series(new String[]{"__name__", s % 3 == 0 ? "node_cpu_seconds_total" : "node_network_receive_bytes_total",
                    "cpu", Integer.toString(s % 16), "instance", "node-" + (s % 50) + ":9100", "job", "node",
                    "mode", s % 2 == 0 ? "idle" : "user"}, times, values);
        }
        return org.xerial.snappy.Snappy.compress(w.toByteArray());
    }
}
