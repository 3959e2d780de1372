package dev.pulse.server.metrics;

import dev.pulse.protocol.reply.PrometheusTextWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code /metrics} exposition: each stage's {@link MetricFamilies} written straight into a buffer in the text
 * format 0.0.4, in the order given, followed by the JVM's (memory, GC, threads, from simpleclient_hotspot).
 *
 * <p>Not thread-safe: one instance per event loop (a scrape is served by the loop it arrived on).
 */
public final class MetricsExporter {
    private static final CollectorRegistry JVM = new CollectorRegistry(true);

    static {
        DefaultExports.register(JVM);
    }

    private final PrometheusTextWriter out = new PrometheusTextWriter();
    private final List<MetricFamilies> stages;

    public MetricsExporter(List<MetricFamilies> stages) {
        this.stages = List.copyOf(stages);
    }

    /** The whole scrape: the service's families, then the JVM's. */
    public void write(ByteBuf buf) {
        writeService(buf);
        writeJvm(buf);
    }

    /** The service's own families only: what grows with the number of series. */
    public void writeService(ByteBuf buf) {
        out.target(buf);
        for (MetricFamilies stage : stages) {
            stage.writeTo(out);
        }
    }

    private static void writeJvm(ByteBuf buf) {
        try (Writer w = new OutputStreamWriter(new ByteBufOutputStream(buf), StandardCharsets.UTF_8)) {
            TextFormat.write004(w, JVM.metricFamilySamples());
        } catch (IOException e) {
            throw new IllegalStateException("writing to a memory buffer failed", e);
        }
    }
}
