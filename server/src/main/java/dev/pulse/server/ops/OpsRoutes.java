package dev.pulse.server.ops;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.http.Exchange;
import dev.pulse.server.http.Replies;
import dev.pulse.server.http.RouteHandler;
import dev.pulse.server.metrics.MetricFamilies;
import dev.pulse.server.metrics.MetricsExporter;
import dev.pulse.server.redis.RedisStatus;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.List;

/**
 * The operator's routes: {@code GET /health}, {@code GET /stats} and {@code GET /metrics}. Each handler is
 * stateless and thread-safe (the exporter is the event loop's own), so one instance serves every connection.
 */
public final class OpsRoutes {
    private OpsRoutes() {
    }

    /**
     * {@code GET /health}: UP, or DEGRADED while Redis is unreachable or refuses the write-behind's rounds (its own
     * status says which); 503 DOWN once the server drains.
     */
    public static RouteHandler.Whole health(RedisStatus redis) {
        return new RouteHandler.Whole() {
            @Override
            public void answer(Exchange ex) {
                RedisStatus.Health h = redis.health();
                String status = h == RedisStatus.Health.DOWN || redis.writesFailing() ? "DEGRADED" : "UP";
                JsonWriter w = ex.json();
                w.beginObject().name("status").value(status).name("redis").value(h.name()).endObject();
                ex.reply(HttpResponseStatus.OK, w);
            }

            @Override
            public void draining(Exchange ex) {
                ex.reply(HttpResponseStatus.SERVICE_UNAVAILABLE, ex.json().beginObject().name("status").value("DOWN").endObject());
            }
        };
    }

    /** {@code GET /stats}. */
    public static RouteHandler.Whole stats(StatsView stats) {
        return ex -> {
            JsonWriter w = ex.json();
            stats.write(w);
            ex.reply(HttpResponseStatus.OK, w);
        };
    }

    /** {@code GET /metrics}: every stage's families, then the JVM's, from the event loop's exporter. */
    public static RouteHandler.Whole metrics(List<MetricFamilies> stages) {
        FastThreadLocal<MetricsExporter> exporters = new FastThreadLocal<>() {
            @Override
            protected MetricsExporter initialValue() {
                return new MetricsExporter(stages);
            }
        };
        return ex -> {
            ByteBuf body = ex.alloc().buffer(64 * 1024);
            exporters.get().write(body);
            ex.reply(HttpResponseStatus.OK, Replies.PROMETHEUS, body);
        };
    }
}
