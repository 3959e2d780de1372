package dev.pulse.perf.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * One NAB data file, rows in file order: its timestamps (epoch seconds, read as UTC) and values, and its anomaly
 * windows as row ranges.
 *
 * @param name        {@code <category>/<file>.csv}
 * @param epochSecond each row's timestamp
 * @param value       each row's value
 * @param windowRows  each anomaly window as {@code {firstRow, lastRow}}, inclusive
 */
public record NabFile(String name, long[] epochSecond, double[] value, int[][] windowRows) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    public String category() {
        return name.substring(0, name.indexOf('/'));
    }

    public int rows() {
        return value.length;
    }

    public FileScoring scoring() {
        return new FileScoring(name, rows(), windowRows);
    }

    /**
     * Reads {@code timestamp,value} rows from {@code csv}; {@code windows} holds each window's first and last
     * timestamp (epoch seconds), which must match rows of the file (the first row with that time, as NAB matches).
     */
    public static NabFile read(String name, Path csv, long[][] windows) throws IOException {
        long[] ts = new long[1024];
        double[] vs = new double[1024];
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null || !line.trim().equals("timestamp,value")) {
                throw new IOException(csv.getFileName() + ": expected the header timestamp,value");
            }
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                if (comma < 0) {
                    throw new IOException(csv.getFileName() + ": row " + (n + 1) + " has no comma");
                }
                if (n == ts.length) {
                    ts = Arrays.copyOf(ts, n * 2);
                    vs = Arrays.copyOf(vs, n * 2);
                }
                ts[n] = epochSecond(line.substring(0, comma));
                vs[n] = Double.parseDouble(line.substring(comma + 1).trim());
                n++;
            }
        }
        ts = Arrays.copyOf(ts, n);
        vs = Arrays.copyOf(vs, n);
        int[][] rows = new int[windows.length][];
        for (int w = 0; w < windows.length; w++) {
            rows[w] = new int[] {firstRow(ts, windows[w][0], name), firstRow(ts, windows[w][1], name)};
        }
        return new NabFile(name, ts, vs, rows);
    }

    /** {@code 2014-07-01 00:00:00}, optionally with a fraction of a second that is dropped, as UTC epoch seconds. */
    static long epochSecond(String text) {
        String t = text.trim();
        int dot = t.indexOf('.');
        if (dot >= 0) {
            t = t.substring(0, dot);
        }
        return LocalDateTime.parse(t, TIME).toEpochSecond(ZoneOffset.UTC);
    }

    private static int firstRow(long[] ts, long t, String name) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("window edge matches no row: file=" + name + " epochSecond=" + t);
    }
}
