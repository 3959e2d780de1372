package dev.pulse.server.ingest;

import dev.pulse.protocol.labelled.LabelledBatch;
import dev.pulse.protocol.labelled.SeriesNaming;
import dev.pulse.protocol.labelled.Skip;
import dev.pulse.protocol.otlp.Gunzip;
import dev.pulse.protocol.otlp.OtlpJsonDecoder;
import dev.pulse.protocol.otlp.OtlpProtoDecoder;
import dev.pulse.protocol.remote.RemoteWriteDecoder;
import dev.pulse.server.analytics.AnomalySink;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.LabelledApplier;
import dev.pulse.server.analytics.SeriesRegistry;
import dev.pulse.server.config.Config;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * What the remote-write and OTLP routes share: per event loop, one batch, the decoders that fill it and the
 * applier that applies it. A request is decoded and applied within one {@code channelRead}, once its body is
 * whole, so the loop's connections can share them. Thread-safe: each loop gets its own {@link Loop}.
 */
public final class LabelledIngest {
    /** A series cache of this many entries per loop; a miss costs a name lookup and a key copy. */
    private static final int CACHE_ENTRIES = 1 << 16;
    /** Batches grown past this many samples give their arrays back after the request. */
    private static final int RETAINED_SAMPLES = 1 << 16;

    final IngestCounters counters;
    final int maxDecompressedBytes;
    private final FastThreadLocal<Loop> loops;

    /** The scratch of one event loop. Owned by that loop's thread. */
    static final class Loop {
        final LabelledBatch batch = new LabelledBatch();
        final RemoteWriteDecoder remoteWrite;
        final OtlpProtoDecoder otlpProto;
        final OtlpJsonDecoder otlpJson;
        final Gunzip gunzip;
        final LabelledApplier applier;

        Loop(SeriesRegistry registry, BatchListener listener, AnomalySink flagged, Config.Labelled config) {
            remoteWrite = new RemoteWriteDecoder(batch, config.maxDecompressedBytes());
            otlpProto = new OtlpProtoDecoder(batch, config.sourceAttributes());
            otlpJson = new OtlpJsonDecoder(batch, config.sourceAttributes());
            gunzip = new Gunzip(config.maxDecompressedBytes());
            applier = new LabelledApplier(registry, listener, flagged,
                    new SeriesNaming(config.sourceLabels(), config.sourceAttributes()), CACHE_ENTRIES);
        }

        /** Applies the decoded batch and counts what it did; false when the write-behind queue refused it. */
        boolean apply(IngestCounters counters) {
            try {
                if (applier.apply(batch, System.currentTimeMillis()) == LabelledApplier.Result.OVERLOADED) {
                    counters.rejected(IngestCounters.Rejection.OVERLOADED);
                    return false;
                }
                for (Skip reason : Skip.values()) {
                    counters.samplesSkipped(reason, applier.skipped(reason));
                }
                counters.eventsApplied(applier.applied(), applier.anomalies().size());
                return true;
            } finally {
                batch.trim(RETAINED_SAMPLES);
                gunzip.trim(RETAINED_SAMPLES * 64);
            }
        }

        /** Why samples were skipped, for an OTLP {@code partial_success}: {@code "2 unsupported_type, 1 stale"}. */
        String skipReasons() {
            StringBuilder s = new StringBuilder();
            for (Skip reason : Skip.values()) {
                int n = applier.skipped(reason);
                if (n > 0) {
                    s.append(s.length() == 0 ? "" : ", ").append(n).append(' ').append(reason.label());
                }
            }
            return s.toString();
        }
    }

    public LabelledIngest(SeriesRegistry registry, BatchListener listener, AnomalySink flagged,
                          IngestCounters counters, Config.Labelled config) {
        this.counters = counters;
        this.maxDecompressedBytes = config.maxDecompressedBytes();
        this.loops = new FastThreadLocal<>() {
            @Override
            protected Loop initialValue() {
                return new Loop(registry, listener, flagged, config);
            }

            @Override
            protected void onRemoval(Loop loop) {
                loop.gunzip.close();
            }
        };
    }

    /** The calling event loop's scratch. */
    Loop loop() {
        return loops.get();
    }
}
