package dev.pulse.perf.cpu;

import dev.pulse.protocol.event.BodyFormat;
import dev.pulse.protocol.event.EventBatch;
import dev.pulse.protocol.event.EventDecoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes bodies from a file (a JSON array a line, such as {@code perf/scripts/python-bodies.py} writes) with the
 * decoder and with jackson alone: checks that both give every timestamp and value bit for bit alike, and prints the
 * least of six rounds' clock time per event for each (five passes over the file a round).
 *
 * <p>Run: {@code java -cp perf/target/benchmarks.jar dev.pulse.perf.cpu.DecodeBodies <file>...}
 */
public final class DecodeBodies {
    private DecodeBodies() {
    }

    public static void main(String[] args) throws IOException {
        for (String file : args) {
            byte[][] bodies = Files.readAllLines(Path.of(file)).stream()
                    .map(l -> l.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            EventDecoder decoder = new EventDecoder(new EventBatch());
            EventDecoder jackson = EventDecoder.jacksonOnly(new EventBatch());
            long numbers = 0;
            long differ = 0;
            for (byte[] body : bodies) {
                EventBatch a = decode(decoder, body);
                EventBatch b = decode(jackson, body);
                if (a.size() != b.size() || a.metricTotal() != b.metricTotal()) {
                    throw new IllegalStateException("the two paths read different events in " + file);
                }
                for (int e = 0; e < a.size(); e++, numbers++) {
                    differ += bits(a.timestamp(e)) != bits(b.timestamp(e)) ? 1 : 0;
                }
                for (int m = 0; m < a.metricTotal(); m++, numbers++) {
                    differ += bits(a.metricValue(m)) != bits(b.metricValue(m)) ? 1 : 0;
                }
            }
            double least = Double.MAX_VALUE;
            double leastJackson = Double.MAX_VALUE;
            for (int round = 0; round < 6; round++) {
                least = Math.min(least, nanosPerEvent(decoder, bodies));
                leastJackson = Math.min(leastJackson, nanosPerEvent(jackson, bodies));
            }
            System.out.printf("%s: %d timestamps and values, %d differ between the paths; %.1f ns per event,"
                    + " jackson alone %.1f%n", file, numbers, differ, least, leastJackson);
        }
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    private static EventBatch decode(EventDecoder d, byte[] body) {
        d.begin(BodyFormat.JSON);
        d.feed(body, 0, body.length);
        if (!d.finish()) {
            throw new IllegalStateException(d.message());
        }
        return d.batch();
    }

    private static double nanosPerEvent(EventDecoder d, byte[][] bodies) {
        long start = System.nanoTime();
        long events = 0;
        for (int pass = 0; pass < 5; pass++) {
            for (byte[] body : bodies) {
                events += decode(d, body).size();
            }
        }
        return (System.nanoTime() - start) / (double) events;
    }
}
