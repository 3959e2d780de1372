package dev.pulse.server.redis;

import dev.pulse.server.analytics.ForgetListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.log.Log;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Series forgotten in memory (expired or deleted) whose Redis keys the writer removes (expired ones only while no
 * other replica writes them: see {@link #commands}), in its own order: each round
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

    /** One forgetting: the series, whether their source went with them, and whether a client deleted them. */
    record Forget(Source source, Series[] series, boolean sourceGone, boolean deleted) {
    }

    /**
     * Removes what expired on this replica unless another one still writes it. Per forgetting, KEYS: the source's
     * hash, then its series' lists; ARGV: the {@code updated_ms} this replica last wrote or restored, 1 when the source
     * went (else 0), the number of lists, the source's name, the lists' metrics. KEYS[1] is the set of sources. A hash
     * whose {@code updated_ms} is later was written by another replica since: its keys stay, and go by their own
     * expiry once nobody writes them. Returns how many forgettings it removed.
     */
    private static final byte[] REMOVE_UNLESS_WRITTEN_SINCE = """
            local k, a, removed = 2, 1, 0
            while a <= #ARGV do
              local n = tonumber(ARGV[a + 2])
              local updated = tonumber(redis.call('HGET', KEYS[k], 'updated_ms'))
              if not updated or updated <= tonumber(ARGV[a]) then
                for i = 1, n do redis.call('DEL', KEYS[k + i]) end
                if ARGV[a + 1] == '1' then
                  redis.call('DEL', KEYS[k])
                  redis.call('SREM', KEYS[1], ARGV[a + 3])
                elseif n > 0 then
                  redis.call('HDEL', KEYS[k], unpack(ARGV, a + 4, a + 3 + n))
                end
                removed = removed + 1
              end
              k = k + 1 + n
              a = a + 4 + n
            end
            return removed
            """.getBytes(StandardCharsets.US_ASCII);

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
        pending.add(new Forget(source, series, sourceGone, deleted));
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
     * and its field of the source hash, or the whole hash and the set member when the source went. What a client
     * deleted goes at once: one variadic {@code DEL} and one {@code SREM} carry a whole round's deletions, since with
     * churning sources a command per key would be most of what the writer sends. What expired here goes through one
     * script per round that leaves what another replica wrote since this one last did: every replica restores every
     * source at start-up, and expires those it is not sent.
     */
    static void commands(RedisAsyncCommands<byte[], byte[]> redis, KeySchema keys, List<Forget> forgets,
                         List<RedisFuture<?>> replies) {
        List<byte[]> gone = new ArrayList<>();    // deleted: series lists, and the hashes of sources that went
        List<byte[]> members = new ArrayList<>(); // deleted: the sources that went, for the set of sources
        List<byte[]> expiredKeys = new ArrayList<>(List.of(bytes(keys.sources())));
        List<byte[]> expiredArgs = new ArrayList<>();
        for (Forget f : forgets) {
            String source = f.source().name();
            byte[] hash = bytes(keys.source(source));
            if (!f.deleted()) {
                expiredKeys.add(hash);
                expiredArgs.add(bytes(Long.toString(f.source().snapshotMs())));
                expiredArgs.add(bytes(f.sourceGone() ? "1" : "0"));
                expiredArgs.add(bytes(Integer.toString(f.series().length)));
                expiredArgs.add(bytes(source));
                for (Series s : f.series()) {
                    expiredKeys.add(bytes(keys.series(source, s.metric())));
                    expiredArgs.add(bytes(s.metric()));
                }
                continue;
            }
            byte[][] fields = new byte[f.series().length][];
            for (int i = 0; i < fields.length; i++) {
                Series s = f.series()[i];
                gone.add(bytes(keys.series(source, s.metric())));
                fields[i] = bytes(s.metric());
            }
            if (f.sourceGone()) {
                gone.add(hash);
                members.add(bytes(source));
            } else if (fields.length > 0) {
                replies.add(redis.hdel(hash, fields));
            }
        }
        if (!gone.isEmpty()) {
            replies.add(redis.del(gone.toArray(new byte[0][])));
        }
        if (!members.isEmpty()) {
            replies.add(redis.srem(bytes(keys.sources()), members.toArray(new byte[0][])));
        }
        if (!expiredArgs.isEmpty()) {
            replies.add(redis.eval(REMOVE_UNLESS_WRITTEN_SINCE, ScriptOutputType.INTEGER,
                    expiredKeys.toArray(new byte[0][]), expiredArgs.toArray(new byte[0][])));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
