package dev.pulse.perf.nab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The NAB corpus on disk ({@code data/<category>/<file>.csv} and {@code labels/combined_windows.json}), and the
 * split this project tunes and tests on.
 */
public final class NabCorpus {
    /** Categories the detectors' parameters may be tuned on. */
    public static final Set<String> TUNING = Set.of("artificialNoAnomaly", "artificialWithAnomaly",
            "realAdExchange", "realKnownCause", "realTraffic");
    /** Categories held out: never used to choose a parameter. */
    public static final Set<String> TEST = Set.of("realAWSCloudwatch", "realTweets");

    /** Where the corpus is unless {@code NAB_DIR} says otherwise, relative to the repository root. */
    public static final String DEFAULT_DIR = "../shared/datasets/nab";

    private NabCorpus() {
    }

    /** The corpus directory: {@code NAB_DIR} if set, else {@link #DEFAULT_DIR}. */
    public static Path directory() {
        String env = System.getenv("NAB_DIR");
        return Path.of(env == null || env.isBlank() ? DEFAULT_DIR : env);
    }

    /** Every labelled file under {@code dir}, sorted by name. */
    public static List<NabFile> load(Path dir) throws IOException {
        Map<String, long[][]> windows = LabelWindows.read(dir.resolve("labels").resolve("combined_windows.json"));
        List<NabFile> files = new ArrayList<>();
        for (Map.Entry<String, long[][]> e : windows.entrySet()) {
            files.add(NabFile.read(e.getKey(), dir.resolve("data").resolve(e.getKey()), e.getValue()));
        }
        files.sort((a, b) -> a.name().compareTo(b.name()));
        try (Stream<Path> csvs = Files.walk(dir.resolve("data"))) {
            long onDisk = csvs.filter(p -> p.toString().endsWith(".csv")).count();
            if (onDisk != files.size()) {
                throw new IOException("labels name " + files.size() + " files, data/ holds " + onDisk);
            }
        }
        return files;
    }

    public static boolean isTuning(NabFile f) {
        return TUNING.contains(f.category());
    }
}
