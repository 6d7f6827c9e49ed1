package io.jnatsd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalCommandTest {

    @TempDir
    Path dir;

    private final List<String> sent = new ArrayList<>();

    private Optional<String> record(long pid, SignalCommand.Command command) {
        sent.add(command.signalName() + " " + pid);
        return Optional.empty();
    }

    @Test
    void shouldParseACommandAlone() {
        SignalCommand command = SignalCommand.parse("reload");
        assertThat(command.commandText()).isEqualTo("reload");
        assertThat(command.pidText()).isEmpty();
        assertThat(command.isGlob()).isFalse();
    }

    @Test
    void shouldParseAPidAPrefixAndAPlusSign() {
        assertThat(SignalCommand.parse("quit=123").pidText()).isEqualTo("123");
        SignalCommand glob = SignalCommand.parse("quit=12*");
        assertThat(glob.pidText()).isEqualTo("12");
        assertThat(glob.isGlob()).isTrue();
        assertThat(SignalCommand.parse("quit=*").isGlob()).isTrue();
        assertThat(SignalCommand.parse("quit=+5").pidText()).isEqualTo("+5");
        assertThat(SignalCommand.parse("quit=").pidText()).isEmpty();
    }

    @Test
    void shouldReadAPidFile() throws IOException {
        Path pidFile = dir.resolve("n.pid");
        Files.writeString(pidFile, "4567");
        assertThat(SignalCommand.parse("ldm=" + pidFile).pidText()).isEqualTo("4567");
    }

    @Test
    void shouldRejectAPidFileEndingWithANewline() throws IOException {
        Path pidFile = dir.resolve("n.pid");
        Files.writeString(pidFile, "123\n");
        assertThatThrownBy(() -> SignalCommand.parse("quit=" + pidFile)).hasMessage("invalid pid: 123\n");
    }

    @Test
    void shouldRejectMoreThanOneEqualsSign() {
        assertThatThrownBy(() -> SignalCommand.parse("quit=1=2=3")).hasMessage("invalid signal parameters: [2 3]");
        assertThatThrownBy(() -> SignalCommand.parse("quit=1=")).hasMessage("invalid signal parameters: []");
    }

    @ParameterizedTest
    @CsvSource({"quit=bar, bar", "foo=bar, bar", "quit=12x*, 12x", "quit=1.5, 1.5", "quit=0, 0", "quit=-1, -1",
        "quit=-1*, -1", "quit=99999999999999999999, 99999999999999999999"})
    void shouldRejectInvalidPidsBeforeLookingAtTheCommand(String value, String shown) {
        assertThatThrownBy(() -> SignalCommand.parse(value)).hasMessage("invalid pid: " + shown);
    }

    @ParameterizedTest
    @CsvSource({"stop, KILL", "quit, INT", "term, TERM", "reopen, USR1", "reload, HUP", "ldm, USR2"})
    void shouldMapEveryCommandToItsSignal(String text, String signal) {
        SignalCommand command = SignalCommand.parse(text + "=42");
        assertThat(command.send(() -> List.of(), this::record)).isEmpty();
        assertThat(sent).containsExactly(signal + " 42");
    }

    @Test
    void shouldRejectAnUnknownCommand() {
        SignalCommand command = SignalCommand.parse("Reload=42");
        assertThat(command.send(() -> List.of(), this::record)).contains("unknown signal \"Reload\"");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldResolveASingleRunningServer() {
        assertThat(SignalCommand.parse("reload").send(() -> List.of(77L), this::record)).isEmpty();
        assertThat(sent).containsExactly("HUP 77");
    }

    @Test
    void shouldReportNoRunningServerBeforeAnUnknownCommand() {
        assertThat(SignalCommand.parse("bogus").send(List::of, this::record))
                .contains("no nats-server processes running");
        assertThat(SignalCommand.parse("bogus").send(() -> List.of(5L), this::record))
                .contains("unknown signal \"bogus\"");
    }

    @Test
    void shouldRefuseToGuessAmongSeveralServers() {
        assertThat(SignalCommand.parse("quit").send(() -> List.of(11L, 12L), this::record))
                .contains("multiple nats-server processes running:\n11\n12");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSignalEveryServerMatchingAPrefix() {
        assertThat(SignalCommand.parse("term=12*").send(() -> List.of(12L, 123L, 212L, 1L), this::record)).isEmpty();
        assertThat(sent).containsExactly("TERM 12", "TERM 123");
        sent.clear();
        assertThat(SignalCommand.parse("term=*").send(() -> List.of(3L, 4L), this::record)).isEmpty();
        assertThat(sent).containsExactly("TERM 3", "TERM 4");
        sent.clear();
        assertThat(SignalCommand.parse("term=9*").send(() -> List.of(3L), this::record)).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(SignalCommand.parse("term=9*").send(List::of, this::record))
                .contains("no nats-server processes running");
    }

    @Test
    void shouldAppendEachSendFailure() {
        SignalCommand command = SignalCommand.parse("quit=5*");
        Optional<String> error = command.send(() -> List.of(5L, 50L, 51L),
                (pid, c) -> pid == 50 ? Optional.empty() : Optional.of("no such process"));
        assertThat(error).contains("\nsignal \"quit\" 5: no such process\nsignal \"quit\" 51: no such process");
    }

    @Test
    void shouldTurnKillComplaintsIntoGoErrnoTexts() {
        assertThat(SignalCommand.errnoText("/bin/kill: (99999999): No such process\n")).isEqualTo("no such process");
        assertThat(SignalCommand.errnoText("kill: (1): Operation not permitted")).isEqualTo("operation not permitted");
    }

    @Test
    void shouldRecognizeJnatsdCommandLines() {
        assertThat(SignalCommand.isServerCommandLine("/usr/bin/java -cp x io.jnatsd.app.Main -c a.conf")).isTrue();
        assertThat(SignalCommand.isServerCommandLine("/usr/bin/java -jar /opt/jnatsd.jar")).isTrue();
        assertThat(SignalCommand.isServerCommandLine("/usr/sbin/nats-server -p 4222")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"term", "stop", "quit"})
    void shouldSignalARealProcess(String commandText) throws Exception {
        Process sleep = new ProcessBuilder("sleep", "300").start();
        try {
            SignalCommand command = SignalCommand.parse(commandText + "=" + sleep.pid());
            assertThat(command.send()).isEmpty();
            assertThat(sleep.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int expectedSignal = switch (commandText) {
                case "term" -> 15;
                case "stop" -> 9;
                default -> 2;
            };
            assertThat(sleep.exitValue()).isEqualTo(128 + expectedSignal);
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void shouldExecuteASignalResultIntoAnExitCode() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "300").start();
        try {
            CommandLineResult.Signal result =
                    (CommandLineResult.Signal) CommandLine.parse("-sl", "term=" + sleep.pid());
            assertThat(result.execute()).isEqualTo(new CommandLineResult.PrintAndExit("", "", 0));
            assertThat(sleep.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void shouldReportAProcessThatDoesNotExist() {
        long missing = 4L * 1024 * 1024 + 1;      // above Linux's PID_MAX_LIMIT: never a live process
        Optional<String> error = SignalCommand.parse("quit=" + missing).send();
        assertThat(error).contains("\nsignal \"quit\" " + missing + ": no such process");
        CommandLineResult.Signal result = (CommandLineResult.Signal) CommandLine.parse("--signal=reload=" + missing);
        assertThat(result.execute()).isEqualTo(new CommandLineResult.PrintAndExit("",
                "nats-server: \nsignal \"reload\" " + missing + ": no such process\n", 1));
    }

    @Test
    void shouldFindRunningJnatsdProcessesByCommandLine() throws Exception {
        Process fake = new ProcessBuilder("sh", "-c", "sleep 300; true", SignalCommand.MAIN_CLASS).start();
        try {
            assertThat(SignalCommand.findRunningServers()).contains(fake.pid())
                    .doesNotContain(ProcessHandle.current().pid());
        } finally {
            fake.descendants().forEach(ProcessHandle::destroyForcibly);
            fake.destroyForcibly();
        }
        assertThat(fake.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(SignalCommand.findRunningServers()).doesNotContain(fake.pid());
    }
}
