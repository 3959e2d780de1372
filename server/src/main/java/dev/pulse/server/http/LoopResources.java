package dev.pulse.server.http;

import dev.pulse.protocol.reply.JsonWriter;
import dev.pulse.server.analytics.BatchApplier;
import dev.pulse.server.metrics.MetricsExporter;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Scratch objects one event loop reuses for every request it answers: they are used synchronously within one
 * {@code channelRead}, so connections on the same loop can share them. Owned by that loop's thread.
 */
final class LoopResources {
    final JsonWriter json = new JsonWriter();
    final BatchApplier applier;
    final MetricsExporter exporter;

    private LoopResources(Services services) {
        applier = new BatchApplier(services.registry, services.listener);
        exporter = new MetricsExporter(services.http, services.counters, services.registry, services.redis,
                services.fleet, services.config.maxExportedSeries());
    }

    static FastThreadLocal<LoopResources> perLoop(Services services) {
        return new FastThreadLocal<>() {
            @Override
            protected LoopResources initialValue() {
                return new LoopResources(services);
            }
        };
    }
}
