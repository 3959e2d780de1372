package dev.pulse.protocol.labelled;

import java.lang.management.ManagementFactory;

/** Bytes the current thread allocates while running something (HotSpot's per-thread counter). */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    public static long bytes(Runnable r) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        r.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
