package dev.pulse.perf.nab;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Replays a NAB file through a running server's HTTP API, one source per file, the value as metric
 * {@value #METRIC}, the file's timestamps as epoch seconds, rows in file order.
 *
 * <p>Two ways, because the ingest reply lists only the values flagged:
 * <ul>
 *   <li>{@link Mode#PER_POINT}: one event per POST, then {@code GET /analyze?source=S&metric=value}, which reports
 *   the last value's {@code score} and {@code anomaly}. Every row's score, so the threshold sweep is possible;
 *   two requests per row. The POST's verdict is checked against the one /analyze reports.</li>
 *   <li>{@link Mode#BATCH}: {@value #BATCH_EVENTS} events per POST; a row is an anomaly when the reply's
 *   {@code anomalies} lists it, with its score. The scores of rows not flagged stay unknown (NaN), so only the
 *   binary decisions can be scored; about a hundred times fewer requests.</li>
 * </ul>
 *
 * <p>A replay needs its sources to be new to the server: it refuses a source the server already holds.
 * Thread-safe: files may be replayed concurrently, each on its own source and its own connection.
 */
public final class HttpReplay {
    public static final String METRIC = "value";
    /** Events per POST in batch mode: far below the default 1 MiB body limit (about 70 bytes an event). */
    public static final int BATCH_EVENTS = 1000;

    public enum Mode { PER_POINT, BATCH }

    private static final JsonFactory JSON = new JsonFactory();
    private static final int RETRIES = 20;

    private final URI base;
    private final Mode mode;

    public HttpReplay(URI base, Mode mode) {
        this.base = base;
        this.mode = mode;
    }

    /** A file's name as a source: {@code realTweets/Twitter_volume_AAPL.csv} becomes {@code realTweets.Twitter_volume_AAPL}. */
    public static String sourceName(String fileName) {
        String s = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && b.length() < 128; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '-';
            b.append(ok ? c : c == '/' ? '.' : '_');
        }
        return b.length() == 0 ? "_" : b.toString();
    }

    public Verdicts run(NabFile f) throws IOException, InterruptedException {
        try (HttpConnection c = new HttpConnection(base)) {
            return run(f, c);
        }
    }

    private Verdicts run(NabFile f, HttpConnection c) throws IOException, InterruptedException {
        String source = sourceName(f.name());
        String analyze = analyzeTarget(source);
        HttpConnection.Response probe = c.get(analyze);
        if (probe.status() != 404) {
            throw new IOException("source " + source + " already exists on the server (status "
                    + probe.status() + "): replay against a fresh server");
        }
        Verdicts v = Verdicts.of(f.rows());
        if (mode == Mode.PER_POINT) {
            for (int i = 0; i < f.rows(); i++) {
                String reply = post(c, event(new StringBuilder(96), f, i, source).toString());
                Analyzed a = analyzed(c.get(analyze), source);
                double flaggedScore = flaggedScore(reply, 0);
                boolean flagged = flaggedScore == flaggedScore;
                if (flagged != a.anomaly || (flagged && Double.doubleToLongBits(flaggedScore)
                        != Double.doubleToLongBits(a.score))) {
                    throw new IOException("source " + source + " row " + i + ": the POST reply and /analyze disagree");
                }
                v.score()[i] = a.score;
                v.anomaly()[i] = a.anomaly;
            }
        } else {
            StringBuilder body = new StringBuilder(BATCH_EVENTS * 80);
            for (int from = 0; from < f.rows(); from += BATCH_EVENTS) {
                int to = Math.min(f.rows(), from + BATCH_EVENTS);
                body.setLength(0);
                body.append('[');
                for (int i = from; i < to; i++) {
                    if (i > from) {
                        body.append(',');
                    }
                    event(body, f, i, source);
                }
                body.append(']');
                readFlagged(post(c, body.toString()), v, from);
            }
        }
        return v;
    }

    private static StringBuilder event(StringBuilder b, NabFile f, int i, String source) {
        // Double.toString round-trips exactly, so the server sees the same double as the offline replay.
        return b.append("{\"timestamp\":").append(f.epochSecond()[i])
                .append(",\"source\":\"").append(source)
                .append("\",\"").append(METRIC).append("\":").append(f.value()[i]).append('}');
    }

    private static String analyzeTarget(String source) {
        return "/analyze?source=" + URLEncoder.encode(source, StandardCharsets.UTF_8) + "&metric=" + METRIC;
    }

    private static String post(HttpConnection c, String body) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HttpConnection.Response r = c.postJson("/metrics-data", body);
            if (r.status() == 200) {
                return r.body();
            }
            // 503 means shedding load, nothing applied: the contract lets a client retry.
            if (r.status() != 503 || attempt == RETRIES) {
                throw new IOException("POST /metrics-data: status " + r.status() + " " + r.body());
            }
            Thread.sleep(50L << Math.min(attempt, 5));
        }
    }

    private record Analyzed(double score, boolean anomaly) {
    }

    /** Reads {@code metrics.value.score} and {@code .anomaly} of an /analyze reply. */
    private static Analyzed analyzed(HttpConnection.Response r, String source) throws IOException {
        if (r.status() != 200) {
            throw new IOException("GET /analyze?source=" + source + ": status " + r.status() + " " + r.body());
        }
        double score = Double.NaN;
        Boolean anomaly = null;
        try (JsonParser p = JSON.createParser(r.body())) {
            if (!seek(p, "metrics") || !seek(p, METRIC) || p.currentToken() != JsonToken.START_OBJECT) {
                throw new IOException("GET /analyze: no metrics." + METRIC + " in " + r.body());
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("score") && t.isNumeric()) {
                    score = p.getDoubleValue();
                } else if (name.equals("anomaly")) {
                    anomaly = t == JsonToken.VALUE_TRUE;
                } else {
                    p.skipChildren();
                }
            }
        }
        if (score != score || anomaly == null) {
            throw new IOException("GET /analyze: no score or anomaly for " + source + " in " + r.body());
        }
        return new Analyzed(score, anomaly);
    }

    /**
     * Positions {@code p} on the value of field {@code name} of the object {@code p} is on (or at the start of),
     * skipping other fields.
     */
    private static boolean seek(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            t = p.nextToken();
        }
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            if (p.currentName().equals(name)) {
                p.nextToken();
                return true;
            }
            p.nextToken();
            p.skipChildren();
        }
        return false;
    }

    /** The score of event {@code index} in an ingest reply's {@code anomalies}, NaN when it is not listed. */
    private static double flaggedScore(String reply, int index) throws IOException {
        Verdicts one = Verdicts.of(index + 1);
        readFlagged(reply, one, 0);
        return one.anomaly()[index] ? one.score()[index] : Double.NaN;
    }

    /** Marks each event an ingest reply's {@code anomalies} lists (index offset by {@code from}) with its score. */
    private static void readFlagged(String reply, Verdicts v, int from) throws IOException {
        try (JsonParser p = JSON.createParser(reply)) {
            if (!seek(p, "anomalies")) {
                throw new IOException("POST /metrics-data: no anomalies in " + reply);
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new IOException("POST /metrics-data: anomalies is not an array in " + reply);
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int index = -1;
                double score = Double.NaN;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    if (name.equals("index")) {
                        index = p.getIntValue();
                    } else if (name.equals("score") && t.isNumeric()) {
                        score = p.getDoubleValue();
                    } else {
                        p.skipChildren();
                    }
                }
                int row = from + index;
                if (index < 0 || row >= v.rows() || score != score) {
                    throw new IOException("POST /metrics-data: bad anomalies entry in " + reply);
                }
                v.anomaly()[row] = true;
                v.score()[row] = score;
            }
        }
    }
}
