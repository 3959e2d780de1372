package dev.pulse.perf.load;

import org.HdrHistogram.Histogram;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The end of a run: percentiles, rates, statuses; as a table, an .hgrm file, an SVG chart and a JSON summary. */
public final class Report {
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private final Options options;
    private final Histogram latency;
    private final Map<Integer, Long> statuses = new LinkedHashMap<>();
    private final long events;
    private final long connectionErrors;
    private final double seconds;
    private final long serverCpuTicks;

    Report(Options options, Histogram latency, Results results, double seconds, long serverCpuTicks) {
        this.options = options;
        this.serverCpuTicks = serverCpuTicks;
        this.latency = latency;
        this.seconds = seconds;
        for (int s = 0; s < 600; s++) {
            long n = results.status(s);
            if (n > 0) {
                statuses.put(s, n);
            }
        }
        this.events = results.events();
        this.connectionErrors = results.connectionErrors();
    }

    public long requests() {
        return latency.getTotalCount();
    }

    public double requestsPerSecond() {
        return requests() / seconds;
    }

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** The server's CPU microseconds per request over the measured interval, or -1 without {@code --server-pid}. */
    public double serverCpuMicrosPerRequest() {
        return !options.measuresCpu() || requests() == 0 ? -1 : ServerCpu.micros(serverCpuTicks) / requests();
    }

    public long connectionErrors() {
        return connectionErrors;
    }

    public Map<Integer, Long> statuses() {
        return statuses;
    }

    /** Latency at {@code percentile}, in milliseconds. */
    public double millis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "%s loop, %s, %d connections, pipeline %d, %.1f s measured%n",
                options.openLoop() ? "open (" + options.rate() + " req/s, latency from intended send time)" : "closed",
                options.workload().name().toLowerCase(Locale.ROOT), options.connections(), options.pipeline(), seconds);
        out.printf(Locale.ROOT, "  requests   %d (%.0f req/s), events %.0f/s%n", requests(), requestsPerSecond(), eventsPerSecond());
        for (double p : PERCENTILES) {
            out.printf(Locale.ROOT, "  p%-8s %10.3f ms%n", trim(p), millis(p));
        }
        out.printf(Locale.ROOT, "  max       %10.3f ms%n", latency.getMaxValue() / 1e6);
        out.printf("  statuses   %s, connection errors %d%n", statuses, connectionErrors);
        if (options.measuresCpu()) {
            out.printf(Locale.ROOT, "  server CPU %.1f us per request%n", serverCpuMicrosPerRequest());
        }
    }

    void write(Options o) throws IOException {
        if (o.hgrm() != null) {
            try (PrintStream ps = new PrintStream(new FileOutputStream(o.hgrm()), false, StandardCharsets.UTF_8)) {
                latency.outputPercentileDistribution(ps, 1e6); // milliseconds
            }
        }
        if (o.svg() != null) {
            Files.writeString(Path.of(o.svg()), svg());
        }
        if (o.json() != null) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "{\"requests\":%d,\"seconds\":%.3f,\"requests_per_second\":%.1f,"
                    + "\"events_per_second\":%.1f,\"connection_errors\":%d,\"server_cpu_us_per_request\":%.2f,\"latency_ms\":{",
                    requests(), seconds, requestsPerSecond(), eventsPerSecond(), connectionErrors, serverCpuMicrosPerRequest()));
            for (double p : PERCENTILES) {
                b.append(String.format(Locale.ROOT, "\"p%s\":%.4f,", trim(p).replace(".", "_"), millis(p)));
            }
            b.append(String.format(Locale.ROOT, "\"max\":%.4f},\"statuses\":{", latency.getMaxValue() / 1e6));
            String sep = "";
            for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
                b.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            Files.writeString(Path.of(o.json()), b.append("}}\n").toString());
        }
    }

    /** Latency by percentile on a log axis of 1/(1-p), as HdrHistogram's plotter draws it. */
    String svg() {
        int w = 720;
        int h = 400;
        int left = 70;
        int bottom = 40;
        double maxX = 5; // up to p99.999
        double maxY = Math.max(latency.getMaxValue() / 1e6, 0.001) * 1.1;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", w, h));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\">Latency by percentile (%s), ms</text>%n", left,
                options.openLoop() ? "open loop, corrected for coordinated omission" : "closed loop"));
        double plotW = w - left - 20;
        double plotH = h - bottom - 30;
        for (int k = 0; k <= 5; k++) {
            double x = left + plotW * k / maxX;
            String label = switch (k) { case 1 -> "90%"; case 2 -> "99%"; case 3 -> "99.9%"; case 4 -> "99.99%"; case 5 -> "99.999%"; default -> "0%"; };
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, x, 30 + plotH, x, h - 15, label));
        }
        for (int k = 0; k <= 4; k++) {
            double y = 30 + plotH - plotH * k / 4;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n", left, y, w - 20, y, left - 5, y + 4, maxY * k / 4));
        }
        s.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"");
        for (int i = 0; i <= 500; i++) {
            double xv = maxX * i / 500;
            double p = 100 * (1 - Math.pow(10, -xv));
            double ms = latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(p) / 1e6;
            s.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + plotW * xv / maxX, 30 + plotH - plotH * ms / maxY));
        }
        return s.append("\"/>\n</svg>\n").toString();
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
