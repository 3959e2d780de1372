package dev.pulse.protocol.labelled;

import dev.pulse.protocol.event.Names;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every decoded batch must satisfy, whatever the input: checked by the fuzz targets. */
public final class BatchInvariants {
    private static final SeriesNaming NAMING = new SeriesNaming(List.of("instance", "job"),
            List.of("service.instance.id", "host.name", "service.name"));

    private BatchInvariants() {
    }

    public static void check(DecodeResult result, LabelledBatch b) {
        if (result != DecodeResult.OK) {
            assertEquals(0, b.seriesCount(), "a refused body leaves no series");
            return;
        }
        for (int s = 0; s < b.seriesCount(); s++) {
            assertTrue(b.nameLength(s) > 0, "series " + s + " has a name");
            assertTrue(b.sampleEnd(s) > b.sampleStart(s), "series " + s + " has samples");
            for (int i = b.sampleStart(s); i < b.sampleEnd(s); i++) {
                assertTrue(Double.isFinite(b.value(i)), "sample values are finite");
            }
            assertTrue(b.keyEquals(s, b.key(s)), "a series equals its own key");
            if (NAMING.name(b, s)) {
                assertTrue(Names.isValidSource(NAMING.source()), NAMING.source());
                assertTrue(Names.isValidAnyMetric(NAMING.metric()), NAMING.metric());
            }
        }
    }
}
