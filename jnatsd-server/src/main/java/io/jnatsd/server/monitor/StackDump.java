package io.jnatsd.server.monitor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/**
 * The JVM's threads and their stacks as {@code jstack} prints them: jnatsd's {@code /stacksz} in place of Go's
 * goroutine dump. Takes no lock of the server, so it works even when something is stuck. Stateless.
 */
final class StackDump {

    private StackDump() {
    }

    static String dump() {
        StringBuilder out = new StringBuilder(16 * 1024);
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(info.getThreadName()).append('"');
            if (info.isDaemon()) {
                out.append(" daemon");
            }
            out.append(" #").append(info.getThreadId()).append(" [").append(info.getThreadState()).append(']');
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            out.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                out.append("\tat ").append(frame).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
