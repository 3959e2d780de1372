package dev.pulse.server.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readers waiting for the next round of a loop that works in rounds (the writer's, the fleet view's refresh), so
 * that they see what a round started after their call does: their own anomalies in the stream, the other replicas'
 * sources in the fleet view. Readers share one future per round and wait on a copy (their timeouts are their own);
 * the loop's thread takes it into a round as the round {@link #begin}s, before the round reads anything, and
 * completes it at {@link #end}. Nothing is allocated while nobody waits.
 */
final class NextRound {
    private final AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>(); // readers'; null: none
    private volatile CompletableFuture<Void> running; // the round in hand's readers; set and cleared by the loop

    /** Any thread: completes once a round that begins after this call ends (or the loop stops). */
    CompletableFuture<Void> next() {
        CompletableFuture<Void> f = next.get();
        if (f == null) {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            f = next.compareAndSet(null, mine) ? mine : next.get();
        }
        return f == null ? next() : f; // taken by a round between the two reads: the one after it
    }

    /** Whether a reader waits for a round to begin: the loop should begin one now. */
    boolean wanted() {
        return next.get() != null;
    }

    /** What readers wait for now: the round in hand's, else the next one's; null when none waits. */
    CompletableFuture<Void> pending() {
        CompletableFuture<Void> r = running;
        return r != null ? r : next.get();
    }

    /** The loop's thread, as a round begins: takes the waiting readers into it; whether there were any. */
    boolean begin() {
        CompletableFuture<Void> f = next.getAndSet(null);
        if (f != null) {
            running = f;
        }
        return f != null;
    }

    /** The loop's thread: the round ended (or the loop stops); its readers may read now. */
    void end() {
        CompletableFuture<Void> r = running;
        if (r != null) {
            running = null;
            r.complete(null);
        }
    }
}
