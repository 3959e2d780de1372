package dev.pulse.server.deploy;

import dev.pulse.server.config.Config;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the Dockerfile instruction by instruction and checks the rules the deployment depends on. (CI also builds
 * and runs the image: .ci/run.)
 */
class DockerfileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Instructions with continuation lines joined, comments dropped. */
    private static List<String[]> instructions() throws Exception {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            String t = line.strip();
            if (t.startsWith("#") || t.isEmpty()) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String text = current.toString();
            int space = text.indexOf(' ');
            out.add(new String[]{text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()});
            current.setLength(0);
        }
        return out;
    }

    /** The words of an exec-form (JSON array) instruction. */
    private static List<String> execForm(String text) {
        assertTrue(text.startsWith("[") && text.endsWith("]"), "exec form: " + text);
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }

    @Test
    void isMultiStageNonRootWithHealthCheckAndExecEntrypoint() throws Exception {
        List<String[]> all = instructions();
        List<String> from = all.stream().filter(i -> i[0].equals("FROM")).map(i -> i[1]).toList();
        assertEquals(2, from.size(), "a build stage and a runtime stage");
        assertTrue(from.get(0).contains(" AS build"));
        assertEquals("scratch", from.get(1), "the runtime stage holds only what it copies");
        String user = null;
        String healthcheck = null;
        String entrypoint = null;
        String expose = null;
        for (String[] i : all) {
            switch (i[0]) {
                case "USER" -> user = i[1].split(":")[0];
                case "HEALTHCHECK" -> healthcheck = i[1];
                case "ENTRYPOINT" -> entrypoint = i[1];
                case "EXPOSE" -> expose = i[1];
                default -> { }
            }
        }
        assertTrue(user != null && !user.equals("root") && !user.equals("0"), "runs as a non-root user");
        assertEquals(Integer.toString(Config.defaults().port()), expose);
        assertNotNull(healthcheck);
        List<String> probe = execForm(healthcheck.substring(healthcheck.indexOf("CMD ") + 4));
        assertTrue(probe.contains("dev.pulse.server.HealthProbe"), "HEALTHCHECK runs the health probe");
        assertTrue(probe.get(0).startsWith("/"), "an absolute path: the image has no shell to search PATH with");
        List<String> start = execForm(entrypoint);
        assertEquals(probe.get(0), start.get(0), "the probe and the server run on the same Java");
        assertTrue(start.contains("-XX:MaxRAMPercentage=75") && start.contains("-XX:+ExitOnOutOfMemoryError"));
        assertEquals(List.of("-jar", "/app/pulse-server.jar"), start.subList(start.size() - 2, start.size()));
    }

    /**
     * The server starts from the AOT cache that the build's training run writes, with the same Java, jar and
     * options (a cache made under other options is not used, silently).
     */
    @Test
    void theServerStartsFromTheCacheItsTrainingRunWrote() throws Exception {
        List<String[]> all = instructions();
        List<String> start = execForm(all.stream().filter(i -> i[0].equals("ENTRYPOINT")).findFirst().orElseThrow()[1]);
        String cacheOption = start.stream().filter(w -> w.startsWith("-XX:AOTCache=")).findFirst()
                .orElseThrow(() -> new AssertionError("ENTRYPOINT uses an AOT cache"));
        String cache = cacheOption.substring("-XX:AOTCache=".length());
        String training = all.stream().filter(i -> i[0].equals("RUN") && i[1].startsWith("train-aot-cache.sh "))
                .findFirst().orElseThrow(() -> new AssertionError("a training run"))[1];
        List<String> words = Arrays.asList(training.split("\\s+"));
        assertEquals(cache, words.get(1), "the training writes the cache the server reads");
        assertEquals(start.get(start.size() - 1), words.get(2), "the same jar");
        assertEquals(start.get(0), words.get(3), "the same Java");
        List<String> options = new ArrayList<>(start.subList(1, start.size() - 2));
        options.remove(cacheOption);
        assertEquals(options, words.subList(4, words.size()), "the same options");
        assertTrue(Files.isExecutable(ROOT.resolve("docker/train-aot-cache.sh")));
    }

    @Test
    void everyCopiedPathExists() throws Exception {
        String pom = Files.readString(ROOT.resolve("server/pom.xml"));
        assertTrue(pom.contains("<finalName>pulse-server</finalName>"), "the jar the build stage makes");
        boolean jarPlaced = false;
        for (String[] i : instructions()) {
            if (i[0].equals("RUN") && i[1].contains("cp server/target/pulse-server.jar /app/")) {
                jarPlaced = true;
            }
            if (!i[0].equals("COPY")) {
                continue;
            }
            String[] words = i[1].split("\\s+");
            if (words[0].startsWith("--from=")) {
                continue;
            }
            for (int k = 0; k < words.length - 1; k++) {
                assertTrue(Files.exists(ROOT.resolve(words[k])), "COPY source " + words[k] + " exists");
            }
        }
        assertTrue(jarPlaced, "the build stage puts the jar at /app/pulse-server.jar");
        assertTrue(Files.exists(ROOT.resolve("server/src/main/java/dev/pulse/server/HealthProbe.java")));
        String ignore = Files.readString(ROOT.resolve(".dockerignore"));
        assertTrue(ignore.contains("target/"), "build output stays out of the context");
        assertFalse(ignore.lines().anyMatch(l -> l.strip().equals("server/src") || l.strip().equals("protocol/src")
                || l.strip().equals("docker/")), "the sources and the training script are in the context");
    }
}
