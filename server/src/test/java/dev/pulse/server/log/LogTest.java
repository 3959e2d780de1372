package dev.pulse.server.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTest {
    @Test
    void timestampsAreIsoUtcToTheMillisecondLikeJavaTime() {
        for (long millis : new long[]{0, 951_782_400_000L, 951_868_799_999L, 4_107_542_400_000L, 1_764_633_600_123L}) {
            assertEquals(Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(:\\d\\d)Z$", "$1.000Z"),
                    Log.timestamp(millis), Long.toString(millis));
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(0, 253_402_300_799_999L); // to 9999-12-31
            String expected = Instant.ofEpochMilli(millis).toString();
            if (millis % 1000 == 0) {
                expected = expected.replace("Z", ".000Z");
            }
            assertEquals(expected, Log.timestamp(millis), Long.toString(millis));
        }
    }
}
