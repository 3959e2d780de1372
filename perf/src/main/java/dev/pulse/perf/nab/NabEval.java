package dev.pulse.perf.nab;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores the service's detectors on the NAB corpus and writes a Markdown report per detector and path.
 *
 * <pre>
 * NabEval [--detectors zscore,robust] [--via offline|http|both] [--http-mode per-point|batch]
 *         [--server-jar server/target/pulse-server.jar] [--url http://host:port] [--threads 2]
 *         [--out results/nab]
 * </pre>
 *
 * <p>{@code offline} runs each detector in-process; {@code http} starts the server jar with {@code DETECTOR} set, on
 * a free port without Redis (or uses {@code --url}, a server already running with the detector named), and replays
 * every file through the HTTP API. With {@code both}, the two paths' verdicts must be identical file by file,
 * else the run fails. The corpus is {@code NAB_DIR} or {@value NabCorpus#DEFAULT_DIR}; other environment variables
 * (WINDOW_SIZE, MIN_SAMPLES, ...) configure the detectors as they configure the server.
 */
public final class NabEval {
    private NabEval() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<String> detectors = List.of(opt.getOrDefault("detectors", "zscore,robust").split(","));
        String via = opt.getOrDefault("via", "offline");
        HttpReplay.Mode mode = opt.getOrDefault("http-mode", "per-point").equals("batch")
                ? HttpReplay.Mode.BATCH : HttpReplay.Mode.PER_POINT;
        Path out = Path.of(opt.getOrDefault("out", "results/nab"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        Files.createDirectories(out);

        Path dir = NabCorpus.directory();
        List<NabFile> files = NabCorpus.load(dir);
        System.out.printf("NAB corpus: %d files from %s%n", files.size(), dir);
        boolean mismatch = false;
        for (String detector : detectors) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("DETECTOR", detector);
            List<Verdicts> offline = null;
            if (!via.equals("http")) {
                long t0 = System.nanoTime();
                OfflineReplay replay = OfflineReplay.fromEnvironment(env);
                offline = new ArrayList<>();
                for (NabFile f : files) {
                    offline.add(replay.run(f));
                }
                write(out, detector, "offline", files, offline, System.nanoTime() - t0);
            }
            if (!via.equals("offline")) {
                long t0 = System.nanoTime();
                List<Verdicts> http;
                if (opt.containsKey("url")) {
                    http = replay(new HttpReplay(URI.create(opt.get("url")), mode), files, threads);
                } else {
                    Path jar = Path.of(opt.getOrDefault("server-jar", "server/target/pulse-server.jar"));
                    Map<String, String> serverEnv = new HashMap<>();
                    serverEnv.put("DETECTOR", detector);
                    try (ServerProcess server = ServerProcess.start(jar, serverEnv,
                            out.resolve("server-" + detector + ".log"))) {
                        http = replay(new HttpReplay(server.base(), mode), files, threads);
                    }
                }
                write(out, detector, "http", files, http, System.nanoTime() - t0);
                if (offline != null) {
                    mismatch |= !compare(detector, files, offline, http, mode);
                }
            }
        }
        if (mismatch) {
            System.err.println("the HTTP and offline verdicts differ; see above");
            System.exit(1);
        }
    }

    private static List<Verdicts> replay(HttpReplay replay, List<NabFile> files, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Verdicts>> futures = new ArrayList<>();
            for (NabFile f : files) {
                futures.add(pool.submit(() -> replay.run(f)));
            }
            List<Verdicts> out = new ArrayList<>();
            for (Future<Verdicts> fu : futures) {
                out.add(fu.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** True when both paths gave every row the same decision (and, when HTTP knows it, the same score bits). */
    private static boolean compare(String detector, List<NabFile> files, List<Verdicts> offline, List<Verdicts> http,
                                   HttpReplay.Mode mode) {
        int differ = 0;
        for (int i = 0; i < files.size(); i++) {
            Verdicts a = offline.get(i);
            Verdicts b = http.get(i);
            for (int r = 0; r < a.rows(); r++) {
                boolean scoreKnown = mode == HttpReplay.Mode.PER_POINT || b.anomaly()[r];
                if (a.anomaly()[r] != b.anomaly()[r] || (scoreKnown
                        && Double.doubleToLongBits(a.score()[r]) != Double.doubleToLongBits(b.score()[r]))) {
                    System.err.printf("%s: %s row %d: offline %b %s, http %b %s%n", detector, files.get(i).name(), r,
                            a.anomaly()[r], a.score()[r], b.anomaly()[r], b.score()[r]);
                    differ++;
                    break;
                }
            }
        }
        System.out.printf("%s: HTTP and offline verdicts %s on %d files%n", detector,
                differ == 0 ? "identical" : "DIFFER on " + differ + " of", files.size());
        return differ == 0;
    }

    private static void write(Path out, String detector, String via, List<NabFile> files, List<Verdicts> verdicts,
                              long nanos) throws IOException {
        long rows = files.stream().mapToLong(NabFile::rows).sum();
        String title = String.format("%s, %s replay (%d rows in %.1f s)", detector, via, rows, nanos / 1e9);
        String md = Report.markdown(title, files, verdicts);
        Files.writeString(out.resolve(detector + "-" + via + ".md"), md, StandardCharsets.UTF_8);
        StringBuilder digests = new StringBuilder("file,rows,anomalies,digest\n");
        for (int i = 0; i < files.size(); i++) {
            Verdicts v = verdicts.get(i);
            digests.append(files.get(i).name()).append(',').append(v.rows()).append(',').append(v.anomalies())
                    .append(',').append(Long.toHexString(v.digest())).append('\n');
        }
        Files.writeString(out.resolve(detector + "-" + via + "-verdicts.csv"), digests, StandardCharsets.UTF_8);
        System.out.print(md);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
