package dev.pulse.perf.nab;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticCheckTest {

    @Test
    void streamsAreDeterministicAndLabelled() {
        SyntheticStream a = SyntheticStream.generate(SyntheticStream.Baseline.SEASONAL, 5000, 42);
        SyntheticStream b = SyntheticStream.generate(SyntheticStream.Baseline.SEASONAL, 5000, 42);
        assertEquals(a.events(), b.events());
        assertEquals(a.value()[4321], b.value()[4321], 0.0);
        assertTrue(a.events().size() >= 4);
        assertTrue(a.events().get(0).start() >= SyntheticStream.WARM_UP);
    }

    @Test
    void robustDetectorFindsAtLeast95PercentOfEventsOnEveryBaselineWithFewFalsePositives() {
        Map<SyntheticStream.Baseline, SyntheticCheck.Result> results =
                SyntheticCheck.run(Map.of("DETECTOR", "robust"), 5, 20_000);
        for (Map.Entry<SyntheticStream.Baseline, SyntheticCheck.Result> e : results.entrySet()) {
            assertTrue(e.getValue().recall() >= 0.95, e.getKey() + " recall " + e.getValue().recall());
            assertTrue(e.getValue().falsePositiveRate() <= 0.01, e.getKey() + " FPR " + e.getValue().falsePositiveRate());
        }
    }

    @Test
    void theContractRuleFindsThemTooButWithFarMoreFalsePositives() {
        SyntheticCheck.Result noisy = SyntheticCheck.run(Map.of("DETECTOR", "zscore"), 2, 20_000)
                .get(SyntheticStream.Baseline.NOISY);
        assertTrue(noisy.falsePositiveRate() > 0.01, "FPR " + noisy.falsePositiveRate());
    }
}
