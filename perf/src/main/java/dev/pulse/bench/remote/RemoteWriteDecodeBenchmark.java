package dev.pulse.bench.remote;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.protocol.labelled.DecodeResult;
import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.remote.RemoteWriteDecoder;
import dev.pulse.protocol.remote.Snappy;
import dev.pulse.protocol.remote.WriteRequestWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;

/**
 * Decoding a remote-write body of 1,000 samples (snappy, then the WriteRequest into the primitive batch), as
 * {@code POST /api/v1/write} does before applying. Scores are per sample; run with {@code -prof gc} for bytes per
 * sample. The two {@code snappy*} methods measure decompression alone: the pure-Java block decoder the server
 * uses against snappy-java's native one, on the same body.
 */
@State(Scope.Thread)
public class RemoteWriteDecodeBenchmark extends BenchmarkDefaults {
    private static final int SAMPLES = 1000;

    /** Samples per series: Prometheus usually sends one; a backlog sends several. */
    @Param({"1", "10"})
    public int samplesPerSeries;

    private byte[] body;
    private byte[] plain;
    private RemoteWriteDecoder decoder;

    @Setup
    public void setUp() throws IOException {
        WriteRequestWriter w = new WriteRequestWriter();
        int series = SAMPLES / samplesPerSeries;
        for (int s = 0; s < series; s++) {
            long[] times = new long[samplesPerSeries];
            double[] values = new double[samplesPerSeries];
            for (int i = 0; i < samplesPerSeries; i++) {
                times[i] = 1_700_000_000_000L + i * 15_000L;
                values[i] = s * 1.5 + i;
            }
            w.series(new String[]{"__name__", s % 3 == 0 ? "node_cpu_seconds_total" : "node_network_receive_bytes_total",
                    "cpu", Integer.toString(s % 16), "instance", "node-" + (s % 50) + ":9100", "job", "node",
                    "mode", s % 2 == 0 ? "idle" : "user"}, times, values);
        }
        body = org.xerial.snappy.Snappy.compress(w.toByteArray());
        plain = new byte[(int) Snappy.declaredLength(body, 0, body.length)];
        decoder = new RemoteWriteDecoder(new LabelledBatch(), 32 << 20);
        if (decoder.decode(body, 0, body.length) != DecodeResult.OK || decoder.batch().sampleCount() != SAMPLES) {
            throw new IllegalStateException("the body does not decode to " + SAMPLES + " samples");
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int decode() {
        decoder.decode(body, 0, body.length);
        return decoder.batch().sampleCount();
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public byte[] snappyPureJava() {
        Snappy.decompress(body, 0, body.length, plain, plain.length);
        return plain;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public byte[] snappyNative() throws IOException {
        org.xerial.snappy.Snappy.uncompress(body, 0, body.length, plain, 0);
        return plain;
    }
}
