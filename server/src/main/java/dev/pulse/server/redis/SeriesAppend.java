package dev.pulse.server.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A round's list writes as one Lua script: per series an RPUSH of its {@link RoundEntry}, an LTRIM when one is due
 * and a PEXPIRE when the key's expiry is due, in one command where they were up to three each. Per command Lettuce
 * builds, encodes and completes a command object and Redis parses a request and writes a reply; with hundreds of
 * series a round, that was most of what both spent on the writes. The script runs inside the round's MULTI/EXEC like
 * the commands it replaces. A call that fails does not stop the others ({@code pcall}); the script then answers with
 * the first error, so the round fails as it did when one of those commands failed, and is retried (the round's
 * marker says whether it went through). Reused round after round: the writer thread's.
 */
final class SeriesAppend {
    /** KEYS[i]: a series' list; ARGV[3i-2]: its entry, ARGV[3i-1]: entries to keep (0: no trim), ARGV[3i]: TTL ms (0: none). */
    static final String SCRIPT = """
            local failed
            local function call(...)
              local r = redis.pcall(...)
              if type(r) == 'table' and r.err and not failed then failed = r.err end
            end
            for i = 1, #KEYS do
              local key = KEYS[i]
              call('RPUSH', key, ARGV[3 * i - 2])
              local keep = tonumber(ARGV[3 * i - 1])
              if keep > 0 then call('LTRIM', key, -keep, -1) end
              local ttl = tonumber(ARGV[3 * i])
              if ttl > 0 then call('PEXPIRE', key, ttl) end
            end
            if failed then return redis.error_reply(failed) end
            return #KEYS
            """;
    private static final byte[] NONE = {'0'};

    private final List<byte[]> keys = new ArrayList<>();
    private final List<byte[]> args = new ArrayList<>();

    /** Starts a round's writes. */
    void clear() {
        keys.clear();
        args.clear();
    }

    /** Appends {@code entry} to {@code key}, then keeps its newest {@code keep} entries (0: all) and sets its TTL (0: not now). */
    void add(byte[] key, byte[] entry, long keep, long ttlMs) {
        keys.add(key);
        args.add(entry);
        args.add(keep > 0 ? ascii(keep) : NONE);
        args.add(ttlMs > 0 ? ascii(ttlMs) : NONE);
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Queues the script with the round's writes on {@code redis}; it answers how many lists it wrote. */
    RedisFuture<Long> send(RedisAsyncCommands<byte[], byte[]> redis) {
        return redis.eval(SCRIPT, ScriptOutputType.INTEGER, keys.toArray(new byte[0][]), args.toArray(new byte[0][]));
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
