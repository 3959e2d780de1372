package dev.pulse.server.redis;

import java.nio.charset.StandardCharsets;

/**
 * The layout of one entry of the anomaly stream: up to {@link AnomalyStreamWriter#PER_ENTRY} anomalies of one write
 * round, oldest first, as five fields: {@code n}, their number; {@code sources}, {@code metrics} and
 * {@code detectors}, one name per line (no name holds a line break); {@code numbers}, per anomaly
 * {@value #NUMBERS_BYTES} bytes, little-endian: {@code time_ms} as a long, then {@code value}, {@code mean},
 * {@code stddev}, {@code zscore} and {@code score} as IEEE 754 doubles.
 *
 * <p>A cursor into the stream is an entry id ({@code "1764628800000-0"}: that entry and everything before it were
 * read) or an entry id and a count ({@code "1764628800000-0:17"}: the first 17 anomalies of that entry were read).
 */
final class AnomalyStreamEntry {
    static final String COUNT = "n", SOURCES = "sources", METRICS = "metrics", DETECTORS = "detectors",
            NUMBERS = "numbers";
    static final byte[] COUNT_FIELD = bytes(COUNT), SOURCES_FIELD = bytes(SOURCES), METRICS_FIELD = bytes(METRICS),
            DETECTORS_FIELD = bytes(DETECTORS), NUMBERS_FIELD = bytes(NUMBERS);
    /** Bytes of one anomaly's numbers. */
    static final int NUMBERS_BYTES = 48;

    private AnomalyStreamEntry() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
