package dev.pulse.perf.stream;

import dev.pulse.perf.nab.SyntheticCheck;
import dev.pulse.perf.nab.SyntheticStream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends labelled synthetic streams (spikes, dips, level shifts, variance bursts on noisy, drifting and seasonal
 * baselines; see {@link SyntheticStream}) to a running server through {@code POST /metrics-data}, in order, 100
 * events per request, reads the server's verdicts from each reply's {@code anomalies}, and prints recall per kind,
 * precision and the false-positive rate against the labels. Whatever {@code DETECTOR} the server runs is measured.
 *
 * <pre>java -cp perf/target/pulse-load.jar dev.pulse.perf.stream.LabelledStreamCheck [URL] [seeds] [rows]</pre>
 */
public final class LabelledStreamCheck {
    private static final int BATCH = 100;
    private static final Pattern INDEX = Pattern.compile("\"index\":(\\d+)");

    private LabelledStreamCheck() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000);
        System.out.println("| baseline | spike | dip | level shift | variance burst | recall | precision | false-positive rate |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (SyntheticStream.Baseline b : SyntheticStream.Baseline.values()) {
            SyntheticCheck.Result result = new SyntheticCheck.Result();
            long flaggedTotal = 0;
            long flaggedInEvents = 0;
            for (int seed = 1; seed <= seeds; seed++) {
                SyntheticStream s = SyntheticStream.generate(b, rows, seed * 7919L + b.ordinal());
                String source = "labelled-" + b.name().toLowerCase(Locale.ROOT) + "-" + seed + "-" + run;
                boolean[] flagged = send(http, url, source, s);
                result.add(s, flagged);
                boolean[] inEvent = new boolean[rows];
                for (SyntheticStream.Event e : s.events()) {
                    for (int i = e.start(); i <= Math.min(rows - 1, e.end() + SyntheticCheck.GRACE); i++) {
                        inEvent[i] = true;
                    }
                }
                for (int i = SyntheticCheck.LEARNING; i < rows; i++) {
                    flaggedTotal += flagged[i] ? 1 : 0;
                    flaggedInEvents += flagged[i] && inEvent[i] ? 1 : 0;
                }
            }
            StringBuilder line = new StringBuilder("| " + b.name().toLowerCase(Locale.ROOT) + " |");
            for (SyntheticStream.Kind k : SyntheticStream.Kind.values()) {
                line.append(String.format(Locale.ROOT, " %.3f |", result.recall(k)));
            }
            line.append(String.format(Locale.ROOT, " %.3f | %.3f | %.3f%% |", result.recall(),
                    flaggedTotal == 0 ? 1.0 : (double) flaggedInEvents / flaggedTotal, 100 * result.falsePositiveRate()));
            System.out.println(line);
        }
    }

    /** Posts the stream in order and returns, per row, whether the server flagged it. */
    private static boolean[] send(HttpClient http, String url, String source, SyntheticStream s) throws Exception {
        double[] values = s.value();
        long[] times = s.epochSecond();
        boolean[] flagged = new boolean[values.length];
        for (int from = 0; from < values.length; from += BATCH) {
            StringBuilder body = new StringBuilder("[");
            int to = Math.min(values.length, from + BATCH);
            for (int i = from; i < to; i++) {
                body.append(i == from ? "" : ",").append("{\"timestamp\":").append(times[i]).append(",\"source\":\"")
                        .append(source).append("\",\"value\":").append(values[i]).append('}');
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics-data"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the server answered " + r.statusCode() + ": " + r.body());
            }
            Matcher m = INDEX.matcher(r.body());
            while (m.find()) {
                flagged[from + Integer.parseInt(m.group(1))] = true;
            }
        }
        return flagged;
    }
}
