package dev.pulse.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.server.config.Config;
import dev.pulse.server.config.ConfigException;
import dev.pulse.server.support.Await;
import dev.pulse.server.support.ServerProcess;
import dev.pulse.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** SERIES_RULES_FILE: each setting applied, the first matching rule wins, bad files refused, SIGHUP reloads. */
class SeriesRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static JsonNode series(TestServer server, String source, String metric) throws Exception {
        var r = server.get("/analyze?source=" + source + "&metric=" + metric);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("metrics").get(metric);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eachSettingIsAppliedAndTheFirstMatchWins() throws Exception {
        Path rules = write("rules.json", """
                [
                  {"name": "noise", "metric": "go_*", "ignore": true},
                  {"name": "edge-latency", "metric": "latency*", "source": "edge-?", "window": 3, "min_samples": 2, "threshold": 1.0, "detector": "zscore"},
                  {"name": "latency", "metric": "latency*", "detector": "robust"},
                  {"name": "never-reached", "metric": "latency_p99", "window": 7}
                ]
                """);
        try (TestServer server = new TestServer(Map.of("SERIES_RULES_FILE", rules.toString(), "DETECTOR", "robust"))) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 5; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"source\":\"edge-1\",\"latency_p99\":").append(10 + i % 2)
                        .append(",\"go_goroutines\":7,\"cpu\":").append(i).append('}');
            }
            assertEquals(200, server.post(batch.append(']').toString()).statusCode());

            JsonNode edge = series(server, "edge-1", "latency_p99");
            assertEquals("edge-latency", edge.get("rule").asText());
            assertEquals(3, edge.get("window").asInt());
            assertEquals(2, edge.get("min_samples").asInt());
            assertEquals(1.0, edge.get("threshold").asDouble());
            assertEquals("zscore", edge.get("detector").asText());
            assertEquals((10 + 11 + 10) / 3.0, edge.get("rolling_avg").asDouble(), 1e-9, "a window of 3 values");
            // 10, 11, 10, 11, 10: the 4th and 5th are |z| = 1.41 off the 3 values before them, over the rule's 1.0
            // with the rule's 2 samples; the 3rd is |z| = 1, not over; the global 2.0 and 10 would flag none
            assertEquals(2, edge.get("anomalies_total").asLong(), edge.toString());
            JsonNode feed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.get("/anomalies").body());
            assertEquals(2, feed.get("anomalies").size(), feed.toString());
            feed.get("anomalies").forEach(a -> assertEquals("zscore", a.get("detector").asText(),
                    "the series' own detector, not DETECTOR's"));

            assertEquals(404, server.get("/analyze?source=edge-1&metric=go_goroutines").statusCode(), "ignored");
            JsonNode cpu = series(server, "edge-1", "cpu");
            assertFalse(cpu.has("rule"), "no rule matches cpu: the global settings");
            assertEquals(5, cpu.get("count").asInt());

            assertEquals(200, server.post("{\"source\":\"web-10\",\"latency_p99\":5}").statusCode());
            JsonNode web = series(server, "web-10", "latency_p99");
            assertEquals("latency", web.get("rule").asText(), "edge-? does not match web-10; the next rule does");
            assertEquals("robust", web.get("detector").asText());
            assertEquals(50, web.get("window").asInt(), "what the rule leaves unset is the global setting");
        }
    }

    @Test
    void thePolicyReturnsTheFirstMatchingRulesSettingsOrNullToIgnore() throws Exception {
        Path rules = write("rules.json", """
                [{"metric": "a*", "window": 5}, {"metric": "ab", "window": 9}, {"metric": "x?z", "source": "s*", "ignore": true}]
                """);
        var policy = SeriesRules.load(Config.from(Map.of("SERIES_RULES_FILE", rules.toString()))).policy();
        assertEquals(5, policy.specFor("s", "ab").windowSize());
        assertEquals("rule 1", policy.specFor("s", "ab").rule());
        assertNull(policy.specFor("s1", "xyz"));
        assertEquals(50, policy.specFor("t1", "xyz").windowSize(), "the source glob does not match");
        assertNull(policy.specFor("t1", "xyz").rule());
        assertEquals(50, policy.specFor("s", "xyzz").windowSize(), "? is one character");
    }

    @Test
    void everyBadRuleIsReportedOnItsOwnLine() throws Exception {
        Path rules = write("rules.json", """
                [
                  {"name": "fine", "metric": "cpu", "window": 20},
                  {"name": "loud", "metric": "rps", "threshold": -1},
                  {"metric": "mem", "detector": "magic"},
                  {"name": "nameless-metric", "window": 10},
                  {"name": "too-few", "metric": "x", "window": 5, "min_samples": 6},
                  {"name": "typo", "metric": "y", "windw": 5},
                  {"name": "both", "metric": "z", "ignore": true, "window": 5}
                ]
                """);
        ConfigException e = assertThrows(ConfigException.class,
                () -> SeriesRules.load(Config.from(Map.of("SERIES_RULES_FILE", rules.toString()))));
        List<String> lines = e.getMessage().lines().collect(Collectors.toList());
        assertEquals(6, lines.size(), e.getMessage());
        for (String line : lines) {
            assertTrue(line.startsWith("SERIES_RULES_FILE=" + rules + ": rule "), line);
        }
        assertTrue(lines.get(0).contains("rule 2 \"loud\" (line 3): threshold"), lines.get(0));
        assertTrue(lines.get(1).contains("rule 3 (line 4): detector \"magic\""), lines.get(1));
        assertTrue(lines.get(2).contains("\"nameless-metric\" (line 5): metric"), lines.get(2));
        assertTrue(lines.get(3).contains("\"too-few\" (line 6): min_samples 6 exceeds the window 5"), lines.get(3));
        assertTrue(lines.get(4).contains("\"typo\" (line 7): unknown field \"windw\""), lines.get(4));
        assertTrue(lines.get(5).contains("\"both\" (line 8): an ignore rule"), lines.get(5));

        Path broken = write("broken.json", "[{\"metric\": \"cpu\",]");
        ConfigException b = assertThrows(ConfigException.class,
                () -> SeriesRules.load(Config.from(Map.of("SERIES_RULES_FILE", broken.toString()))));
        assertTrue(b.getMessage().endsWith("not valid JSON at line 1, column 19: unexpected character ']' where a"
                + " field name in double quotes should start"), b.getMessage());
        Path open = write("open.json", "[{\"metric\": \"cpu\"");
        ConfigException o = assertThrows(ConfigException.class,
                () -> SeriesRules.load(Config.from(Map.of("SERIES_RULES_FILE", open.toString()))));
        assertTrue(o.getMessage().endsWith(": the JSON ends inside an object"), o.getMessage()); // one line, no internals
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBadFileStopsStartUpWithExitStatus2AndALinePerBadRule() throws Exception {
        Path rules = write("rules.json", "[{\"name\": \"ok\", \"metric\": \"a\"},\n {\"name\": \"bad\", \"metric\": \"b\", \"window\": 1}]");
        Process p = ServerProcess.builder(Map.of("SERIES_RULES_FILE", rules.toString(), "SERVER_PORT", "0")).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().collect(Collectors.joining("\n"));
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("pulse: invalid configuration: SERIES_RULES_FILE=" + rules
                + ": rule 2 \"bad\" (line 2): window must be an integer in [2, 100000]"), out);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerStartedWithSighupIgnoredSaysItWillNotReload() throws Exception {
        Path rules = write("rules.json", "[{\"name\": \"first\", \"metric\": \"m*\", \"window\": 5}]");
        ProcessBuilder b = ServerProcess.builder(Map.of("SERIES_RULES_FILE", rules.toString(), "SERVER_PORT", "0"));
        b.command().add(0, "nohup"); // as an operator's nohup starts it: SIGHUP ignored, and the JVM keeps it so
        Process p = b.start();
        StringBuilder head = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null && !line.contains("listening on port"); ) {
                head.append(line).append('\n');
            }
            assertTrue(head.toString().contains("SIGHUP is ignored by this process"), head.toString());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sighupAppliesNewRulesToNewSeriesOnly() throws Exception {
        Path rules = write("rules.json", "[{\"name\": \"first\", \"metric\": \"m*\", \"window\": 5}]");
        try (ServerProcess server = ServerProcess.start(Map.of("SERIES_RULES_FILE", rules.toString()))) {
            assumeFalse(server.output().contains("SIGHUP is ignored"), "this build runs with SIGHUP ignored (nohup)");
            assertEquals(200, server.post("{\"source\":\"s\",\"m1\":1}").statusCode());
            Files.writeString(rules, "[{\"name\": \"second\", \"metric\": \"m*\", \"window\": 7}]");
            new ProcessBuilder("kill", "-HUP", Long.toString(server.process().pid())).start().waitFor();
            Await.until("the reload", () -> server.output().contains("SIGHUP: 1 rules"));
            assertEquals(200, server.post("{\"source\":\"s\",\"m1\":2,\"m2\":3}").statusCode());
            JsonNode metrics = JSON.readTree(server.get("/analyze?source=s").body()).get("metrics");
            assertEquals("first", metrics.get("m1").get("rule").asText(), "an existing series keeps its rule");
            assertEquals(5, metrics.get("m1").get("window").asInt());
            assertEquals("second", metrics.get("m2").get("rule").asText());
            assertEquals(7, metrics.get("m2").get("window").asInt());

            Files.writeString(rules, "[{\"name\": \"broken\", \"metric\": \"m*\", \"window\": 0}]");
            new ProcessBuilder("kill", "-HUP", Long.toString(server.process().pid())).start().waitFor();
            Await.until("the refusal", () -> server.output().contains("rules not reloaded"));
            assertTrue(server.output().contains("rule 1 \"broken\" (line 1): window"), server.output());
            assertEquals(200, server.post("{\"source\":\"s\",\"m3\":1}").statusCode());
            assertEquals("second", JSON.readTree(server.get("/analyze?source=s&metric=m3").body())
                    .get("metrics").get("m3").get("rule").asText(), "a bad file keeps the rules in force");
        }
    }
}
