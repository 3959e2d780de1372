package dev.pulse.server.analytics.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeasonalProfileTest {

    @Test
    void learnsASmoothDailyShapeBetweenItsSlots() {
        SeasonalProfile p = new SeasonalProfile(86_400, 24, 0.3);
        for (int day = 0; day < 30; day++) {
            for (int minute = 0; minute < 1440; minute += 5) {
                double t = day * 86_400.0 + minute * 60;
                p.locate(t);
                p.learn(10 * Math.sin(2 * Math.PI * minute / 1440.0));
            }
        }
        for (int minute = 2; minute < 1440; minute += 37) {
            p.locate(40 * 86_400.0 + minute * 60);
            assertTrue(p.ready(2));
            // Hourly slots, read between two of them: a 10-amplitude sine within 0.2.
            assertEquals(10 * Math.sin(2 * Math.PI * minute / 1440.0), p.expected(), 0.2, "minute " + minute);
        }
    }

    @Test
    void keepsItsResolutionWhenTheShapeGrowsFarBeyondItsFirstDeviation() {
        // First deviations of a thousandth, then of -1234.5678: the 16-bit slots' unit doubles about twenty times,
        // and a slot must still hold the deviation to about 1/10,000 of it (a unit is 1/32,768 of it at most, and a
        // step under half a unit is lost, so an average settles within a few units).
        SeasonalProfile p = new SeasonalProfile(86_400, 24, 0.3);
        for (int day = 0; day < 20; day++) {
            for (int minute = 0; minute < 1440; minute += 5) {
                p.locate(day * 86_400.0 + minute * 60);
                p.learn(day < 2 ? 1e-3 : -1234.5678);
            }
        }
        for (int minute = 0; minute < 1440; minute += 17) {
            p.locate(30 * 86_400.0 + minute * 60);
            assertEquals(-1234.5678, p.expected(), 1234.5678 / 10_000, "minute " + minute);
        }
        p.learn(Double.MAX_VALUE); // beyond 16 bits of any unit below a double's largest: learnt, and it returns
        assertTrue(Double.isFinite(p.expected()));
    }

    @Test
    void isNotReadyBeforeItsSlotsHaveSeenValuesAndWrapsNegativeTimes() {
        SeasonalProfile p = new SeasonalProfile(604_800, 168, 0.1);
        p.locate(-1800); // half an hour before the epoch: the last slot of the week and the first
        assertFalse(p.ready(1));
        p.learn(5.0);
        p.learn(5.0);
        assertTrue(p.ready(2));
        assertEquals(5.0, p.expected(), 1e-12);
    }

    @Test
    void aSlotThatSawNoValueIsNotReadyWhileTheOthersAreFull() {
        SeasonalProfile p = new SeasonalProfile(4, 4, 0.5); // a slot a second, read between slots around t + 0.5
        for (int k = 0; k < 5; k++) {
            p.locate(1.0); // slots 0 and 1
            p.learn(1.0);
            p.locate(2.0); // slots 1 and 2
            p.learn(2.0);
        }
        p.locate(1.0);
        assertTrue(p.ready(SeasonalProfile.MAX_SEEN));
        p.locate(3.0); // slots 2 and 3: 3 never saw a value
        assertFalse(p.ready(1));
        p.learn(7.0);
        p.locate(4.0); // slots 3 and 0
        assertTrue(p.ready(1));
        assertFalse(p.ready(2));
        p.learn(7.0);
        p.learn(7.0);
        for (double t = 0; t < 4; t += 0.25) { // every slot full now
            p.locate(t);
            assertTrue(p.ready(SeasonalProfile.MAX_SEEN), "t=" + t);
        }
    }

    @Test
    void aDaysPhaseIsTheWeeksWholeSecondsModuloADayPlusTheFraction() {
        // What the robust detector does to find both phases with one remainder: the same bits as the day's own.
        java.util.SplittableRandom r = new java.util.SplittableRandom(6);
        for (int i = 0; i < 100_000; i++) {
            double t = i % 2 == 0 ? r.nextLong(-4_000_000_000L, 4_000_000_000L) : r.nextDouble(-4e9, 4e9);
            double whole = Math.floor(t);
            long weekSecond = Math.floorMod((long) whole, 604_800L);
            assertEquals(SeasonalProfile.phase(t, 86_400), SeasonalProfile.phase(weekSecond % 86_400, t - whole, 86_400),
                    0.0, "t=" + t);
            assertEquals(SeasonalProfile.phase(t, 604_800), SeasonalProfile.phase(weekSecond, t - whole, 604_800),
                    0.0, "t=" + t);
        }
        double justUnder = -1e-17; // the fraction rounds up to a whole second, both ways
        long weekSecond = Math.floorMod((long) Math.floor(justUnder), 604_800L);
        assertEquals(SeasonalProfile.phase(justUnder, 86_400),
                SeasonalProfile.phase(weekSecond % 86_400, justUnder - Math.floor(justUnder), 86_400), 0.0);
    }

    @Test
    void phaseOfWholeSecondsEqualsTheFloatingPointRemainder() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int i = 0; i < 100_000; i++) {
            double t = r.nextLong(-4_000_000_000L, 4_000_000_000L);
            for (long period : new long[] {86_400, 604_800}) {
                double expected = (t % period + period) % period;
                assertEquals(expected, SeasonalProfile.phase(t, period), 0.0, "t=" + t);
            }
        }
        assertEquals(86_399.0, SeasonalProfile.phase(-1, 86_400), 0.0);
    }

    @Test
    void phaseOfFractionalSecondsIsTheExactRemainder() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double t = r.nextDouble(-4e9, 4e9);
            for (long period : new long[] {86_400, 604_800}) {
                java.math.BigDecimal p = java.math.BigDecimal.valueOf(period);
                java.math.BigDecimal exact = new java.math.BigDecimal(t).remainder(p);
                if (exact.signum() < 0) {
                    exact = exact.add(p);
                }
                assertEquals(exact.doubleValue(), SeasonalProfile.phase(t, period), 0.0, "t=" + t);
            }
        }
        assertEquals(86_399.75, SeasonalProfile.phase(-0.25, 86_400), 0.0);
        double justUnderZero = SeasonalProfile.phase(-1e-17, 86_400); // the fraction rounds up to a whole second
        assertTrue(justUnderZero >= 0 && justUnderZero < 86_400, "phase=" + justUnderZero);
    }
}
