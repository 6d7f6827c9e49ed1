package io.jnatsd.app;

import io.jnatsd.common.logging.NatsLogger;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Undoes an ignored signal disposition inherited from the parent process. A shell starts background jobs with
 * SIGINT ignored, and the JVM then refuses to install a handler for it; Go's runtime installs one anyway, so
 * nats-server started in the background still stops on SIGINT ({@code --signal quit}). Before trapping, jnatsd
 * reads the disposition with {@code sigaction(2)} and, only when it is {@code SIG_IGN}, resets it to
 * {@code SIG_DFL}. Linux/glibc layout: {@code sa_handler} is the first field of {@code struct sigaction}.
 */
final class InheritedSignals {

    private static final NatsLogger LOG = NatsLogger.get(InheritedSignals.class);
    private static final long SIG_IGN = 1;
    private static final long SIGACTION_STRUCT_BYTES = 256; // larger than glibc's struct sigaction on any arch

    private InheritedSignals() {
    }

    /** Resets {@code signalNumber} to its default action if it is ignored; quietly does nothing where FFM fails. */
    static void unignore(int signalNumber) {
        if (!possiblyIgnored(signalNumber)) {
            return;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle sigaction = linker.downcallHandle(linker.defaultLookup().find("sigaction").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS));
            MethodHandle signal = linker.downcallHandle(linker.defaultLookup().find("signal").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment current = arena.allocate(SIGACTION_STRUCT_BYTES, 8);
                int rc = (int) sigaction.invokeExact(signalNumber, MemorySegment.NULL, current);
                if (rc == 0 && current.get(ValueLayout.JAVA_LONG, 0) == SIG_IGN) {
                    MemorySegment previous = (MemorySegment) signal.invokeExact(signalNumber, MemorySegment.NULL);
                    LOG.debug("Signal " + signalNumber + " was ignored by the parent (" + previous.address()
                            + "), reset to its default");
                }
            }
        } catch (Throwable e) {
            LOG.debug("Cannot inspect the disposition of signal " + signalNumber + ": " + e);
        }
    }

    /**
     * Whether the kernel's mask of ignored signals ({@code SigIgn} in {@code /proc/self/status}) has
     * {@code signalNumber}, or cannot be read. Reading it is cheap; setting up the FFM downcalls costs about a
     * tenth of a second of start-up, so they are used only when the signal is ignored.
     */
    static boolean possiblyIgnored(int signalNumber) {
        try {
            return ignoredIn(Files.readString(Path.of("/proc/self/status")), signalNumber);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Whether the {@code SigIgn} mask of a {@code /proc/<pid>/status} text has {@code signalNumber}; true without one. */
    static boolean ignoredIn(String procStatus, int signalNumber) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask & (1L << (signalNumber - 1))) != 0;
            }
        }
        return true;
    }
}
