package dev.pulse.perf.load;

import java.util.Locale;

/** The load generator's command line. */
record Options(String host, int port, double rate, int connections, int pipeline, int threads, double durationSeconds,
               double warmupSeconds, Workload workload, int batch, int sources, double anomalyRate, long seed,
               boolean fullPrecision, String hgrm, String svg, String json, long[] serverPids) {

    enum Workload { SINGLE, ARRAY, NDJSON, MIXED, REMOTE_WRITE, VM_IMPORT }

    static final String USAGE = """
            usage: java -jar perf/target/pulse-load.jar [options]
              --url URL            target, e.g. http://127.0.0.1:8080 (default)
              --rate R             open loop at R requests/s, latency from each request's intended send time
                                   (coordinated omission corrected); without it: closed loop, as fast as possible
              --connections N      keep-alive connections (default 16)
              --pipeline D         requests in flight per connection (default 1)
              --threads T          client event-loop threads (default 1)
              --duration S         measured seconds (default 10)
              --warmup S           seconds run first and discarded (default 2)
              --workload W         single | array | ndjson | mixed | remote_write | vm_import (default single);
                                   remote_write posts --batch samples per request to /api/v1/write, timestamps
                                   advancing; vm_import posts each batch of events to VictoriaMetrics'
                                   /api/v1/import as JSON lines, one line per (source, metric) series with its
                                   values and timestamps
              --batch N            events per array/ndjson body (default 100)
              --sources N          distinct sources (default 10)
              --anomaly-rate F     share of events with an injected spike (default 0)
              --seed N             seed of the event generator (default 1)
              --numbers K          short: values with one decimal, whole-second timestamps (default); full:
                                   full-precision doubles for both, as Python's repr and time.time() write them
              --hgrm PATH          write the latency distribution (HdrHistogram .hgrm)
              --svg PATH           write a latency-by-percentile chart
              --json PATH          write a machine-readable summary
              --server-pid PID     also report that process's CPU time per request over the measured interval
                                   (from /proc/PID/stat; the server must run on this machine); PID,PID,... sums
                                   the CPU of several processes (a server and its Redis)
            """;

    static Options parse(String[] args) {
        String url = "http://127.0.0.1:8080";
        double rate = 0;
        int connections = 16;
        int pipeline = 1;
        int threads = 1;
        double duration = 10;
        double warmup = 2;
        Workload workload = Workload.SINGLE;
        int batch = 100;
        int sources = 10;
        double anomalyRate = 0;
        long seed = 1;
        boolean fullPrecision = false;
        String hgrm = null;
        String svg = null;
        String json = null;
        long[] serverPids = {};
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--url" -> url = v;
                case "--rate" -> rate = Double.parseDouble(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--pipeline" -> pipeline = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--workload" -> workload = Workload.valueOf(v.toUpperCase(Locale.ROOT));
                case "--batch" -> batch = Integer.parseInt(v);
                case "--sources" -> sources = Integer.parseInt(v);
                case "--anomaly-rate" -> anomalyRate = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--numbers" -> fullPrecision = switch (v) {
                    case "short" -> false;
                    case "full" -> true;
                    default -> throw new IllegalArgumentException("--numbers is short or full, not " + v);
                };
                case "--hgrm" -> hgrm = v;
                case "--svg" -> svg = v;
                case "--json" -> json = v;
                case "--server-pid" -> serverPids = java.util.Arrays.stream(v.split(",")).mapToLong(Long::parseLong).toArray();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        java.net.URI u = java.net.URI.create(url);
        if (connections < 1 || pipeline < 1 || threads < 1 || duration <= 0 || batch < 1 || sources < 1) {
            throw new IllegalArgumentException("counts and durations must be positive");
        }
        return new Options(u.getHost(), u.getPort() < 0 ? 80 : u.getPort(), rate, connections, pipeline, threads,
                duration, warmup, workload, batch, sources, anomalyRate, seed, fullPrecision, hgrm, svg, json,
                serverPids);
    }

    boolean openLoop() {
        return rate > 0;
    }

    /** Whether CPU time is measured (a {@code --server-pid} was given). */
    boolean measuresCpu() {
        return serverPids.length > 0;
    }
}
