package io.jnatsd.bench.tool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads a server process's resident memory and CPU time from Linux's {@code /proc}, and finds the process that
 * listens on a local TCP port. Every method returns "unknown" (-1, empty) rather than failing where {@code /proc}
 * is missing or unreadable. Stateless and thread-safe.
 */
final class ProcStats {

    /** Clock ticks per second of {@code /proc/<pid>/stat} times (Linux USER_HZ, 100 on every mainstream arch). */
    static final long TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    private ProcStats() {
    }

    /** {@code VmRSS} of {@code pid} in KiB, or -1. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    return parseKb(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The number in a {@code /proc/<pid>/status} line such as {@code "VmRSS:   123456 kB"}. */
    static long parseKb(String statusLine) {
        String[] parts = statusLine.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a status line: " + statusLine);
        }
        return Long.parseLong(parts[1]);
    }

    /** User + system CPU time of {@code pid} in nanoseconds, or -1. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            return parseStatCpuTicks(stat) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in ticks. */
    static long parseStatCpuTicks(String stat) {
        // the command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The process listening on TCP {@code port} (IPv4 or IPv6), if this user may see it. */
    static OptionalLong findListeningPid(int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        long inode = -1;
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(PROC.resolve("net").resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(":" + hexPort)) {
                        inode = Long.parseLong(f[9]);
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // try the next table
            }
            if (inode > 0) {
                break;
            }
        }
        if (inode <= 0) {
            return OptionalLong.empty();
        }
        String socket = "socket:[" + inode + "]";
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (socket.equals(readLink(fd))) {
                            return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or it just exited
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
