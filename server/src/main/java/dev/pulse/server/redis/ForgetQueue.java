package dev.pulse.server.redis;

import dev.pulse.server.analytics.ForgetListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.log.Log;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Series forgotten in memory (expired or deleted) whose Redis keys the writer removes, in its own order: each round
 * it drains the value queue, then this queue, and sends the removals before the values. The registry calls
 * {@link #forgotten} under its creation lock, so a series of the same name created afterwards queues its values after
 * the removal, and they can never be deleted by it; values of a retired series still queued are skipped by the
 * writer (the series' retired flag), so they cannot bring a removed key back.
 *
 * <p>Bounded: past {@value #CAPACITY} pending removals (a long Redis outage with heavy churn) more are dropped and
 * counted; the keys of those series then go by their own expiry ({@code SERIES_TTL_MS}). Thread-safe: the creation
 * lock's holder adds, the writer thread drains; both hold this object's monitor for the copy only.
 */
final class ForgetQueue implements ForgetListener {
    static final int CAPACITY = 100_000;

    /** One forgetting: the series, and whether their source went with them. */
    record Forget(Source source, Series[] series, boolean sourceGone) {
    }

    private final ArrayDeque<Forget> pending = new ArrayDeque<>(); // guarded by this
    private long dropped;                                          // guarded by this

    @Override
    public synchronized void forgotten(Source source, Series[] series, boolean sourceGone, boolean deleted) {
        if (pending.size() >= CAPACITY) {
            if (dropped++ % 10_000 == 0) {
                Log.warn("redis removals queue full: the keys of " + source.name() + " go by their expiry instead");
            }
            return;
        }
        pending.add(new Forget(source, series, sourceGone));
    }

    /** Moves up to {@code max} pending removals into {@code out}. Writer thread. */
    synchronized int drainTo(List<Forget> out, int max) {
        int n = 0;
        while (n < max && !pending.isEmpty()) {
            out.add(pending.poll());
            n++;
        }
        return n;
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    synchronized long dropped() {
        return dropped;
    }

    /**
     * Queues, inside the writer's transaction, the commands removing what {@code forgets} name: each series' list
     * and its field of the source hash, or the whole hash and the set member when the source went. One variadic
     * {@code DEL} and one {@code SREM} carry a whole round's removals: with churning sources, a command per key
     * would be most of what the writer sends.
     */
    static void commands(RedisAsyncCommands<byte[], byte[]> redis, KeySchema keys, List<Forget> forgets,
                         List<RedisFuture<?>> replies) {
        List<byte[]> gone = new ArrayList<>();    // series lists, and the hashes of sources that went
        List<byte[]> members = new ArrayList<>(); // the sources that went, for the set of sources
        for (Forget f : forgets) {
            String source = f.source().name();
            byte[][] fields = new byte[f.series().length][];
            for (int i = 0; i < fields.length; i++) {
                Series s = f.series()[i];
                gone.add(bytes(keys.series(source, s.metric())));
                fields[i] = bytes(s.metric());
            }
            if (f.sourceGone()) {
                gone.add(bytes(keys.source(source)));
                members.add(bytes(source));
            } else if (fields.length > 0) {
                replies.add(redis.hdel(bytes(keys.source(source)), fields));
            }
        }
        if (!gone.isEmpty()) {
            replies.add(redis.del(gone.toArray(new byte[0][])));
        }
        if (!members.isEmpty()) {
            replies.add(redis.srem(bytes(keys.sources()), members.toArray(new byte[0][])));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
