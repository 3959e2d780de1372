package dev.pulse.server.deploy;

import dev.pulse.server.support.Tools;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules shipped in {@code k8s/prometheus/rules/} pass their unit tests ({@code promtool test rules} on
 * each {@code *.test.yml} beside them), and every alert they define is exercised by a test case.
 */
class PrometheusRulesTest {
    private static final Path RULES = Path.of("..").toAbsolutePath().normalize().resolve("k8s/prometheus/rules");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    @Test
    void ruleUnitTestsPass() throws Exception {
        String promtool = Tools.require("promtool");
        List<Path> tests = files(".test.yml");
        assertFalse(tests.isEmpty(), "rule tests in " + RULES);
        for (Path test : tests) {
            Process p = new ProcessBuilder(promtool, "test", "rules", test.getFileName().toString())
                    .directory(RULES.toFile()).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            assertEquals(0, p.waitFor(), "promtool test rules " + test.getFileName() + ":\n" + out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyAlertHasATestCaseWhereItFires() throws Exception {
        Set<String> defined = new HashSet<>();
        for (Path rules : files(".rules.yml")) {
            for (Map<String, Object> group : list(yaml(rules).get("groups"))) {
                for (Map<String, Object> rule : list(group.get("rules"))) {
                    if (rule.get("alert") != null) {
                        defined.add((String) rule.get("alert"));
                    }
                }
            }
        }
        assertFalse(defined.isEmpty());
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Path test : files(".test.yml")) {
            for (Map<String, Object> testCase : list(yaml(test).get("tests"))) {
                for (Map<String, Object> check : list(testCase.get("alert_rule_test"))) {
                    String name = (String) check.get("alertname");
                    (list(check.get("exp_alerts")).isEmpty() ? quiet : firing).add(name);
                }
            }
        }
        for (String alert : defined) {
            assertTrue(firing.contains(alert), alert + " has a test case where it fires");
            assertTrue(quiet.contains(alert), alert + " has a test case where it stays quiet");
        }
    }

    private static List<Path> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(RULES)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws Exception {
        return YAML.unmarshal(Files.readString(file), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }
}
