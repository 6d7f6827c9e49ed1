package io.jnatsd.bench.tool;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time of the calling thread, to tell how busy a generator thread was. Stateless and thread-safe. */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /** CPU time (user + system) of the current thread in nanoseconds, or 0 where the JVM cannot tell. */
    static long currentNanos() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            return 0;
        }
        long t = THREADS.getCurrentThreadCpuTime();
        return Math.max(0, t);
    }
}
