package dev.pulse.server.alert;

import dev.pulse.server.support.Tools;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Alertmanager routing example is a configuration Alertmanager accepts. */
class RoutingExampleTest {
    @Test
    void theReadmesRoutingExamplePassesAmtool() throws Exception {
        String amtool = Tools.require("amtool");
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Routing the alerts.*?```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has the routing example");
        Path config = Files.createTempFile("alertmanager", ".yml");
        Files.writeString(config, m.group(1));
        Process p = new ProcessBuilder(amtool, "check-config", config.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("2 receivers"), out);
    }
}
