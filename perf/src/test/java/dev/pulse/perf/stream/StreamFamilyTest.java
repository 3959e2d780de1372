package dev.pulse.perf.stream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamFamilyTest {

    @Test
    void theFamiliesGiveTwoCleanWeeksUnlessToldOtherwise() {
        for (StreamFamily f : StreamFamily.all()) {
            assertEquals(StreamFamily.CLEAN_VALUES, f.cleanValues());
            assertTrue(f.draw(1).events().get(0).start() >= StreamFamily.CLEAN_VALUES + f.meanGap() / 2, f.name());
        }
    }

    @Test
    void fewerCleanValuesStartTheAnomaliesSoonerInADeterministicSeries() {
        List<StreamFamily> families = StreamFamily.all(300);
        assertEquals(48, families.size());
        for (StreamFamily f : families) {
            StreamFamily.Series s = f.draw(3);
            int first = s.events().get(0).start();
            assertTrue(first >= 300 + f.meanGap() / 2 && first <= 300 + f.meanGap() + f.meanGap() / 2, f.name() + " " + first);
            assertEquals(Math.max(20_000, 300 + 40 * f.meanGap()), s.value().length, f.name());
            StreamFamily.Series again = f.draw(3);
            assertEquals(s.events(), again.events());
            assertArrayEquals(s.value(), again.value(), 0.0);
        }
    }
}
