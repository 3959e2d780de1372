package dev.pulse.server.query;

import java.util.concurrent.CompletionStage;

/**
 * Analytics of sources this replica does not hold, read from the shared tier: the JSON of
 * {@code /analyze?source=S} for one source, and the fleet entries other replicas wrote. Answers complete off the
 * event loop; the handler writes the reply when they do.
 */
public interface RemoteSnapshots {
    /** The reply body for {@code source} (and {@code metric}, or null), or null when the tier does not hold it. */
    CompletionStage<String> analyze(String source, String metric);

    /**
     * Sources other replicas wrote, for the fleet view: source name to {@code {"from":"redis","age_ms":A,"metrics":{...}}}.
     * A snapshot refreshed in the background; never blocks. Sources this replica holds are skipped by the caller.
     */
    java.util.Map<String, String> fleet();

    /**
     * Completes once {@link #fleet} is fresh: at once while the background refresh runs, else after the refresh this
     * call wakes (the first fleet view, or the first after the refresh paused unasked). Never fails.
     */
    default CompletionStage<Void> fleetReady() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** No shared tier: unknown sources are simply unknown. */
    RemoteSnapshots NONE = new RemoteSnapshots() {
        @Override
        public CompletionStage<String> analyze(String source, String metric) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.Map<String, String> fleet() {
            return java.util.Map.of();
        }
    };
}
