package io.jnatsd.app.logging;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What log lines say about this process: its pid, its program name (the syslog tag) and the host name. Stateless.
 */
final class ProcessIdentity {

    /**
     * System property naming the program as it was started (the launcher passes {@code $0}); Java has no
     * {@code argv[0]}, so without it the program is called {@value #DEFAULT_PROGRAM}.
     */
    static final String PROGRAM_PROPERTY = "jnatsd.program";
    static final String DEFAULT_PROGRAM = "jnatsd";

    private static final long PID = ProcessHandle.current().pid();
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private ProcessIdentity() {
    }

    static long pid() {
        return PID;
    }

    /** nats-server's {@code [<pid>] } line prefix. */
    static String pidPrefix() {
        return "[" + PID + "] ";
    }

    /** The syslog tag: the last non-empty {@code /}-separated part of the program name. */
    static String syslogTag() {
        // nats-server: logger/syslog.go GetSysLoggerTag
        String program = System.getProperty(PROGRAM_PROPERTY, DEFAULT_PROGRAM);
        String tag = program;
        if (program.indexOf('/') >= 0) {
            tag = "";
            for (String part : program.split("/")) {
                if (!part.isEmpty()) {
                    tag = part;
                }
            }
        }
        return tag.isEmpty() ? DEFAULT_PROGRAM : tag;
    }

    /** Go's {@code os.Hostname}: the kernel's host name, else the resolver's, else empty. */
    static String hostname() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // not Linux: fall through to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }
}
