package dev.pulse.server.support;

import java.util.concurrent.Callable;

/** Waiting for what happens on other threads or processes, with a bound and a name for the failure. */
public final class Await {
    private static final long POLL_MS = 20;
    private static final long TIMEOUT_MS = 20_000;

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails after 20 s saying what was awaited. */
    public static void until(String what, Callable<Boolean> condition) throws Exception {
        until(what, TIMEOUT_MS, condition);
    }

    /** Polls {@code condition} until it holds; fails after {@code timeoutMs} (a real external program's pace). */
    public static void until(String what, long timeoutMs, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.call()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(POLL_MS);
        }
    }
}
