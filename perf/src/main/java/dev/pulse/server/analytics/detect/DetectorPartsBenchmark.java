package dev.pulse.server.analytics.detect;

import dev.pulse.bench.BenchmarkDefaults;
import dev.pulse.bench.analytics.SeriesBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One value through each part of the detectors alone (ns per value), on the values of {@code SeriesBenchmark}
 * (Gaussian noise around 1e9, a spike of 50 in one value of a hundred, a second apart): where the recommended
 * detector's time goes, part by part, without the window and the lock. A part's figure holds its own work only; the
 * detectors' rows hold the parts together with the rules that join them. In the detectors' package: the parts are
 * theirs.
 */
@State(Scope.Thread)
public class DetectorPartsBenchmark extends BenchmarkDefaults {
    private static final double START = 1_700_000_000.0;
    private static final long DAY_SECONDS = 86_400;
    private static final long WEEK_SECONDS = 604_800;

    private double[] values;
    private long next;            // values taken: a long, as the models count their values

    private StreamingMedian median;
    private SeasonalProfile day;
    private SeasonalProfile week;
    private DecayingHistogram tail;
    private LevelModel level;
    private LevelModel trend;
    private LevelModel fast;
    private LevelModel otherLevel;
    private CycleModel weekCycle;
    private ShapeNovelty shapes;
    private CleanOutlierRule clean;
    private RobustDetector robust;
    private PerValueDetector perValue;
    private NoveltyDetector novelty;
    private NoveltyDetector otherNovelty;

    @Setup
    public void setUp() {
        values = SeriesBenchmark.noiseWithSpikes();
        RobustDetector.Params p = RobustDetector.Params.DEFAULTS.withWindow(50, 10);
        median = new StreamingMedian(p.baselineValues(), 64);
        day = new SeasonalProfile(DAY_SECONDS, p.daySlots(), p.slotAlpha());
        week = new SeasonalProfile(WEEK_SECONDS, p.weekSlots(), p.slotAlpha());
        tail = new DecayingHistogram(p.tailHalfLife(), 0.99, 0.90);
        level = LevelModel.alone();
        trend = LevelModel.levelAndTrend();
        fast = LevelModel.fastLevelAndTrend();
        weekCycle = CycleModel.weekdaysAndWeekends(CleanOutlierRule.WEEK_DAY_SLOTS);
        otherLevel = LevelModel.alone();
        for (LevelModel m : new LevelModel[] {level, trend, fast, weekCycle, otherLevel}) {
            m.start(values[0], 0);
        }
        shapes = new ShapeNovelty(ShapeNovelty.Params.DEFAULTS);
        clean = new CleanOutlierRule();
        robust = new RobustDetector(p);
        perValue = new PerValueDetector(p);
        novelty = new NoveltyDetector(new PerValueDetector(p), NoveltyDetector.Params.DEFAULTS);
        otherNovelty = new NoveltyDetector(new PerValueDetector(p), NoveltyDetector.Params.DEFAULTS);
    }

    private double value() {
        return values[(int) (next++ & 4095)];
    }

    /** The robust detector's median baseline. */
    @Benchmark
    public double medianBaseline() {
        median.add(value());
        return median.median();
    }

    /**
     * The robust detector's daily and weekly profiles: placed on the time (as the detector places them, the day's
     * phase from the week's whole seconds), read, and learnt.
     */
    @Benchmark
    public double dailyAndWeeklyProfiles() {
        double x = value() - 1e9;
        long weekSecond = Math.floorMod((long) START + next, WEEK_SECONDS);
        day.locatePhase(SeasonalProfile.phase(weekSecond % DAY_SECONDS, 0, DAY_SECONDS));
        week.locatePhase(SeasonalProfile.phase(weekSecond, 0, WEEK_SECONDS));
        double d = day.expected();
        double w = week.expected();
        day.learn(x, d);
        week.learn(x, w);
        return d + w;
    }

    /** The robust detector's residual histogram, whose tail sets the outlier rule's bar. */
    @Benchmark
    public int tailHistogram() {
        tail.add(Math.abs(value() - 1e9) / 3);
        return tail.highBin() + tail.lowBin();
    }

    /** One of the clean rule's four baselines: a level alone. */
    @Benchmark
    public double cleanLevel() {
        return level.observe(value(), 0, 0.01, next);
    }

    /**
     * Two levels alone, a value each (ns per pair): against {@link #cleanLevel}, how much of a model's time alone is
     * waiting on its own chain of results (its noise sets the next clip, which sets the noise), which a second model
     * beside it fills.
     */
    @Benchmark
    public double twoLevelsSideBySide() {
        double a = level.observe(value(), 0, 0.01, next);
        return a + otherLevel.observe(value(), 0, 0.01, next);
    }

    /** ... a level with a trend. */
    @Benchmark
    public double cleanTrend() {
        return trend.observe(value(), 0, 0.01, next);
    }

    /** ... the fast level with a trend. */
    @Benchmark
    public double cleanFastLevel() {
        return fast.observe(value(), 0, 0.01, next);
    }

    /** ... a level, a weekday and a weekend day. */
    @Benchmark
    public double cleanWeeklyCycle() {
        double slot = (next % WEEK_SECONDS) * CleanOutlierRule.WEEK_SLOTS_PER_SECOND;
        return weekCycle.observe(value(), slot, 0.01, next, false);
    }

    /** The novelty rule's shape memory. */
    @Benchmark
    public boolean shapeMemory() {
        return shapes.observe(value());
    }

    /** The clean rule whole: its four baselines, the choice among them, the gate and the early trust. */
    @Benchmark
    public double cleanRule() {
        return clean.observe(value(), next % WEEK_SECONDS, 0.5);
    }

    @Benchmark
    public double robustDetector() {
        return robust.observe(value(), START + next, 0.5, 50);
    }

    @Benchmark
    public double perValueDetector() {
        return perValue.observe(value(), START + next, 0.5, 50);
    }

    @Benchmark
    public double noveltyDetector() {
        return novelty.observe(value(), START + next, 0.5, 50);
    }

    /** Two `novelty` detectors, a value each (ns per pair): the same question of the whole detector. */
    @Benchmark
    public double twoNoveltyDetectors() {
        double a = novelty.observe(value(), START + next, 0.5, 50);
        return a + otherNovelty.observe(value(), START + next, 0.5, 50);
    }
}
