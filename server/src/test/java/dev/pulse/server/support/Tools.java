package dev.pulse.server.support;

import org.junit.jupiter.api.Assumptions;

import java.io.File;

/**
 * External programs some tests run (promtool, kubectl). A developer without them gets a skipped test with a
 * reason; CI sets {@code REQUIRE_TOOLS=1}, which turns a missing program into a failure.
 */
public final class Tools {
    private Tools() {
    }

    /** The program's path on PATH; skips (or, with REQUIRE_TOOLS=1, fails) when it is missing. */
    public static String require(String program) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File f = new File(dir, program);
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        String why = program + " is not installed (on Debian: see .ci/run)";
        if ("1".equals(System.getenv("REQUIRE_TOOLS"))) {
            throw new AssertionError(why);
        }
        Assumptions.abort(why);
        return null;
    }
}
