package dev.pulse.server.deploy;

import dev.pulse.server.config.Config;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the Dockerfile instruction by instruction and checks the rules the deployment depends on. */
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

    @Test
    void isMultiStageNonRootWithHealthCheckAndExecEntrypoint() throws Exception {
        List<String[]> all = instructions();
        List<String> from = all.stream().filter(i -> i[0].equals("FROM")).map(i -> i[1]).toList();
        assertEquals(2, from.size(), "a build stage and a runtime stage");
        assertTrue(from.get(0).contains(" AS build"));
        String user = null;
        boolean healthcheck = false;
        String entrypoint = null;
        String expose = null;
        for (String[] i : all) {
            switch (i[0]) {
                case "USER" -> user = i[1];
                case "HEALTHCHECK" -> healthcheck = i[1].contains("dev.pulse.server.HealthProbe");
                case "ENTRYPOINT" -> entrypoint = i[1];
                case "EXPOSE" -> expose = i[1];
                default -> { }
            }
        }
        assertTrue(user != null && !user.equals("root") && !user.equals("0"), "runs as a non-root user");
        assertTrue(healthcheck, "HEALTHCHECK runs the health probe");
        assertEquals(Integer.toString(Config.defaults().port()), expose);
        assertTrue(entrypoint != null && entrypoint.startsWith("["), "exec form, so SIGTERM reaches the JVM");
        assertTrue(entrypoint.contains("-XX:MaxRAMPercentage") && entrypoint.contains("-XX:+ExitOnOutOfMemoryError"));
    }

    @Test
    void everyCopiedPathExists() throws Exception {
        String finalName = Files.readString(ROOT.resolve("server/pom.xml"));
        for (String[] i : instructions()) {
            if (!i[0].equals("COPY")) {
                continue;
            }
            String[] words = i[1].split("\\s+");
            if (words[0].startsWith("--from=")) {
                String jar = words[1];
                assertEquals("/src/server/target/pulse-server.jar", jar);
                assertTrue(finalName.contains("<finalName>pulse-server</finalName>"), "the jar the build stage makes");
                continue;
            }
            for (int k = 0; k < words.length - 1; k++) {
                assertTrue(Files.exists(ROOT.resolve(words[k])), "COPY source " + words[k] + " exists");
            }
        }
        assertTrue(Files.exists(ROOT.resolve("server/src/main/java/dev/pulse/server/HealthProbe.java")));
        String ignore = Files.readString(ROOT.resolve(".dockerignore"));
        assertTrue(ignore.contains("target/"), "build output stays out of the context");
        assertFalse(ignore.lines().anyMatch(l -> l.strip().equals("server/src") || l.strip().equals("protocol/src")));
    }
}
