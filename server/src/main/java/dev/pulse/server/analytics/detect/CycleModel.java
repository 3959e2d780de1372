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
 * <p>The hours where the day type changes, Friday's and Sunday's last {@link #TURN_HOURS} and Saturday's and Monday's
 * first, may split off into slots of their own: a weekend that ramps in fits neither day type there. A turn's slot
 * takes its first value when one that its day type does not hold lies between the two day types; until then its day
 * type's slot stands in for it.
 *
 * <p>O(1) per value (the caller finds the phase), and O(slots) on the rare doubling of the unit; 2 bytes a slot and
 * a bit. At most {@value #MAX_SLOTS} slots, both days' and the turns'.
 * Not thread-safe: guarded by the series' lock.
 */
final class CycleModel extends LevelModel {
    /** Slots a shape may have: the bits of two longs say which have learnt a value. */
    static final int MAX_SLOTS = 128;
    /**
     * Hours at each end of a day next to a change of day type that may have slots of their own: a weekend that ramps
     * in fits neither day type there (EVALUATION.md, "The weekend's turns in slots of their own").
     */
    static final int TURN_HOURS = 2;
    /**
     * A turn's slot learns from one day a week where a weekday's learns from five: its steps are this many times
     * larger (about 3.4), so that it forgets as much in a week.
     */
    private static final double TURN_GAIN =
            (1 - Math.pow(1 - CleanOutlierRule.SHAPE_ALPHA, 5)) / CleanOutlierRule.SHAPE_ALPHA;
    private final short[] shape;          // in units; guarded by the series' lock
    private final double slotsInverse;
    private final int daySlots;           // the shape is a weekday, a weekend day, then the four turns' slots
    private final int turnSlots;          // slots of each turn
    private int offsetHours;              // the week's time zone, hours ahead of UTC; guarded by the series' lock

    // All fields below: guarded by the series' lock.
    private double shapeSum;    // sum of the two days' slots (in value units), for their mean
    private double unit;        // value of one count of a slot, a power of two; 0 until the first step
    private double perUnit = Double.POSITIVE_INFINITY; // 1 / unit
    private int lower;          // slots around the located time, and the weight of the upper one
    private int upper;
    private double frac;
    private int lowerTurn;      // the turn's slot that lower stands in for, which has learnt nothing yet; else -1
    private int upperTurn;      // ... upper
    private double lowerGain;   // gain() of lower and of upper
    private double upperGain;
    private int located = -2;   // the position's whole slot lower and upper were found for (-1: before slot 0)
    private long learntLow;     // the two days' slots 0-63 that have learnt a value, or are not theirs, a bit each
    private long learntHigh;    // ... slots 64-127
    private int turnsLearnt;    // the turns' slots that have learnt a value, a bit each (at most 16)

    /** See {@link #weekdaysAndWeekends}. The level learns with {@link CleanOutlierRule#SEASON_LEVEL_ALPHA}. */
    private CycleModel(int daySlots) {
        super(false, false);
        int turnSlots = TURN_HOURS * daySlots / 24;
        int slots = 2 * daySlots + 4 * turnSlots;
        // Whole slots to an hour, so a time zone's offset moves which day a time reads by whole slots.
        if (daySlots < 1 || daySlots % 24 != 0 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("daySlots=" + daySlots);
        }
        this.turnSlots = turnSlots;
        int daysSlots = 2 * daySlots; // the turns' slots are counted apart, so the common case tests two longs
        learntLow = daysSlots >= 64 ? 0 : -1L << daysSlots;
        learntHigh = daysSlots >= 128 ? 0 : daysSlots > 64 ? -1L << (daysSlots - 64) : -1L;
        this.shape = new short[slots];
        this.slotsInverse = 1.0 / (2 * daySlots); // the two days' mean: a turn's slot reads against the same level
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

    /** The week's time zone in slots: whole, as a day's slots are a multiple of 24 (checked when built). */
    private int offsetSlots() {
        return offsetHours * daySlots / 24;
    }

    /** The slot of the shape that holds position {@code slot} of the period. */
    private int held(int slot) {
        int d = daySlots;
        int t = turnSlots;
        // The day there, 0 Thursday to 6 Wednesday, in the week's time zone.
        int local = Math.floorMod(slot + offsetSlots(), 7 * d);
        int day = local / d;
        int inDay = local - day * d;
        if (inDay >= d - t && (day == 1 || day == 3)) { // Friday's or Sunday's last hours
            return 2 * d + (day == 1 ? 0 : 2 * t) + inDay - (d - t);
        }
        if (inDay < t && (day == 2 || day == 4)) { // Saturday's or Monday's first
            return 2 * d + (day == 2 ? t : 3 * t) + inDay;
        }
        return slot % d + (day == 2 || day == 3 ? d : 0); // Saturday and Sunday read the weekend day
    }

    /**
     * For a turn's slot {@code i}: the slot of its own day type at the same time ({@code own}), or of the other one:
     * the weekday's for Saturday's and Sunday's, the weekend day's for Friday's and Monday's. Any other slot: itself.
     */
    private int dayTypeSlot(int i, boolean own) {
        int d = daySlots;
        int t = turnSlots;
        if (i < 2 * d) {
            return i;
        }
        int turn = (i - 2 * d) / t; // 0 Friday's end, 1 Saturday's start, 2 Sunday's end, 3 Monday's start
        int j = i - 2 * d - turn * t;
        int utc = Math.floorMod((turn % 2 == 0 ? d - t + j : j) - offsetSlots(), d); // shapes are by UTC
        boolean weekend = turn == 1 || turn == 2;
        return utc + (weekend == own ? d : 0);
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
        // A turn's slot that has learnt nothing yet: its day type's slot reads and learns in its place.
        lowerTurn = learnt(lower) || lower < 2 * daySlots ? -1 : lower;
        upperTurn = learnt(upper) || upper < 2 * daySlots ? -1 : upper;
        lower = lowerTurn < 0 ? lower : dayTypeSlot(lower, true);
        upper = upperTurn < 0 ? upper : dayTypeSlot(upper, true);
        lowerGain = gain(lower);
        upperGain = gain(upper);
        located = lo;
    }

    @Override
    void learnShape(double ce, double x, boolean held, double sigma) {
        double stepLower = CleanOutlierRule.SHAPE_ALPHA * ce * (1.0 - frac) * lowerGain;
        double stepUpper = CleanOutlierRule.SHAPE_ALPHA * ce * frac * upperGain;
        if (!held && (lowerTurn >= 0 || upperTurn >= 0) && splitTurn(stepLower, stepUpper, x, sigma)) {
            return;
        }
        if (allLearnt()) {
            add(lower, stepLower);
            add(upper, stepUpper);
            return;
        }
        // A slot not yet learnt takes its first value from the nearer side only: the slot after a turn (Saturday's
        // first) is the upper one of the last values before it, which are not its own.
        learnSlot(lower, stepLower, frac <= 0.5, x, held);
        learnSlot(upper, stepUpper, frac >= 0.5, x, held);
    }

    /**
     * A turn that its day type does not hold splits off: {@code x}, which the bar does not hold, is its slot's first
     * value when it lies between the two day types, and that slot holds the turn from then on. Until then the day
     * type's slot learns the turn's values, so a series whose turns fit its days splits none. Returns whether a turn
     * split (and the value is learnt).
     */
    private boolean splitTurn(double stepLower, double stepUpper, double x, double sigma) {
        boolean lowerSplits = splits(lowerTurn, frac <= 0.5, x, sigma);
        boolean upperSplits = splits(upperTurn, frac >= 0.5, x, sigma);
        if (!lowerSplits && !upperSplits) {
            return false;
        }
        located = -2; // the turn's own slot from the next value on
        if (!lowerSplits) {
            learnSlot(lower, stepLower, frac <= 0.5, x, false);
        }
        if (!upperSplits) {
            learnSlot(upper, stepUpper, frac >= 0.5, x, false);
        }
        return true;
    }

    /** Learns {@code step} into slot {@code i}, or takes {@code x} whole where it has learnt nothing yet. */
    private void learnSlot(int i, double step, boolean nearer, double x, boolean held) {
        if (learnt(i)) {
            add(i, step);
        } else if (nearer && held) {
            learnFirst(i, x);
        }
    }

    /**
     * Whether turn slot {@code turn} (-1: none) takes {@code x} as its first value ({@link #turnHolds}); if so, it has.
     */
    private boolean splits(int turn, boolean nearer, double x, double sigma) {
        if (turn < 0 || !nearer || !turnHolds(turn, x, sigma)) {
            return false;
        }
        learnFirst(turn, x);
        return true;
    }

    /**
     * Whether {@code x} may be turn slot {@code i}'s first value though the bar does not hold it: it lies between what
     * the two day types predict at that time, or within {@link CleanOutlierRule#CLIP} noise units of one, as a day
     * turning from one to the other does. A spike past both is not taken.
     */
    private boolean turnHolds(int i, double x, double sigma) {
        int own = dayTypeSlot(i, true);
        int other = dayTypeSlot(i, false);
        if (!learnt(own) || !learnt(other)) {
            return false;
        }
        double a = shape[own] * unit;
        double b = shape[other] * unit;
        double at = x - (level() - shapeSum * slotsInverse);
        double margin = CleanOutlierRule.CLIP * sigma;
        return at >= Math.min(a, b) - margin && at <= Math.max(a, b) + margin;
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

    /**
     * Slot {@code i}'s share of a step: {@link #TURN_GAIN} where it learns from one day a week, else 1. A turn's slot
     * does, and so does the weekend day's in a turn's hours, from the start: the other weekend day's values there
     * belong to its turn once that splits off. Found with the slots around a time (a division).
     */
    private double gain(int i) {
        int d = daySlots;
        if (i >= 2 * d) {
            return TURN_GAIN;
        }
        if (i < d) {
            return 1.0;
        }
        int inDay = Math.floorMod(i - d + offsetSlots(), d); // the weekend day's slot in its own time zone
        return inDay < turnSlots || inDay >= d - turnSlots ? TURN_GAIN : 1.0;
    }

    private boolean allLearnt() {
        return (learntLow & learntHigh) == -1L;
    }

    private boolean learnt(int i) {
        int t = i - 2 * daySlots;
        return t >= 0 ? (turnsLearnt >>> t & 1) != 0 : ((i < 64 ? learntLow >>> i : learntHigh >>> (i - 64)) & 1L) != 0;
    }

    private void markLearnt(int i) {
        if (i >= 2 * daySlots) {
            turnsLearnt |= 1 << (i - 2 * daySlots);
        } else if (i < 64) {
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
        if (i < 2 * daySlots) {
            shapeSum += (q - s[i]) * unit;
        }
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
            shapeSum = ShortCounts.sum(shape, 2 * daySlots) * fitting; // the slots may have been halved
        }
        return Math.rint(shape[i] + v / unit);
    }

    @Override
    double levelAlpha() {
        return CleanOutlierRule.SEASON_LEVEL_ALPHA;
    }
}
