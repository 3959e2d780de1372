package dev.pulse.bench.http;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.query.RemoteSnapshots;
import dev.pulse.server.http.ServerInitializer;
import dev.pulse.server.Services;
import dev.pulse.server.redis.RedisStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

/**
 * A whole ingest request through the server's pipeline in an {@link EmbeddedChannel}: HTTP decoding, streaming
 * JSON decode, apply, reply encoding (ns per request). {@code values}: {@code constant} sends the same four values
 * in every event, so nothing is flagged; {@code gaussian} sends one-decimal Gaussian values as the load generator
 * does, so the z-score rule flags about one value in twenty and the reply lists them.
 */
@State(Scope.Thread)
public class PipelineBenchmark extends BenchmarkDefaults {
    @Param({"1", "100"})
    public int events;

    @Param({"constant", "gaussian"})
    public String values;

    private EmbeddedChannel channel;
    private ByteBuf request;

    @Setup
    public void setUp() {
        channel = pipeline(new EmbeddedChannel());
        byte[] bytes = requestBytes(events, values.equals("gaussian"));
        request = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    /** {@code channel} with the server's pipeline added, as the server builds it without Redis. */
    public static EmbeddedChannel pipeline(EmbeddedChannel channel) {
        Config config = Config.from(Map.of("REDIS_ADDR", "none"));
        SeriesRegistry registry = new SeriesRegistry(config.maxSources(), config.maxMetricsPerSource(),
                config.windowSize(), Detectors.factory(config));
        Services services = new Services(config, registry, RedisStatus.DISABLED, BatchListener.NONE, RemoteSnapshots.NONE);
        ServerInitializer init = services.pipeline();
        channel.pipeline().addLast(init);
        return channel;
    }

    /**
     * The whole HTTP request: one event, or a JSON array of {@code events}, over ten sources, four metrics each;
     * {@code gaussian}: one-decimal Gaussian values (seeded), else the same value everywhere.
     */
    public static byte[] requestBytes(int events, boolean gaussian) {
        Random random = new Random(1);
        StringBuilder b = new StringBuilder(events == 1 ? "" : "[");
        for (int i = 0; i < events; i++) {
            b.append(i == 0 ? "" : ",").append("{\"source\":\"web-").append(i % 10).append('"');
            for (String metric : new String[] {"cpu", "rps", "memory", "latency"}) {
                double v = gaussian ? Math.round((50 + random.nextGaussian() * 5) * 10) / 10.0 : 45.5;
                b.append(",\"").append(metric).append("\":").append(v);
            }
            b.append('}');
        }
        String body = b.append(events == 1 ? "" : "]").toString();
        return ("POST /metrics-data HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public int request() {
        channel.writeInbound(request.retainedDuplicate());
        channel.flushOutbound();
        int n = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            n++;
            io.netty.util.ReferenceCountUtil.release(out);
        }
        return n;
    }

    @TearDown
    public void tearDown() {
        request.release();
        channel.finishAndReleaseAll();
    }
}
