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
     * Removes forgotten series' keys unless another replica wrote their source since a cutoff. Per forgetting, KEYS:
     * the source's hash, then its series' lists; ARGV: the cutoff (the {@code updated_ms} this replica last wrote or
     * restored; the largest time for a deletion), 1 when the source went (else 0), the number of lists, the source's
     * name, the lists' metrics. KEYS[1] is the set of sources. A hash whose {@code updated_ms} is later was written by
     * another replica since: its keys stay, and go by their own expiry once nobody writes them. Returns how many
     * forgettings it removed.
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
     * Queues, inside the writer's transaction, the removal of what {@code forgets} name: each series' list and its
     * field of the source hash, or the whole hash and the set member when the source went. One script call carries
     * a whole round's removals (with churning sources a command per key would be most of what the writer sends). What
     * expired here is removed only while no other replica has written the source since this one last did (every
     * replica restores every source at start-up, and expires those it is not sent); what a client deleted is
     * removed whoever wrote it, its cutoff being the largest time.
     */
    static void commands(RedisAsyncCommands<byte[], byte[]> redis, KeySchema keys, List<Forget> forgets,
                         List<RedisFuture<?>> replies) {
        if (forgets.isEmpty()) {
            return;
        }
        List<byte[]> scriptKeys = new ArrayList<>(List.of(bytes(keys.sources())));
        List<byte[]> args = new ArrayList<>();
        for (Forget f : forgets) {
            String source = f.source().name();
            scriptKeys.add(bytes(keys.source(source)));
            args.add(bytes(Long.toString(f.deleted() ? Long.MAX_VALUE : f.source().snapshotMs())));
            args.add(bytes(f.sourceGone() ? "1" : "0"));
            args.add(bytes(Integer.toString(f.series().length)));
            args.add(bytes(source));
            for (Series s : f.series()) {
                scriptKeys.add(bytes(keys.series(source, s.metric())));
                args.add(bytes(s.metric()));
            }
        }
        replies.add(redis.eval(REMOVE_UNLESS_WRITTEN_SINCE, ScriptOutputType.INTEGER,
                scriptKeys.toArray(new byte[0][]), args.toArray(new byte[0][])));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
