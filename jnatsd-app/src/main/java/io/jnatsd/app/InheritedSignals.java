package io.jnatsd.app;

import io.jnatsd.common.logging.NatsLogger;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

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
}
