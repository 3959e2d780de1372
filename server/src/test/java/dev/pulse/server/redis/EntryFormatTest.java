package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EntryFormatTest {

    @Test
    void writesTheSameTextAsTheKeySchema() {
        EntryFormat format = new EntryFormat();
        Random r = new Random(9);
        double[] edges = {0, -0.0, 1, -1, 1e15, 1e15 - 1, -1e15 + 1, 1.5, 1e-300, Double.MAX_VALUE, Long.MAX_VALUE, 1.7e9};
        for (double ts : edges) {
            for (double v : edges) {
                assertEquals(KeySchema.entry(ts, v), new String(format.entry(ts, v), StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < 100_000; i++) {
            double ts = i % 2 == 0 ? 1_700_000_000L + r.nextInt(1_000_000) : 1.7e9 + r.nextDouble();
            double v = switch (i % 3) {
                case 0 -> r.nextInt(100_000) - 50_000;
                case 1 -> r.nextGaussian() * 1e6;
                default -> Math.round(r.nextGaussian() * 1000) / 10.0;
            };
            assertEquals(KeySchema.entry(ts, v), new String(format.entry(ts, v), StandardCharsets.UTF_8));
        }
    }
}
