package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code --signal cmd[=pid|pidfile|prefix*]} command: signals a running server process and ends. Parsing
 * happens in {@link #parse} (split on {@code =}, read a pid file, check the pid's syntax); {@link #send} resolves
 * the target processes, maps the command to a signal and delivers it with {@code /bin/kill}. Every error text is
 * nats-server's, including the word {@code nats-server} (tools match it); the caller prints it as
 * {@code nats-server: <text>} and exits 1. Success prints nothing and exits 0.
 *
 * <table>
 *   <caption>Commands</caption>
 *   <tr><th>command</th><th>signal</th><th>effect on the server</th></tr>
 *   <tr><td>stop</td><td>KILL</td><td>immediate death, no cleanup</td></tr>
 *   <tr><td>quit</td><td>INT</td><td>shutdown</td></tr>
 *   <tr><td>term</td><td>TERM</td><td>shutdown (ignored in lame duck mode)</td></tr>
 *   <tr><td>reopen</td><td>USR1</td><td>reopen the log file</td></tr>
 *   <tr><td>reload</td><td>HUP</td><td>reload the configuration</td></tr>
 *   <tr><td>ldm</td><td>USR2</td><td>enter lame duck mode</td></tr>
 * </table>
 *
 * Without a pid, the running jnatsd processes are found through {@link ProcessHandle#allProcesses()}: a process
 * counts when its command line contains {@value #MAIN_CLASS} or {@value #JAR_NAME} (nats-server runs
 * {@code pgrep nats-server}); the current process is excluded. Immutable; {@link #send} may run on any thread.
 */
public final class SignalCommand {

    /** Command-line marker of a jnatsd process started from the classpath. */
    static final String MAIN_CLASS = "io.jnatsd.app.Main";
    /** Command-line marker of a jnatsd process started with {@code java -jar}. */
    static final String JAR_NAME = "jnatsd.jar";

    private static final String KILL_PROGRAM = "/bin/kill";

    /** The commands of {@code server/service.go} and the signals {@code server/signal.go CommandToSignal} sends. */
    public enum Command {
        STOP("stop", "KILL"),
        QUIT("quit", "INT"),
        TERM("term", "TERM"),
        REOPEN("reopen", "USR1"),
        RELOAD("reload", "HUP"),
        LDM("ldm", "USR2");

        private final String text;
        private final String signalName;

        Command(String text, String signalName) {
            this.text = text;
            this.signalName = signalName;
        }

        /** The word given on the command line. */
        public String text() {
            return text;
        }

        /** The signal name as {@code kill -s} takes it. */
        public String signalName() {
            return signalName;
        }

        /** The command for a word (case-sensitive, as in nats-server), if any. */
        public static Optional<Command> of(String text) {
            return Arrays.stream(values()).filter(c -> c.text.equals(text)).findFirst();
        }
    }

    /** Finds the pids of running servers, excluding the current process. */
    @FunctionalInterface
    interface PidResolver {
        List<Long> runningServers();
    }

    /** Delivers one signal; returns the failure text (Go's errno wording) or empty on success. */
    @FunctionalInterface
    interface SignalSender {
        Optional<String> send(long pid, Command command);
    }

    private final String commandText;
    private final String pidText;       // without the glob star; empty when no pid was given
    private final boolean glob;

    private SignalCommand(String commandText, String pidText, boolean glob) {
        this.commandText = commandText;
        this.pidText = pidText;
        this.glob = glob;
    }

    /**
     * Parses the {@code --signal} value.
     *
     * @throws IllegalArgumentException with nats-server's text: {@code invalid signal parameters: [..]} or
     *                                  {@code invalid pid: <pid>}
     */
    // nats-server: opts.go processSignal, maybeReadPidFile; signal.go ProcessSignal (input validation part)
    public static SignalCommand parse(String value) {
        String[] parts = value.split("=", -1);
        String pidExpression = "";
        if (parts.length > 2) {
            throw new IllegalArgumentException("invalid signal parameters: "
                    + "[" + String.join(" ", Arrays.asList(parts).subList(2, parts.length)) + "]");
        } else if (parts.length == 2) {
            pidExpression = readPidFileOrKeep(parts[1]);
        }
        boolean glob = pidExpression.endsWith("*");
        String pid = glob ? pidExpression.substring(0, pidExpression.length() - 1) : pidExpression;
        if (!pid.isEmpty() && !isValidPid(pid)) {
            throw new IllegalArgumentException("invalid pid: " + pid);
        }
        return new SignalCommand(parts[0], pid, glob);
    }

    /** The command word as given (not yet checked). */
    public String commandText() {
        return commandText;
    }

    /** The pid or pid prefix given, empty if none. */
    public String pidText() {
        return pidText;
    }

    /** Whether the pid is a prefix ({@code 12*}) matching every running server whose pid starts with it. */
    public boolean isGlob() {
        return glob;
    }

    /**
     * Resolves the target processes and signals them.
     *
     * @return the error text (without the {@code nats-server: } prefix), or empty when every signal was sent
     */
    public Optional<String> send() {
        return send(SignalCommand::findRunningServers, SignalCommand::kill);
    }

    // nats-server: signal.go ProcessSignal (resolution and delivery part)
    Optional<String> send(PidResolver resolver, SignalSender sender) {
        List<Long> pids;
        if (pidText.isEmpty() || glob) {
            pids = resolver.runningServers();
        } else {
            pids = List.of(Long.parseLong(pidText));
        }
        if (pids.size() > 1 && !glob) {
            StringBuilder message = new StringBuilder("multiple " + Versions.PROGRAM_NAME + " processes running:");
            pids.forEach(pid -> message.append('\n').append(pid));
            return Optional.of(message.toString());
        }
        if (pids.isEmpty()) {
            return Optional.of("no " + Versions.PROGRAM_NAME + " processes running");
        }
        Optional<Command> command = Command.of(commandText);
        if (command.isEmpty()) {
            return Optional.of("unknown signal " + GoQuote.quote(commandText));
        }
        StringBuilder errors = new StringBuilder();
        for (long pid : pids) {
            if (glob && !Long.toString(pid).startsWith(pidText)) {
                continue;
            }
            sender.send(pid, command.get()).ifPresent(failure -> errors.append("\nsignal ")
                    .append(GoQuote.quote(commandText)).append(' ').append(pid).append(": ").append(failure));
        }
        return errors.isEmpty() ? Optional.empty() : Optional.of(errors.toString());
    }

    /**
     * A pid is decimal digits with an optional {@code +}, as Go's {@code strconv.Atoi} takes it, and must be
     * positive. Deviation: nats-server also takes {@code 0} and negative numbers, which {@code kill(2)} reads as
     * "every process of the group / the user"; jnatsd refuses them as {@code invalid pid}.
     */
    private static boolean isValidPid(String pid) {
        String digits = pid.startsWith("+") ? pid.substring(1) : pid;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        try {
            return Long.parseLong(digits) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** nats-server reads the value as a pid file when such a file is readable; the content is taken raw. */
    private static String readPidFileOrKeep(String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            return Files.readString(Path.of(value), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return value;
        }
    }

    static List<Long> findRunningServers() {
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(SignalCommand::isServerCommandLine).orElse(false))
                .forEach(p -> pids.add(p.pid()));
        pids.sort(null);
        return pids;
    }

    static boolean isServerCommandLine(String commandLine) {
        return commandLine.contains(MAIN_CLASS) || commandLine.contains(JAR_NAME);
    }

    /** Sends with {@code /bin/kill -s <SIG> <pid>}; the JDK cannot send arbitrary signals. */
    static Optional<String> kill(long pid, Command command) {
        return runKill(() -> new ProcessBuilder(KILL_PROGRAM, "-s", command.signalName(), Long.toString(pid)));
    }

    static Optional<String> runKill(Supplier<ProcessBuilder> builder) {
        try {
            Process process = builder.get().redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int exit = process.waitFor();
            return exit == 0 ? Optional.empty() : Optional.of(errnoText(output));
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /**
     * Turns kill's complaint ({@code /bin/kill: (123): No such process}) into Go's errno text
     * ({@code no such process}).
     */
    static String errnoText(String killOutput) {
        String line = killOutput.strip().lines().findFirst().orElse("").strip();
        int colon = line.lastIndexOf(": ");
        String reason = colon >= 0 ? line.substring(colon + 2) : line;
        return reason.toLowerCase(java.util.Locale.ROOT);
    }
}
