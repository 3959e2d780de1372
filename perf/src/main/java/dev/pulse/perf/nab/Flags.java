package dev.pulse.perf.nab;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} pairs of an evaluation program's command line, by name (a last unpaired word is ignored). */
public final class Flags {
    private Flags() {
    }

    public static Map<String, String> of(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opt;
    }
}
