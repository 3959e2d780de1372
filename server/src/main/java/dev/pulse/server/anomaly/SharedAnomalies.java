package dev.pulse.server.anomaly;

import java.util.concurrent.CompletionStage;

/**
 * The anomaly log replicas share (with Redis, a capped stream), read for {@code GET /anomalies} so that any replica
 * answers for all. The cursor is the shared log's own (a Redis stream id).
 */
public interface SharedAnomalies {
    /**
     * Whether the shared log has been reached since start-up. Until then {@code GET /anomalies} reads this replica's
     * own log, so a service started where Redis never answers still has its feed.
     */
    boolean reached();

    /**
     * The reply body: entries after {@code since} ("0" for the oldest kept), of {@code source} only unless null, at
     * most {@code limit}. Completes off the event loop; fails when the shared tier does not answer.
     */
    CompletionStage<String> read(String since, String source, int limit);
}
