package dev.pulse.server.analytics.detect;

/**
 * A {@link LevelModel} plus the shape of a week in slots, read and learnt by linear interpolation between the two
 * slots around a time. The week is held as two days ({@link #weekdaysAndWeekends}): one shape for Monday to Friday
 * and one for Saturday and Sunday (UTC, or the time zone of {@link #offsetAt}), each slot learning from five or two
 * days' values a week where a slot of a whole week learns from one; a daily cycle is the same shape on both. Each
 * slot is a 16-bit count of a unit, a power of two that starts at 1/4,096 of the first step learnt and doubles
 * (halving the counts) whenever a slot would overflow: a unit is at most 1/32,768 of the largest deviation, and as a
 * step under half a unit is lost a slot settles within a few units, about 1/10,000 of it (a float: 1/16,777,216), in
 * half a float's bytes. The prediction uses the shape minus its mean, so the level and the shape cannot trade a
 * constant between them and wander. A slot takes its first held value whole (one within the bar, or one another
 * baseline holds) and reads as its neighbour until then: the weekend's drop is in place after the first weekend,
 * where steps clipped to a few noise units took weeks, and one absurd value cannot set a slot (EVALUATION.md, "A
 * weekly slot's first value").
 *
 * <p>O(1) per value (the caller finds the phase), and O(slots) on the rare doubling of the unit; 2 bytes a slot and
 * a bit. At most {@value #MAX_SLOTS} slots, both days'.
 * Not thread-safe: guarded by the series' lock.
 */
final class CycleModel extends LevelModel {
    /** Slots a shape may have: the bits of two longs say which have learnt a value. */
    static final int MAX_SLOTS = 128;
    private final short[] shape;          // in units; guarded by the series' lock
    private final double slotsInverse;
    private final int daySlots;           // the shape is a weekday then a weekend day of this many slots
    private int offsetHours;              // the week's time zone, hours ahead of UTC; guarded by the series' lock

    // All fields below: guarded by the series' lock.
    private double shapeSum;    // sum of the slots (in value units), for their mean
    private double unit;        // value of one count of a slot, a power of two; 0 until the first step
    private double perUnit = Double.POSITIVE_INFINITY; // 1 / unit
    private int lower;          // slots around the located time, and the weight of the upper one
    private int upper;
    private double frac;
    private int located = -2;   // the position's whole slot lower and upper were found for (-1: before slot 0)
    private long learntLow;     // slots 0-63 that have learnt a value or do not exist, a bit each
    private long learntHigh;    // ... slots 64-127

    /** See {@link #weekdaysAndWeekends}. The level learns with {@link CleanOutlierRule#SEASON_LEVEL_ALPHA}. */
    private CycleModel(int daySlots) {
        super(false, false);
        int slots = 2 * daySlots;
        // Whole slots to an hour, so a time zone's offset moves which day a time reads by whole slots.
        if (daySlots < 1 || daySlots % 24 != 0 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("daySlots=" + daySlots);
        }
        learntLow = slots >= 64 ? 0 : -1L << slots;
        learntHigh = slots >= 128 ? 0 : slots > 64 ? -1L << (slots - 64) : -1L;
        this.shape = new short[slots];
        this.slotsInverse = 1.0 / slots;
        this.daySlots = daySlots;
    }

    /**
     * A week as a weekday and a weekend day of {@code daySlots} slots each: its positions ({@link #predict}) run over
     * the week's 7 x {@code daySlots} slots from the epoch's Thursday, 00:00 UTC, and Saturday's and Sunday's read
     * the weekend day. {@code daySlots}: a multiple of 24, at most {@value #MAX_SLOTS} / 2.
     */
    static CycleModel weekdaysAndWeekends(int daySlots) {
        return new CycleModel(daySlots);
    }

    /** The slot of the shape that holds position {@code slot} of the period. */
    private int held(int slot) {
        int d = daySlots;
        // The day there, 0 Thursday to 6 Wednesday (d is a multiple of 24, checked when built: an offset in hours is
        // whole slots).
        int local = Math.floorMod(slot + offsetHours * d / 24, 7 * d);
        int day = local / d;
        return slot % d + (day == 2 || day == 3 ? d : 0); // Saturday and Sunday read the weekend day
    }

    /**
     * A week's days are those of a time zone {@code hours} ahead of UTC (at first 0). Its shapes stay indexed by the
     * time of day in UTC; only which of them a time reads moves.
     */
    void offsetAt(int hours) {
        if (hours != offsetHours) {
            offsetHours = hours;
            located = -2; // the slots around a position depend on it
        }
    }

    int offsetHours() {
        return offsetHours;
    }

    /**
     * The prediction for a value {@code slot} slots into the model's period (its phase times slots per second);
     * positions the shape for {@link #learnShape}.
     */
    @Override
    double predict(double slot) {
        short[] s = shape;
        double pos = slot - 0.5;
        int lo = pos < 0 ? -1 : (int) pos;
        frac = pos - lo;
        if (lo != located) {
            // A new slot: values come many to a slot, so the slots' lookup (two divisions for a week) is seldom done.
            locate(lo);
        }
        int from = lower;
        int to = upper;
        if (!allLearnt()) {
            // A slot not yet learnt holds nothing: it reads as its learnt neighbour.
            if (!learnt(to)) {
                to = from;
            } else if (!learnt(from)) {
                from = to;
            }
        }
        return level() + (s[from] + frac * (s[to] - s[from])) * unit - shapeSum * slotsInverse;
    }

    /** Finds the slots of the shape around whole slot {@code lo} of the period (-1: before the first). */
    private void locate(int lo) {
        int slots = 7 * daySlots;
        int lowerSlot = lo < 0 ? lo + slots : lo;
        lower = held(lowerSlot);
        upper = held(lowerSlot + 1 == slots ? 0 : lowerSlot + 1);
        located = lo;
    }

    @Override
    void learnShape(double ce, double x, boolean held) {
        double step = CleanOutlierRule.SHAPE_ALPHA * ce;
        if (allLearnt()) {
            add(lower, step * (1.0 - frac));
            add(upper, step * frac);
            return;
        }
        // A slot not yet learnt takes its first value from the nearer side only: the slot after a turn (Saturday's
        // first) is the upper one of the last values before it, which are not its own.
        if (learnt(lower)) {
            add(lower, step * (1.0 - frac));
        } else if (frac <= 0.5 && held) {
            learnFirst(lower, x);
        }
        if (learnt(upper)) {
            add(upper, step * frac);
        } else if (frac >= 0.5 && held) {
            learnFirst(upper, x);
        }
    }

    /**
     * Slot {@code i}'s first value: the slot takes the deviation that puts its own prediction at {@code x}, and the
     * level moves by what that changed the shape's mean, so no other slot's prediction moves. Before it the slot held
     * nothing to weigh an error against.
     */
    private void learnFirst(int i, double x) {
        double before = shapeSum;
        add(i, x - (level() + shape[i] * unit - shapeSum * slotsInverse));
        shiftLevel((shapeSum - before) * slotsInverse);
        markLearnt(i);
    }

    private boolean allLearnt() {
        return (learntLow & learntHigh) == -1L;
    }

    private boolean learnt(int i) {
        return ((i < 64 ? learntLow >>> i : learntHigh >>> (i - 64)) & 1L) != 0;
    }

    private void markLearnt(int i) {
        if (i < 64) {
            learntLow |= 1L << i;
        } else {
            learntHigh |= 1L << (i - 64);
        }
    }

    /** Adds {@code v} (value units) to slot {@code i}, rounded to the unit. */
    private void add(int i, double v) {
        short[] s = shape;
        // Before the first step perUnit is infinite, so q is not a count and the slow path sets the unit.
        double q = ShortCounts.round(s[i] + v * perUnit);
        if (!ShortCounts.fits(q)) {
            q = rescale(i, v);
        }
        shapeSum += (q - s[i]) * unit;
        s[i] = (short) q;
    }

    /**
     * Slot {@code i}'s count after adding {@code v} when it does not fit the unit: sets the first unit, or doubles
     * it (halving every slot) until the sum fits. A value beyond every double adds nothing.
     */
    private double rescale(int i, double v) {
        if (!(Math.abs(v) <= Double.MAX_VALUE) || unit == 0 && v == 0) {
            return shape[i];
        }
        double fitting = ShortCounts.unitToFit(shape, i, true, v, unit);
        if (fitting != unit) {
            unit = fitting;
            perUnit = 1.0 / fitting;
            shapeSum = ShortCounts.sum(shape) * fitting; // the slots may have been halved
        }
        return Math.rint(shape[i] + v / unit);
    }

    @Override
    double levelAlpha() {
        return CleanOutlierRule.SEASON_LEVEL_ALPHA;
    }
}
