package dev.pulse.server.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Readers waiting for the writer's next round, so that {@code GET /anomalies} reads its own replica's writes: an
 * anomaly this replica flagged before the request is in the stream once a round that started after the request is
 * written. Any thread may {@link #next} (it does not block); the writer thread {@link #board}s the waiting into the
 * round it starts and completes them once that round is written. Bounded by the readers in flight: a reader that
 * stops waiting (its own timeout) leaves the queue.
 */
final class RoundWaiters {
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean wanted; // set by readers, cleared by the writer thread as it boards them

    /** Completes once a round that starts after this call is written (or the writer stops). */
    CompletableFuture<Void> next() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiting.add(f);
        wanted = true;
        f.whenComplete((done, failed) -> waiting.remove(f)); // timed out while a round is retried: gone at once
        return f;
    }

    /** Whether a reader waits for a round: the writer starts one without lingering. */
    boolean wanted() {
        return wanted;
    }

    /** Writer thread: moves the waiting into {@code round}, the round about to start. */
    void board(List<CompletableFuture<Void>> round) {
        wanted = false; // before the drain: a reader added after it sets it again
        for (CompletableFuture<Void> f; (f = waiting.poll()) != null; ) {
            round.add(f);
        }
    }

    /** Writer thread: the round of {@code round} was written, or the writer stops; they may read now. */
    static void release(List<CompletableFuture<Void>> round) {
        for (CompletableFuture<Void> f : round) {
            f.complete(null);
        }
        round.clear();
    }
}
