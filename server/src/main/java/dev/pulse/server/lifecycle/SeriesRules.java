package dev.pulse.server.lifecycle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.pulse.protocol.event.JsonSyntax;
import dev.pulse.server.analytics.SeriesPolicy;
import dev.pulse.server.analytics.SeriesSpec;
import dev.pulse.server.analytics.detect.Detectors;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.ConfigException;
import dev.pulse.server.config.DetectorKind;
import dev.pulse.server.config.Setting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code SERIES_RULES_FILE}: per-metric settings. A JSON array of rules, tried in order for each new series; the
 * first whose {@code metric} glob (and {@code source} glob, when given) matches gives the series its detector,
 * threshold, {@code MIN_SAMPLES} and window (each falling back to the global setting), or {@code "ignore": true}
 * drops the metric's values. No match: the global settings. Globs: {@code *} any run of characters, {@code ?} one.
 *
 * <pre>
 * [{"name": "go-runtime", "metric": "go_*", "ignore": true},
 *  {"name": "edge-latency", "metric": "latency*", "source": "edge-*", "detector": "robust", "window": 200},
 *  {"metric": "cpu", "threshold": 3.0, "min_samples": 20}]
 * </pre>
 *
 * A rule without a name is called by its position ({@code rule 3}). Every bad rule is reported, one line each, and
 * start-up stops. Immutable.
 */
public final class SeriesRules {
    /** One rule, its settings already combined with the global ones. */
    record Rule(String name, Pattern metric, Pattern source, SeriesSpec spec) {
        boolean matches(String sourceName, String metricName) {
            return metric.matcher(metricName).matches() && (source == null || source.matcher(sourceName).matches());
        }
    }

    private static final int MAX_RULES = 10_000;
    private static final JsonFactory JSON = new JsonFactory();

    private final List<Rule> rules;
    private final SeriesSpec global;

    private SeriesRules(List<Rule> rules, SeriesSpec global) {
        this.rules = rules;
        this.global = global;
    }

    /** The global settings only. */
    public static SeriesRules none(Config config) {
        return new SeriesRules(List.of(), globalSpec(config));
    }

    public static SeriesSpec globalSpec(Config config) {
        return new SeriesSpec(null, config.detector().name().toLowerCase(Locale.ROOT), config.windowSize(),
                config.zscoreThreshold(), config.minSamples(), Detectors.factory(config));
    }

    /** Reads {@code SERIES_RULES_FILE} (none when empty); throws {@link ConfigException}, one line per bad rule. */
    public static SeriesRules load(Config config) {
        String file = config.seriesRulesFile();
        if (file.isEmpty()) {
            return none(config);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(Setting.SERIES_RULES_FILE, file, "cannot be read: " + e);
        }
        List<String> problems = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ConfigException(Setting.SERIES_RULES_FILE, file, "expected a JSON array of rules");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                int position = rules.size() + problems.size() + 1;
                if (t != JsonToken.START_OBJECT) {
                    problems.add("rule " + position + " (line " + p.currentLocation().getLineNr() + "): not an object");
                    p.skipChildren();
                    continue;
                }
                RuleReader r = new RuleReader(position, p.currentLocation().getLineNr());
                r.read(p, config);
                if (r.problem == null) {
                    rules.add(r.rule);
                } else {
                    problems.add(r.label() + ": " + r.problem);
                }
                if (position > MAX_RULES) {
                    throw new ConfigException(Setting.SERIES_RULES_FILE, file, "more than " + MAX_RULES + " rules");
                }
            }
            if (p.nextToken() != null) {
                throw new ConfigException(Setting.SERIES_RULES_FILE, file, "text after the array of rules");
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException(Setting.SERIES_RULES_FILE, file, "not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + JsonSyntax.describe(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(Setting.SERIES_RULES_FILE, file, "cannot be read: " + e);
        }
        if (!problems.isEmpty()) {
            StringBuilder lines = new StringBuilder();
            for (String problem : problems) {
                lines.append(lines.length() == 0 ? "" : "\n" + Setting.SERIES_RULES_FILE.name() + "=" + file + ": ")
                        .append(problem);
            }
            throw new ConfigException(Setting.SERIES_RULES_FILE, file, lines.toString());
        }
        return new SeriesRules(List.copyOf(rules), globalSpec(config));
    }

    public int size() {
        return rules.size();
    }

    /** The first rule's settings for a new series, the global ones when none matches; null when it is ignored. */
    public SeriesPolicy policy() {
        return (source, metric) -> {
            for (Rule r : rules) {
                if (r.matches(source, metric)) {
                    return r.spec();
                }
            }
            return global;
        };
    }

    /** A glob as a regular expression: {@code *} any run of characters, {@code ?} one, the rest literal. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        int literal = 0;
        for (int i = 0; i <= glob.length(); i++) {
            char c = i < glob.length() ? glob.charAt(i) : '*';
            if (c == '*' || c == '?') {
                if (i > literal) {
                    re.append(Pattern.quote(glob.substring(literal, i)));
                }
                if (i < glob.length()) {
                    re.append(c == '*' ? ".*" : ".");
                }
                literal = i + 1;
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Reads one rule object, noting the first problem instead of throwing, so every bad rule is reported. */
    private static final class RuleReader {
        private final int position;
        private final int line;
        private String name;
        private String problem;
        private Rule rule;

        RuleReader(int position, int line) {
            this.position = position;
            this.line = line;
        }

        String label() {
            return "rule " + position + (name == null ? "" : " \"" + name + "\"") + " (line " + line + ")";
        }

        void read(JsonParser p, Config config) throws IOException {
            String metric = null;
            String source = null;
            Boolean ignore = null;
            DetectorKind detector = null;
            Double threshold = null;
            Integer minSamples = null;
            Integer window = null;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "name" -> name = text(p, v, field);
                    case "metric" -> metric = text(p, v, field);
                    case "source" -> source = text(p, v, field);
                    case "ignore" -> {
                        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                            fail("ignore must be true or false");
                        } else {
                            ignore = v == JsonToken.VALUE_TRUE;
                        }
                    }
                    case "detector" -> {
                        String d = text(p, v, field);
                        if (d != null) {
                            for (DetectorKind k : DetectorKind.values()) {
                                if (k.name().equalsIgnoreCase(d)) {
                                    detector = k;
                                }
                            }
                            if (detector == null) {
                                fail("detector \"" + d + "\" is none of " + kinds());
                            }
                        }
                    }
                    case "threshold" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT
                                || !(p.getDoubleValue() >= 0 && p.getDoubleValue() <= 1000)) { // NaN fails too
                            fail("threshold must be a number in [0, 1000]");
                        } else {
                            threshold = p.getDoubleValue();
                        }
                    }
                    case "min_samples" -> minSamples = integer(p, v, field, 1, 100_000);
                    case "window" -> window = integer(p, v, field, 2, 100_000);
                    default -> {
                        fail("unknown field \"" + field + "\" (known: name, metric, source, detector, threshold, "
                                + "min_samples, window, ignore)");
                    }
                }
                p.skipChildren(); // a value of the wrong kind may be an object or array: step over it
            }
            if (problem != null) {
                return;
            }
            if (metric == null || metric.isEmpty()) {
                fail("metric (a glob of metric names) is required");
                return;
            }
            if (Boolean.TRUE.equals(ignore) && (detector != null || threshold != null || minSamples != null || window != null)) {
                fail("an ignore rule takes no detector, threshold, min_samples or window");
                return;
            }
            String label = name != null ? name : "rule " + position;
            SeriesSpec spec = null;
            if (!Boolean.TRUE.equals(ignore)) {
                DetectorKind kind = detector != null ? detector : config.detector();
                double z = threshold != null ? threshold : config.zscoreThreshold();
                int w = window != null ? window : config.windowSize();
                int min = minSamples != null ? minSamples : Math.min(config.minSamples(), w); // a small window fills
                if (min > w) {
                    fail("min_samples " + min + " exceeds the window " + w);
                    return;
                }
                spec = new SeriesSpec(label, kind.name().toLowerCase(Locale.ROOT), w, z, min,
                        Detectors.factory(kind, z, min, w, config.weekTimeZone()));
            }
            rule = new Rule(label, glob(metric), source == null ? null : glob(source), spec);
        }

        private String text(JsonParser p, JsonToken v, String field) throws IOException {
            if (v != JsonToken.VALUE_STRING) {
                fail(field + " must be a string");
                return null;
            }
            return p.getText();
        }

        private Integer integer(JsonParser p, JsonToken v, String field, int min, int max) throws IOException {
            if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < min || p.getLongValue() > max) {
                fail(field + " must be an integer in [" + min + ", " + max + "]");
                return null;
            }
            return p.getIntValue();
        }

        private void fail(String why) {
            if (problem == null) {
                problem = why;
            }
        }

        private static String kinds() {
            StringBuilder b = new StringBuilder();
            for (DetectorKind k : DetectorKind.values()) {
                b.append(b.length() == 0 ? "" : ", ").append(k.name().toLowerCase(Locale.ROOT));
            }
            return b.toString();
        }
    }
}
