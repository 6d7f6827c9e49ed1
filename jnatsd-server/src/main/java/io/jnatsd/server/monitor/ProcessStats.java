package io.jnatsd.server.monitor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory and CPU use, as nats-server's {@code pse} package reports them for {@code /varz}
 * {@code mem} and {@code cpu}: RSS in bytes (from {@code /proc/self/statm}, else the JVM's committed memory), and
 * the CPU percentage of one core used since the previous sample (sampled at most once a second). Thread-safe.
 */
// nats-server: pse/pse_linux.go ProcUsage
public final class ProcessStats {

    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_SIZE = 4096;
    private static final long SAMPLE_NANOS = 1_000_000_000L;

    private long lastWallNanos = System.nanoTime();
    private long lastCpuNanos = processCpuNanos();
    private double cpuPercent;

    /** Resident set size in bytes. */
    public long rssBytes() {
        try {
            String[] fields = Files.readString(STATM, StandardCharsets.US_ASCII).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            Runtime rt = Runtime.getRuntime();
            return rt.totalMemory() + ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getCommitted();
        }
    }

    /** CPU use in percent of one core, rounded to one decimal as nats-server does. */
    public synchronized double cpuPercent() {
        long now = System.nanoTime();
        long wall = now - lastWallNanos;
        if (wall >= SAMPLE_NANOS) {
            long cpu = processCpuNanos();
            cpuPercent = Math.round((cpu - lastCpuNanos) * 1000.0 / wall) / 10.0;
            lastWallNanos = now;
            lastCpuNanos = cpu;
        }
        return cpuPercent;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }
}
