package dev.pulse.perf.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generator's events as VictoriaMetrics' JSON import takes them ({@code /api/v1/import}): one line per
 * (source, metric) series, {@code {"metric":{"__name__":M,"source":S},"values":[...],"timestamps":[...]}}, with
 * the values of that series in the batch and their times in milliseconds. Built once per pooled request.
 */
final class VmImport {
    private static final Pattern EVENT = Pattern.compile(
            "\\{\"timestamp\":([0-9.]+),\"source\":\"([^\"]+)\",(.*)}");
    private static final Pattern METRIC = Pattern.compile("\"([a-z_]+)\":([-0-9.eE]+)");

    private VmImport() {
    }

    static String lines(String[] events) {
        Map<String, StringBuilder[]> series = new LinkedHashMap<>(); // "source metric" -> {values, timestamps}
        for (String e : events) {
            Matcher m = EVENT.matcher(e);
            if (!m.matches()) {
                throw new IllegalStateException("not a generated event: " + e);
            }
            long millis = Math.round(Double.parseDouble(m.group(1)) * 1000);
            Matcher metric = METRIC.matcher(m.group(3));
            while (metric.find()) {
                StringBuilder[] s = series.computeIfAbsent(m.group(2) + " " + metric.group(1),
                        k -> new StringBuilder[] {new StringBuilder(), new StringBuilder()});
                s[0].append(s[0].length() == 0 ? "" : ",").append(metric.group(2));
                s[1].append(s[1].length() == 0 ? "" : ",").append(millis);
            }
        }
        StringBuilder out = new StringBuilder();
        series.forEach((key, s) -> {
            int space = key.indexOf(' ');
            out.append("{\"metric\":{\"__name__\":\"").append(key, space + 1, key.length())
                    .append("\",\"source\":\"").append(key, 0, space).append("\"},\"values\":[").append(s[0])
                    .append("],\"timestamps\":[").append(s[1]).append("]}\n");
        });
        return out.toString();
    }
}
