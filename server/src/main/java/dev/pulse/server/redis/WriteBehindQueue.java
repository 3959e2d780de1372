package dev.pulse.server.redis;

import dev.pulse.protocol.event.EventBatch;
import dev.pulse.server.analytics.BatchListener;
import dev.pulse.server.analytics.Series;
import dev.pulse.server.analytics.Source;
import dev.pulse.server.config.QueueFullPolicy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The bounded write-behind queue between the event loops and the Redis writer: one single-producer ring per event
 * loop, each a preallocated set of parallel arrays (series, value, timestamp, enqueue time), so enqueuing allocates
 * nothing and the event loops share no lock with each other or with the writer. A producer publishes a batch with
 * one ordered store of its tail; the writer ({@link #drainTo}) merges the rings by enqueue time, so values one client
 * sent in order over several connections keep that order, and takes them by moving each ring's head with a CAS.
 *
 * <p>Capacity: {@code REDIS_QUEUE_CAPACITY} split evenly among the event loops ({@code producers}). What a full ring
 * does is the {@link QueueFullPolicy}: {@code DROP} makes room by moving the head past the oldest entries itself
 * (a CAS, the writer may be moving it too) and counts each one in {@link #dropped()}, so an outage longer than the
 * queue loses the oldest writes, never silently, and never blocks ingestion; the writer discards what it copied
 * from entries the producer took back, so every entry is either taken once or counted dropped once. {@code REJECT}
 * refuses to {@link #reserve} room the ring does not have, so the request is shed with 503 and nothing once accepted
 * is lost.
 */
public final class WriteBehindQueue implements BatchListener {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(Ring.class, "head", long.class);
            TAIL = l.findVarHandle(Ring.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int ringCapacity;
    private final long capacity; // every ring's together
    private final boolean rejectWhenFull;
    private final ThreadLocal<Ring> local = ThreadLocal.withInitial(this::register);
    private volatile Ring[] rings = new Ring[0]; // copy-on-write; replaced under this object's monitor, once per thread

    /** One producer: the whole capacity in one ring. */
    public WriteBehindQueue(int capacity, QueueFullPolicy policy) {
        this(capacity, policy, 1);
    }

    /** {@code capacity} values split among {@code producers} rings (one per event loop, made on first use). */
    public WriteBehindQueue(int capacity, QueueFullPolicy policy, int producers) {
        this.ringCapacity = Math.max(1, (int) ((capacity + (long) producers - 1) / Math.max(1, producers)));
        this.capacity = (long) ringCapacity * Math.max(1, producers);
        this.rejectWhenFull = policy == QueueFullPolicy.REJECT;
    }

    private synchronized Ring register() {
        Ring r = new Ring(ringCapacity);
        Ring[] next = Arrays.copyOf(rings, rings.length + 1);
        next[next.length - 1] = r;
        rings = next;
        return r;
    }

    @Override
    public boolean reserve(int values) {
        if (!rejectWhenFull) {
            return true;
        }
        Ring r = local.get();
        if (r.tailCopy - (long) HEAD.getVolatile(r) + r.reserved + values > r.capacity) {
            return false;
        }
        r.reserved += values;
        return true;
    }

    @Override
    public void release(int values) {
        if (rejectWhenFull) {
            local.get().reserved -= values;
        }
    }

    @Override
    public void applied(EventBatch batch, Source[] sources, Series[] resolved, double nowSeconds) {
        Ring r = local.get();
        int total = batch.metricTotal();
        if (rejectWhenFull) {
            r.reserved -= total; // the reserved room is filled now, so nothing below has to make room
        }
        // Metrics a rule ignores take no room; counting them out is needed only where room is short.
        int n = r.fits(total) ? total : kept(resolved, total);
        int skip = Math.max(0, n - r.capacity); // a batch larger than the ring keeps only its newest values
        r.makeRoom(n - skip);
        if (skip > 0) {
            r.dropped(skip);
        }
        long stamp = System.nanoTime();
        long t = r.tailCopy;
        int slot = r.tailSlot;
        int k = 0;
        for (int e = 0, events = batch.size(); e < events; e++) {
            double ts = batch.timestamp(e);
            if (ts != ts) {
                ts = nowSeconds;
            }
            for (int m = batch.metricStart(e), end = m + batch.metricCount(e); m < end; m++) {
                if (resolved[m] == null || k++ < skip) { // null: a rule ignores the metric
                    continue;
                }
                r.series[slot] = resolved[m];
                r.values[slot] = batch.metricValue(m);
                r.times[slot] = ts;
                r.stamps[slot] = stamp;
                slot = slot + 1 == r.capacity ? 0 : slot + 1;
                t++;
            }
        }
        r.tailSlot = slot;
        r.tailCopy = t;
        TAIL.setRelease(r, t); // the writer reads the entries after reading this
    }

    /** The values of {@code resolved[0, total)} that are queued: a metric a rule ignores (null) takes no room. */
    private static int kept(Series[] resolved, int total) {
        int n = total;
        for (int m = 0; m < total; m++) {
            if (resolved[m] == null) {
                n--;
            }
        }
        return n;
    }

    @Override
    public void valuesApplied(Series[] applied, double[] appliedValues, double[] appliedTimes, int count) {
        Ring r = local.get();
        if (rejectWhenFull) {
            r.reserved -= count;
        }
        int skip = Math.max(0, count - r.capacity);
        r.makeRoom(count - skip);
        if (skip > 0) {
            r.dropped(skip);
        }
        long stamp = System.nanoTime();
        long t = r.tailCopy;
        int slot = r.tailSlot;
        for (int i = skip; i < count; i++) {
            r.series[slot] = applied[i];
            r.values[slot] = appliedValues[i];
            r.times[slot] = appliedTimes[i];
            r.stamps[slot] = stamp;
            slot = slot + 1 == r.capacity ? 0 : slot + 1;
            t++;
        }
        r.tailSlot = slot;
        r.tailCopy = t;
        TAIL.setRelease(r, t);
    }

    /**
     * Moves up to {@code max} of the oldest entries, merged across the rings by enqueue time, after those
     * {@code out} holds; returns how many. Writer thread only.
     */
    public int drainTo(QueueChunk out, int max) {
        out.startDrain();
        int before = out.size();
        int limit = (int) Math.min(Integer.MAX_VALUE, (long) before + max); // out's size once it took max
        Ring[] rs = rings;
        int n = rs.length;
        if (n == 0) {
            return 0;
        }
        long[] from = out.from(n);
        long[] next = out.next(n);
        long[] end = out.end(n);
        int[] slot = out.slots(n);
        for (int i = 0; i < n; i++) {
            Ring r = rs[i];
            from[i] = (long) HEAD.getVolatile(r);
            end[i] = (long) TAIL.getAcquire(r);
            next[i] = from[i];
            slot[i] = (int) (from[i] % r.capacity);
        }
        while (out.size() < limit) { // merge: the ring whose next entry was enqueued first
            int pick = -1;
            long least = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (next[i] < end[i] && (pick < 0 || rs[i].stamps[slot[i]] - least < 0)) {
                    pick = i;
                    least = rs[i].stamps[slot[i]];
                }
            }
            if (pick < 0) {
                break;
            }
            Ring r = rs[pick];
            int s = slot[pick];
            int run = 1; // the rest of that batch (its entries share the stamp), up to the arrays' end
            long left = Math.min(end[pick] - next[pick], limit - out.size());
            while (run < left && s + run < r.capacity && r.stamps[s + run] == least) {
                run++;
            }
            out.add(r.series, r.values, r.times, s, run, pick, next[pick]);
            next[pick] += run;
            slot[pick] = s + run == r.capacity ? 0 : s + run;
        }
        VarHandle.acquireFence(); // the copies above are read before the heads below (as StampedLock.validate)
        for (int i = 0; i < n; i++) {
            long h = from[i];
            while (next[i] > h && !HEAD.compareAndSet(rs[i], h, next[i])) {
                // the producer moved the head past entries it overwrote (and counted them): what was copied of
                // those goes; what was copied after them was intact, since the head had not passed it yet
                VarHandle.acquireFence();
                h = Math.min((long) HEAD.getVolatile(rs[i]), next[i]);
                out.discard(i, h);
            }
        }
        return out.size() - before;
    }

    /** The values every ring holds together, once each producer has made its ring. */
    public long capacity() {
        return capacity;
    }

    public long depth() {
        long d = 0;
        for (Ring r : rings) {
            d += held(r);
        }
        return d;
    }

    /**
     * Whether the writer should take what the rings hold now rather than linger: they hold {@code values} together,
     * or one holds a quarter of its capacity (a client on one connection fills only its own event loop's ring). A
     * quarter, not a half: at the highest rates a round takes tens of milliseconds on a busy machine, and the room
     * left must hold what comes in meanwhile.
     */
    public boolean drainDue(long values) {
        long d = 0;
        for (Ring r : rings) {
            long held = held(r);
            if (held >= r.capacity / 4) {
                return true;
            }
            d += held;
        }
        return d >= values;
    }

    /**
     * Whether a ring is over half full: the writer then takes it into the room its chunk has after a round that is
     * still being built or awaited. Not sooner, since what it takes then moves down the chunk once the round is
     * written, and a round that keeps up leaves the rings under a quarter.
     */
    public boolean overHalfFull() {
        for (Ring r : rings) {
            if (held(r) > r.capacity / 2) {
                return true;
            }
        }
        return false;
    }

    private static long held(Ring r) {
        long h = (long) HEAD.getVolatile(r); // head first: the tail read after it is not behind it
        return (long) TAIL.getAcquire(r) - h;
    }

    public long dropped() {
        long d = 0;
        for (Ring r : rings) {
            d += r.dropped;
        }
        return d;
    }

    /** One event loop's ring. */
    private static final class Ring {
        final int capacity;
        final Series[] series;
        final double[] values;
        final double[] times;
        final long[] stamps;         // System.nanoTime() of the entry's batch, to merge the rings in order
        @SuppressWarnings("unused")
        private volatile long head;  // sequence of the oldest entry; moved by the writer, and by the producer when full
        @SuppressWarnings("unused")
        private volatile long tail;  // sequence of the next entry; published by the producer
        long tailCopy;               // the producer's own copy of tail: owned by the producer thread
        int tailSlot;                // tail's index in the arrays: owned by the producer thread
        long reserved;               // room promised to requests being applied (REJECT): owned by the producer thread
        volatile long dropped;       // entries overwritten before the writer took them: written by the producer only

        Ring(int capacity) {
            this.capacity = capacity;
            this.series = new Series[capacity];
            this.values = new double[capacity];
            this.times = new double[capacity];
            this.stamps = new long[capacity];
        }

        /** Whether {@code need} more entries fit without dropping any. Producer only. */
        boolean fits(int need) {
            return tailCopy + need - capacity - (long) HEAD.getVolatile(this) <= 0;
        }

        /** Producer: makes room for {@code need} entries, moving the head past the oldest ones if it must. */
        void makeRoom(int need) {
            while (true) {
                long h = (long) HEAD.getVolatile(this);
                long over = tailCopy + need - capacity - h;
                if (over <= 0) {
                    return;
                }
                if (HEAD.compareAndSet(this, h, h + over)) {
                    dropped(over);
                    return;
                }
            }
        }

        void dropped(long n) {
            dropped = dropped + n; // one writer: the producer
        }
    }
}
