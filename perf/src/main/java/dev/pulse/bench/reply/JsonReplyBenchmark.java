package dev.pulse.bench.reply;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.protocol.reply.JsonWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Two replies written three ways into one reused pooled buffer: the {@code /analyze} answer of a source with four
 * metrics (doubles, one {@code NaN}), and the ingest answer with three anomalies. {@code hand*} is the writer as it
 * was (commas placed by the caller), {@code api*} the begin/end API, {@code jackson*} jackson-core's
 * {@link JsonGenerator} over a {@link ByteBufOutputStream} of the same buffer, one factory for all, field names
 * pre-serialized. Set-up checks that the three write the same bytes. Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
public class JsonReplyBenchmark extends BenchmarkDefaults {
    private static final String[] METRICS = {"cpu", "rps", "memory", "latency"};
    private static final String[] ANOMALY_METRICS = {"cpu", "latency", "errors"};

    private static final SerializedString SOURCE = new SerializedString("source");
    private static final SerializedString FROM = new SerializedString("from");
    private static final SerializedString WINDOW = new SerializedString("window");
    private static final SerializedString THRESHOLD = new SerializedString("threshold");
    private static final SerializedString METRICS_NAME = new SerializedString("metrics");
    private static final SerializedString COUNT = new SerializedString("count");
    private static final SerializedString LAST = new SerializedString("last");
    private static final SerializedString ROLLING_AVG = new SerializedString("rolling_avg");
    private static final SerializedString STDDEV = new SerializedString("stddev");
    private static final SerializedString ZSCORE = new SerializedString("zscore");
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString ANOMALY = new SerializedString("anomaly");
    private static final SerializedString ANOMALIES_TOTAL = new SerializedString("anomalies_total");
    private static final SerializedString ACCEPTED = new SerializedString("accepted");
    private static final SerializedString ANOMALIES = new SerializedString("anomalies");
    private static final SerializedString INDEX = new SerializedString("index");
    private static final SerializedString METRIC = new SerializedString("metric");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString MEAN = new SerializedString("mean");

    private final double[] last = {41.25, 1234.5, 0.8125, 12.0};
    private final double[] mean = {40.71666666666667, 1180.0333333333333, 0.8125, 9.483333333333333};
    private final double[] stddev = {2.3145896756349743, 61.20418559843513, 0.0, 1.9871536237487614};
    private final double[] zscore = {0.2304327616113858, 0.8900003455237817, Double.NaN, 1.2665124357081264};
    private final double[] value = {97.5, 250.25, 17.0};

    private final HandCommaWriter hand = new HandCommaWriter();
    private final JsonWriter api = new JsonWriter();
    private final JsonFactory factory = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private ByteBuf buf;
    private ByteBufOutputStream stream;

    @Setup
    public void setUp() throws IOException {
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        stream = new ByteBufOutputStream(buf);
        same("analyze");
        same("ingest");
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    private void same(String reply) throws IOException {
        String h = text(this::handAnalyzeOrIngest, reply);
        String a = text(this::apiAnalyzeOrIngest, reply);
        String j = text(this::jacksonAnalyzeOrIngest, reply);
        String n = reply.equals("ingest") ? text(r -> apiNamesIngest(), reply) : a;
        if (!h.equals(a) || !h.equals(j) || !h.equals(n)) {
            throw new IllegalStateException("the writers disagree on " + reply + ":\n" + h + "\n" + a + "\n" + j);
        }
    }

    private interface Write {
        int write(String reply) throws IOException;
    }

    private String text(Write w, String reply) throws IOException {
        w.write(reply);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private int handAnalyzeOrIngest(String reply) {
        return reply.equals("analyze") ? handAnalyze() : handIngest();
    }

    private int apiAnalyzeOrIngest(String reply) {
        return reply.equals("analyze") ? apiAnalyze() : apiIngest();
    }

    private int jacksonAnalyzeOrIngest(String reply) throws IOException {
        return reply.equals("analyze") ? jacksonAnalyze() : jacksonIngest();
    }

    @Benchmark
    public int handAnalyze() {
        HandCommaWriter w = hand.target(buf.clear());
        w.raw('{').key("source").string("web-17")
                .raw(',').key("from").string("memory")
                .raw(',').key("window").number(60)
                .raw(',').key("threshold").number(3.0)
                .raw(',').key("metrics").raw('{');
        for (int i = 0; i < METRICS.length; i++) {
            if (i > 0) {
                w.raw(',');
            }
            w.string(METRICS[i]).raw(':');
            w.raw('{').key("count").number(60L + i)
                    .raw(',').key("last").number(last[i])
                    .raw(',').key("rolling_avg").number(mean[i])
                    .raw(',').key("stddev").number(stddev[i])
                    .raw(',').key("zscore").number(zscore[i])
                    .raw(',').key("score").number(Math.abs(zscore[i]))
                    .raw(',').key("anomaly").bool(false)
                    .raw(',').key("anomalies_total").number(i)
                    .raw('}');
        }
        w.raw('}').raw('}');
        return buf.readableBytes();
    }

    @Benchmark
    public int apiAnalyze() {
        JsonWriter w = api.target(buf.clear());
        w.beginObject().name("source").value("web-17")
                .name("from").value("memory")
                .name("window").value(60)
                .name("threshold").value(3.0)
                .name("metrics").beginObject();
        for (int i = 0; i < METRICS.length; i++) {
            w.name(METRICS[i]).beginObject()
                    .name("count").value(60L + i)
                    .name("last").value(last[i])
                    .name("rolling_avg").value(mean[i])
                    .name("stddev").value(stddev[i])
                    .name("zscore").value(zscore[i])
                    .name("score").value(Math.abs(zscore[i]))
                    .name("anomaly").value(false)
                    .name("anomalies_total").value(i)
                    .endObject();
        }
        w.endObject().endObject();
        return buf.readableBytes();
    }

    @Benchmark
    public int jacksonAnalyze() throws IOException {
        buf.clear();
        try (JsonGenerator g = factory.createGenerator((java.io.OutputStream) stream)) {
            g.writeStartObject();
            g.writeFieldName(SOURCE);
            g.writeString("web-17");
            g.writeFieldName(FROM);
            g.writeString("memory");
            g.writeFieldName(WINDOW);
            g.writeNumber(60);
            g.writeFieldName(THRESHOLD);
            g.writeNumber(3.0);
            g.writeFieldName(METRICS_NAME);
            g.writeStartObject();
            for (int i = 0; i < METRICS.length; i++) {
                g.writeFieldName(METRICS[i]);
                g.writeStartObject();
                g.writeFieldName(COUNT);
                g.writeNumber(60L + i);
                g.writeFieldName(LAST);
                number(g, last[i]);
                g.writeFieldName(ROLLING_AVG);
                number(g, mean[i]);
                g.writeFieldName(STDDEV);
                number(g, stddev[i]);
                g.writeFieldName(ZSCORE);
                number(g, zscore[i]);
                g.writeFieldName(SCORE);
                number(g, Math.abs(zscore[i]));
                g.writeFieldName(ANOMALY);
                g.writeBoolean(false);
                g.writeFieldName(ANOMALIES_TOTAL);
                g.writeNumber(i);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return buf.readableBytes();
    }

    @Benchmark
    public int handIngest() {
        HandCommaWriter w = hand.target(buf.clear());
        w.raw('{').key("accepted").number(100).raw(',').key("anomalies").raw('[');
        for (int i = 0; i < ANOMALY_METRICS.length; i++) {
            if (i > 0) {
                w.raw(',');
            }
            w.raw('{').key("index").number(30L * i + 7)
                    .raw(',').key("source").string("web-17")
                    .raw(',').key("metric").string(ANOMALY_METRICS[i])
                    .raw(',').key("value").number(value[i])
                    .raw(',').key("mean").number(mean[i])
                    .raw(',').key("stddev").number(stddev[i])
                    .raw(',').key("zscore").number(zscore[i])
                    .raw(',').key("score").number(Math.abs(zscore[i]))
                    .raw('}');
        }
        w.raw(']').raw('}');
        return buf.readableBytes();
    }

    @Benchmark
    public int apiIngest() {
        JsonWriter w = api.target(buf.clear());
        w.beginObject().name("accepted").value(100).name("anomalies").beginArray();
        for (int i = 0; i < ANOMALY_METRICS.length; i++) {
            w.beginObject().name("index").value(30L * i + 7)
                    .name("source").value("web-17")
                    .name("metric").value(ANOMALY_METRICS[i])
                    .name("value").value(value[i])
                    .name("mean").value(mean[i])
                    .name("stddev").value(stddev[i])
                    .name("zscore").value(zscore[i])
                    .name("score").value(Math.abs(zscore[i]))
                    .endObject();
        }
        w.endArray().endObject();
        return buf.readableBytes();
    }

    private static final JsonWriter.Name N_ACCEPTED = JsonWriter.Name.of("accepted");
    private static final JsonWriter.Name N_ANOMALIES = JsonWriter.Name.of("anomalies");
    private static final JsonWriter.Name N_INDEX = JsonWriter.Name.of("index");
    private static final JsonWriter.Name N_SOURCE = JsonWriter.Name.of("source");
    private static final JsonWriter.Name N_METRIC = JsonWriter.Name.of("metric");
    private static final JsonWriter.Name N_VALUE = JsonWriter.Name.of("value");
    private static final JsonWriter.Name N_MEAN = JsonWriter.Name.of("mean");
    private static final JsonWriter.Name N_STDDEV = JsonWriter.Name.of("stddev");
    private static final JsonWriter.Name N_ZSCORE = JsonWriter.Name.of("zscore");
    private static final JsonWriter.Name N_SCORE = JsonWriter.Name.of("score");

    /** {@link #apiIngest} with its names encoded once ({@link JsonWriter.Name}), as the service writes it. */
    @Benchmark
    public int apiNamesIngest() {
        JsonWriter w = api.target(buf.clear());
        w.beginObject().name(N_ACCEPTED).value(100).name(N_ANOMALIES).beginArray();
        for (int i = 0; i < ANOMALY_METRICS.length; i++) {
            w.beginObject().name(N_INDEX).value(30L * i + 7)
                    .name(N_SOURCE).value("web-17")
                    .name(N_METRIC).value(ANOMALY_METRICS[i])
                    .name(N_VALUE).value(value[i])
                    .name(N_MEAN).value(mean[i])
                    .name(N_STDDEV).value(stddev[i])
                    .name(N_ZSCORE).value(zscore[i])
                    .name(N_SCORE).value(Math.abs(zscore[i]))
                    .endObject();
        }
        w.endArray().endObject();
        return buf.readableBytes();
    }

    @Benchmark
    public int jacksonIngest() throws IOException {
        buf.clear();
        try (JsonGenerator g = factory.createGenerator((java.io.OutputStream) stream)) {
            g.writeStartObject();
            g.writeFieldName(ACCEPTED);
            g.writeNumber(100);
            g.writeFieldName(ANOMALIES);
            g.writeStartArray();
            for (int i = 0; i < ANOMALY_METRICS.length; i++) {
                g.writeStartObject();
                g.writeFieldName(INDEX);
                g.writeNumber(30L * i + 7);
                g.writeFieldName(SOURCE);
                g.writeString("web-17");
                g.writeFieldName(METRIC);
                g.writeString(ANOMALY_METRICS[i]);
                g.writeFieldName(VALUE);
                number(g, value[i]);
                g.writeFieldName(MEAN);
                number(g, mean[i]);
                g.writeFieldName(STDDEV);
                number(g, stddev[i]);
                g.writeFieldName(ZSCORE);
                number(g, zscore[i]);
                g.writeFieldName(SCORE);
                number(g, Math.abs(zscore[i]));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return buf.readableBytes();
    }

    /** Non-finite doubles as {@code null}, as the service writes them (jackson would write {@code "NaN"}). */
    private static void number(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }
}
