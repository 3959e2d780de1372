package dev.pulse.bench.analytics;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.perf.load.EventGenerator;
import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/**
 * Decoding a body and applying it to the rolling windows, as one ingest request does after the HTTP codec: a single
 * event, and 100-event JSON arrays and NDJSON bodies. Every invocation handles 100 events (100 single-event
 * bodies, or one 100-event body), so scores are per event; run with {@code -prof gc} for bytes per event.
 * {@code decodeOnly} and {@code applyOnly} split {@code decodeAndApply}'s cost between its two halves.
 */
@State(Scope.Thread)
public class DecodeApplyBenchmark extends BenchmarkDefaults {
    private static final int EVENTS_PER_INVOCATION = 100;

    @Param({"JSON", "NDJSON"})
    public BodyFormat format;

    @Param({"1", "100"})
    public int events;

    @Param({"zscore"})
    public String detector;

    /**
     * short: values with one decimal and whole-second timestamps, as the load generator sends; full: full-precision
     * doubles (up to 17 digits) for both, as Python's {@code repr(random.gauss(...))} and {@code time.time()} write them.
     */
    @Param({"short"})
    public String numbers;

    /** compact: no spaces, as the load generator writes; python: a space after each colon and comma, as json.dumps. */
    @Param({"compact"})
    public String spacing;

    /** true: the decoder as it runs; false: jackson alone, the path every body took before the fast path. */
    @Param({"true", "false"})
    public boolean fastPath;

    private byte[] body;
    private EventDecoder decoder;
    private BatchApplier applier;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        boolean array = format == BodyFormat.JSON && events > 1;
        boolean full = numbers.equals("full");
        StringBuilder b = new StringBuilder(array ? "[" : "");
        for (int i = 0; i < events; i++) {
            if (i > 0) {
                b.append(format == BodyFormat.JSON ? "," : "\n");
            }
            String timestamp = full ? EventGenerator.full(1_700_000_000 + i + r.nextDouble())
                    : Integer.toString(1_700_000_000 + i);
            b.append("{\"timestamp\":").append(timestamp)
                    .append(",\"source\":\"web-").append(i % 10)
                    .append("\",\"cpu\":").append(number(40 + r.nextGaussian() * 5, full))
                    .append(",\"rps\":").append(number(100 + r.nextGaussian() * 10, full))
                    .append(",\"memory\":").append(number(50 + r.nextGaussian(), full))
                    .append(",\"latency\":").append(number(25 + r.nextGaussian() * 3, full)).append('}');
        }
        String text = b.append(array ? "]" : format == BodyFormat.NDJSON ? "\n" : "").toString();
        if (spacing.equals("python")) {
            text = text.replace(":", ": ").replace(",", ", "); // no colon or comma inside the names or sources
        }
        body = text.getBytes(StandardCharsets.UTF_8);
        Config config = Config.from(Map.of("DETECTOR", detector));
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), Detectors.factory(config));
        decoder = fastPath ? new EventDecoder(new EventBatch()) : EventDecoder.jacksonOnly(new EventBatch());
        applier = new BatchApplier(registry, BatchListener.NONE);
        decoder.begin(format);
        decoder.feed(body, 0, body.length);
        if (!decoder.finish()) {
            throw new IllegalStateException(decoder.message());
        }
    }

    /** {@code v} in full ({@link EventGenerator#full}), or with one decimal. */
    private static String number(double v, boolean full) {
        return full ? EventGenerator.full(v) : String.format("%.1f", v);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public int decodeAndApply() {
        int flagged = 0;
        for (int r = EVENTS_PER_INVOCATION / events; r > 0; r--) {
            decoder.begin(format);
            decoder.feed(body, 0, body.length);
            if (!decoder.finish()) {
                throw new IllegalStateException(decoder.message());
            }
            applier.apply(decoder.batch(), 1_700_000_000.0);
            flagged += applier.anomalies().size();
        }
        return flagged;
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public int decodeOnly() {
        int decoded = 0;
        for (int r = EVENTS_PER_INVOCATION / events; r > 0; r--) {
            decoder.begin(format);
            decoder.feed(body, 0, body.length);
            decoder.finish();
            decoded += decoder.batch().size();
        }
        return decoded;
    }

    /** The apply half alone: the body decoded once in set-up, applied again and again (the windows keep rolling). */
    @Benchmark
    @OperationsPerInvocation(EVENTS_PER_INVOCATION)
    public int applyOnly() {
        int flagged = 0;
        for (int r = EVENTS_PER_INVOCATION / events; r > 0; r--) {
            applier.apply(decoder.batch(), 1_700_000_000.0);
            flagged += applier.anomalies().size();
        }
        return flagged;
    }
}
