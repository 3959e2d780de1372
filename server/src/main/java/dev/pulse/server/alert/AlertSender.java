package dev.pulse.server.alert;

import dev.pulse.server.log.Log;
import dev.pulse.server.analytics.Series;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Delivers one alert per anomalous series to every Alertmanager in {@code ALERTMANAGER_URL}, from a thread of its
 * own: the event loops only put anomalies into the bounded {@link AlertQueue}, so a slow, failing or absent
 * Alertmanager never slows ingest.
 *
 * <p>Each round (every {@value #TICK_MS} ms) the thread drains the queue into the alerts it keeps (one per series),
 * resolves those quiet for {@code ALERT_RESOLVE_MS}, and posts to each Alertmanager without a request in flight and
 * out of backoff what is due there: new firings and resolutions at once, firing alerts again every
 * {@code ALERT_RESEND_MS} with {@code endsAt} {@value #ENDS_AHEAD_RESENDS} resend periods ahead (so Alertmanager
 * resolves them by itself if this process dies), in POSTs of at most {@value #ALERTS_PER_POST} alerts. A failed
 * POST is counted and retried after a backoff doubling from {@value #MIN_BACKOFF_MS} ms up to one resend period; a
 * resolution no Alertmanager took within {@value #ENDS_AHEAD_RESENDS} resend periods is given up on (Alertmanager
 * has let it end by then) and counted as dropped.
 *
 * <p>Threading: {@link #run} owns the alerts and per-Alertmanager state; the HTTP client completes POSTs on its own
 * executor thread and hands the outcome back through a queue; the counters are read by any thread.
 */
public final class AlertSender implements Runnable {
    static final long TICK_MS = 50;
    static final int ALERTS_PER_POST = 500;
    static final long MIN_BACKOFF_MS = 250;
    static final int ENDS_AHEAD_RESENDS = 4;
    static final long REQUEST_TIMEOUT_MS = 10_000;
    /** Resolutions asked for by forgotten series (deleted or expired) and not yet taken by the sender. */
    static final int RESOLVE_REQUESTS = 1024;

    private final AlertQueue queue;
    private final URI[] targets;
    private final long resendMs;
    private final long resolveMs;
    private final Function<Series, String> detectorOf;
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final Thread thread;

    private final ArrayBlockingQueue<String[]> resolveRequests = new ArrayBlockingQueue<>(RESOLVE_REQUESTS);
    private final ConcurrentLinkedQueue<Post> completed = new ConcurrentLinkedQueue<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private volatile int firingCount;          // written by the sender thread
    // The alerts by source name: the sender thread alone writes it and its lists; resolve() asks for a key.
    private final Map<String, List<Alert>> bySource = new ConcurrentHashMap<>();
    private volatile String linkBase = "";     // set once the server listens
    private volatile boolean stopping;         // set by the shutdown thread

    // Sender thread only.
    private final Map<Series, Alert> alerts = new IdentityHashMap<>(); // bounded by the registry's series, plus resolutions in delivery
    private final AlertQueue.Chunk chunk = new AlertQueue.Chunk();
    private final Post[] inFlight;      // per Alertmanager: the POST awaiting its answer, or null
    private final long[] nextAttemptMs; // per Alertmanager: no POST before this (backoff)
    private final long[] backoffMs;     // per Alertmanager: the next wait after a failure

    /** @param alertmanagers base URLs without a trailing slash, as {@code Config} checked them */
    /** @param detectorOf the name of a series' detector, for the {@code detector} label */
    public AlertSender(AlertQueue queue, List<String> alertmanagers, long resendMs, long resolveMs,
                       Function<Series, String> detectorOf) {
        this.queue = queue;
        this.targets = alertmanagers.stream().map(u -> URI.create(u + "/api/v2/alerts")).toArray(URI[]::new);
        this.resendMs = resendMs;
        this.resolveMs = resolveMs;
        this.detectorOf = detectorOf;
        this.inFlight = new Post[targets.length];
        this.nextAttemptMs = new long[targets.length];
        this.backoffMs = new long[targets.length];
        java.util.Arrays.fill(backoffMs, MIN_BACKOFF_MS);
        this.httpExecutor = Executors.newSingleThreadExecutor(r -> daemon(r, "alert-http"));
        this.http = HttpClient.newBuilder().executor(httpExecutor).connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        this.thread = daemon(this, "alert-sender");
    }

    public void start() {
        thread.start();
    }

    /** The scheme, host and port of this service, for each alert's {@code generatorURL}. */
    public void linkBase(String base) {
        linkBase = base;
    }

    /**
     * Resolves the alert of ({@code source}, {@code metric}), or of every metric of {@code source} when metric is
     * null, at the sender's next round. Never blocks: returns false (and counts a drop) when too many are pending.
     * Nothing is asked for a source without an alert, so a mass expiry of quiet series fills no queue.
     */
    public boolean resolve(String source, String metric) {
        if (!bySource.containsKey(source) || resolveRequests.offer(new String[] {source, metric})) {
            return true;
        }
        givenUp.increment();
        return false;
    }

    /** Stops the thread; firing alerts are left to end in Alertmanager at their {@code endsAt}. */
    public void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpExecutor.shutdownNow();
    }

    /** POSTs an Alertmanager answered with 2xx. */
    public long sent() {
        return sent.sum();
    }

    /** POSTs that failed: no connection, a timeout, or a status other than 2xx. */
    public long failed() {
        return failed.sum();
    }

    /** Anomalies the full queue refused, resolutions given up on, resolve requests refused. */
    public long dropped() {
        return givenUp.sum() + queue.dropped();
    }

    /** Series whose alert is firing. */
    public int firing() {
        return firingCount;
    }

    @Override
    public void run() {
        while (!stopping) {
            long now = System.currentTimeMillis();
            takeAnomalies(now);
            takeResolveRequests(now);
            takeAnswers(now);
            sweep(now);
            for (int t = 0; t < targets.length; t++) {
                if (inFlight[t] == null && now >= nextAttemptMs[t]) {
                    post(t, now);
                }
            }
            LockSupport.parkNanos(TICK_MS * 1_000_000L);
        }
    }

    private void takeAnomalies(long now) {
        AlertQueue.Chunk c = chunk;
        while (queue.drainTo(c) > 0) {
            for (int i = 0; i < c.size; i++) {
                Alert a = alerts.get(c.series[i]);
                if (a == null) {
                    a = new Alert(c.series[i], detectorOf.apply(c.series[i]), targets.length);
                    alerts.put(c.series[i], a);
                    bySource.computeIfAbsent(a.source, k -> new ArrayList<>(2)).add(a);
                }
                a.anomaly(c.timeMs[i], now, c.value[i], c.mean[i], c.zscore[i], c.score[i]);
            }
            c.clear();
        }
    }

    private void takeResolveRequests(long now) {
        for (String[] r; (r = resolveRequests.poll()) != null; ) {
            for (Alert a : bySource.getOrDefault(r[0], List.of())) {
                if (r[1] == null || a.metric.equals(r[1])) {
                    a.resolve(now);
                }
            }
        }
    }

    /** Marks what each finished POST delivered, or backs its Alertmanager off. */
    private void takeAnswers(long now) {
        for (Post p; (p = completed.poll()) != null; ) {
            int t = p.target;
            inFlight[t] = null;
            if (p.ok) {
                backoffMs[t] = MIN_BACKOFF_MS;
                for (int i = 0; i < p.alerts.size(); i++) {
                    Alert a = p.alerts.get(i);
                    if (a.generation == p.generations[i]) {
                        a.sentGeneration[t] = a.generation;
                        a.lastSentMs[t] = p.startMs;
                    }
                }
            } else {
                if (failed.sum() % 100 == 1) {
                    Log.warn("alertmanager " + targets[t] + " did not take " + p.alerts.size() + " alerts: " + p.why
                            + " (retrying with backoff; alerts_failed_total counts the attempts)");
                }
                nextAttemptMs[t] = now + backoffMs[t];
                backoffMs[t] = Math.min(Math.max(resendMs, MIN_BACKOFF_MS), backoffMs[t] * 2);
            }
        }
    }

    /** Resolves quiet alerts; forgets resolutions delivered everywhere, or given up on. */
    private void sweep(long now) {
        int firing = 0;
        for (Iterator<Alert> it = alerts.values().iterator(); it.hasNext(); ) {
            Alert a = it.next();
            if (a.firing && now - a.lastAnomalyMs >= resolveMs) {
                a.resolve(now);
            }
            if (a.firing) {
                firing++;
            } else if (a.resolutionDelivered()) {
                it.remove();
                unindex(a);
            } else if (now - a.resolvedAtMs >= ENDS_AHEAD_RESENDS * resendMs && !awaited(a)) {
                givenUp.increment();
                it.remove();
                unindex(a);
            }
        }
        firingCount = firing;
    }

    /** Takes a forgotten alert out of the index by source. */
    private void unindex(Alert a) {
        List<Alert> same = bySource.get(a.source);
        same.remove(a);
        if (same.isEmpty()) {
            bySource.remove(a.source);
        }
    }

    /** Whether a POST in flight carries {@code a} (its answer must find it still kept). */
    private boolean awaited(Alert a) {
        for (Post p : inFlight) {
            if (p != null && p.alerts.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private void post(int t, long now) {
        List<Alert> due = new ArrayList<>();
        for (Alert a : alerts.values()) {
            if (a.due(t, now, resendMs)) {
                due.add(a);
                if (due.size() == ALERTS_PER_POST) {
                    break;
                }
            }
        }
        if (due.isEmpty()) {
            return;
        }
        StringBuilder body = new StringBuilder(512 * due.size()).append('[');
        int[] generations = new int[due.size()];
        for (int i = 0; i < due.size(); i++) {
            Alert a = due.get(i);
            generations[i] = a.generation;
            if (i > 0) {
                body.append(',');
            }
            a.json(body, now, ENDS_AHEAD_RESENDS * resendMs, linkBase);
        }
        body.append(']');
        Post p = new Post(t, now, due, generations);
        inFlight[t] = p;
        HttpRequest request = HttpRequest.newBuilder(targets[t]).timeout(Duration.ofMillis(REQUEST_TIMEOUT_MS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            if (error != null) {
                p.why = error.toString();
            } else if (response.statusCode() / 100 == 2) {
                p.ok = true;
            } else {
                p.why = "status " + response.statusCode() + ": " + response.body();
            }
            (p.ok ? sent : failed).increment();
            completed.add(p);
        });
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One POST to one Alertmanager: what it carried, and (once answered) how it went. */
    private static final class Post {
        final int target;
        final long startMs;
        final List<Alert> alerts;
        final int[] generations;
        volatile boolean ok;  // written by the HTTP client's thread before the post is queued as completed
        volatile String why;  // likewise

        Post(int target, long startMs, List<Alert> alerts, int[] generations) {
            this.target = target;
            this.startMs = startMs;
            this.alerts = alerts;
            this.generations = generations;
        }
    }
}
