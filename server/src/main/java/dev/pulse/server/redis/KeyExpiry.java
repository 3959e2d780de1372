package dev.pulse.server.redis;

import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;

import java.util.List;

/**
 * The expiry of a series' keys in Redis ({@code SERIES_TTL_MS}), refreshed by the writer's rounds rather than per
 * value: a key gets {@code PEXPIRE} of the TTL plus a sixteenth when its last refresh is a sixteenth of the TTL old,
 * so it always outlives its last write by at least the TTL, and one command per key covers every write of the next
 * sixteenth of the TTL. Keys a process no longer writes (it crashed, or was restarted with fewer limits) therefore
 * go by themselves; those it forgets it removes at once ({@link ForgetQueue}). Writer thread only.
 */
final class KeyExpiry {
    private final long ttlMs; // 0: keys never expire

    KeyExpiry(long seriesTtlMs) {
        this.ttlMs = seriesTtlMs;
    }

    /** The {@code PEXPIRE} given to a key. */
    long keyTtlMs() {
        return ttlMs + ttlMs / 16;
    }

    /** Whether a key last refreshed at {@code refreshedMs} needs its expiry set again in this round. */
    boolean due(long refreshedMs, long nowMs) {
        return ttlMs > 0 && nowMs - refreshedMs >= ttlMs / 16;
    }

    /** Notes the refreshes of a round Redis applied: the same {@link #due} answers decided what was sent. */
    void written(List<Series> series, List<Source> sources, long nowMs) {
        if (ttlMs == 0) {
            return;
        }
        for (Series s : series) {
            if (due(s.keysRefreshedMs(), nowMs)) {
                s.keysRefreshedMs(nowMs);
            }
        }
        for (Source s : sources) {
            if (due(s.keysRefreshedMs(), nowMs)) {
                s.keysRefreshedMs(nowMs);
            }
        }
    }
}
