package dev.pulse.perf.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time (user + system) from {@code /proc/PID/stat}, for CPU per request on a shared machine. */
final class ServerCpu {
    /** Clock ticks per second of /proc's counters (USER_HZ: 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ServerCpu() {
    }

    /** utime + stime of all of {@code pids} in clock ticks (0 for a process that is gone). */
    static long ticks(long[] pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += ticks(pid);
        }
        return sum;
    }

    /** utime + stime of {@code pid} in clock ticks, or 0 when there is no such process or no pid was given. */
    static long ticks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15, counted after "pid (comm) "
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static double micros(long ticks) {
        return ticks / TICKS_PER_SECOND * 1e6;
    }
}
