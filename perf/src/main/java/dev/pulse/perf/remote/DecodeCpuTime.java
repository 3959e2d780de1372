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
            System.out.printf("samplesPerSeries=%d  cpu %.1f ns/sample (snappy alone %.1f)  wall %.1f ns/sample  "
                            + "alloc %.4f B/sample  (%d)%n",
                    perSeries, cpu / samples, snappy / samples, wall / samples, bytes / samples, sink);
        }
    }

    /** The same bodies as {@code RemoteWriteDecodeBenchmark}: node-exporter-like series, 1,000 samples. */
    static byte[] body(int perSeries) throws IOException {
        WriteRequestWriter w = new WriteRequestWriter();
        for (int s = 0; s < SAMPLES / perSeries; s++) {
            long[] times = new long[perSeries];
            double[] values = new double[perSeries];
            for (int i = 0; i < perSeries; i++) {
                times[i] = 1_700_000_000_000L + i * 15_000L;
                values[i] = s * 1.5 + i;
            }
            w.series(new String[]{"__name__", s % 3 == 0 ? "node_cpu_seconds_total" : "node_network_receive_bytes_total",
                    "cpu", Integer.toString(s % 16), "instance", "node-" + (s % 50) + ":9100", "job", "node",
                    "mode", s % 2 == 0 ? "idle" : "user"}, times, values);
        }
        return org.xerial.snappy.Snappy.compress(w.toByteArray());
    }
}
