package io.jnatsd.app.logging;

import static io.jnatsd.app.logging.TestEvents.PID_PREFIX;
import static io.jnatsd.app.logging.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatsFileAppenderTest {

    @TempDir
    Path dir;

    private NatsFileAppender appender;

    @AfterEach
    void stop() {
        if (appender != null) {
            appender.stop();
        }
    }

    @Test
    void shouldAppendPlainLinesToFileWithMode0640() throws IOException {
        Path file = dir.resolve("nats.log");
        Files.writeString(file, "existing\n");
        Path created = dir.resolve("new.log");

        appender = start(file, new NatsLayout(false, false, true), 0, 0);
        appender.doAppend(event(Level.WARN, "hello"));
        NatsFileAppender second = start(created, new NatsLayout(true, false, false), 0, 0);
        second.doAppend(event(Level.INFO, "x"));
        second.stop();

        assertThat(Files.readString(file)).isEqualTo("existing\n" + PID_PREFIX + "[WRN] hello\n");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(created);
        assertThat(permissions).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ,
                        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void shouldRotateWhenWriteExceedsLimit() throws IOException {
        Path file = dir.resolve("nats.log");
        appender = start(file, new NatsLayout(false, false, false), 300, 0);
        String message = "0123456789".repeat(10);
        String line = PID_PREFIX + "[INF] " + message + "\n";
        int linesToExceed = 300 / line.length() + 1;

        for (int i = 0; i < linesToExceed - 1; i++) {
            appender.doAppend(event(Level.INFO, message));
        }
        assertThat(backups(file)).isEmpty();
        appender.doAppend(event(Level.INFO, message));

        List<Path> backups = backups(file);
        assertThat(backups).hasSize(1);
        Path backup = backups.getFirst();
        assertThat(backup.toString()).matches(Pattern.quote(file.toString())
                + "\\.\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{9}");
        assertThat(Files.readString(backup)).isEqualTo(line.repeat(linesToExceed));
        assertThat(Files.readString(file))
                .isEqualTo(PID_PREFIX + "[INF] Rotated log, backup saved as \"" + backup + "\"\r\n");

        appender.doAppend(event(Level.ERROR, "after"));
        assertThat(Files.readString(file)).endsWith("\"\r\n" + PID_PREFIX + "[ERR] after\n");
    }

    @Test
    void shouldWriteTimestampOnRotatedLine() throws IOException {
        Path file = dir.resolve("t.log");
        appender = start(file, new NatsLayout(true, true, false), 10, 0);

        appender.doAppend(event(Level.INFO, "more than ten bytes"));

        assertThat(Files.readString(file)).matches(Pattern.quote(PID_PREFIX) + TestEvents.TIMESTAMP
                + Pattern.quote("[INF] Rotated log, backup saved as \"" + file + ".") + "[0-9.]+\"\r\n");
    }

    @Test
    void shouldPurgeOldestBackupsBeyondMaxFiles() throws IOException {
        Path file = dir.resolve("nats.log");
        Files.writeString(dir.resolve("nats.log.2000.01.01.00.00.00.000000002"), "old2");
        Files.writeString(dir.resolve("nats.log.2000.01.01.00.00.00.000000001"), "old1");
        Files.writeString(dir.resolve("nats.log.2000.01.01.00.00.00.000000003"), "old3");
        Files.writeString(dir.resolve("nats.log.2000.13.01.00.00.00.000000001"), "not a stamp: month 13");
        Files.writeString(dir.resolve("nats.log.old"), "not a stamp");
        Files.createDirectory(dir.resolve("nats.log.2000.01.01.00.00.00.000000000"));
        appender = start(file, new NatsLayout(false, false, false), 10, 3);

        appender.doAppend(event(Level.INFO, "more than ten bytes"));

        Path backup = backups(file).getLast();
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("nats.log",
                    "nats.log.2000.01.01.00.00.00.000000003", backup.getFileName().toString(),
                    "nats.log.2000.13.01.00.00.00.000000001", "nats.log.old",
                    "nats.log.2000.01.01.00.00.00.000000000");
        }
        assertThat(Files.readString(file)).isEqualTo(
                PID_PREFIX + "[INF] Rotated log, backup saved as \"" + backup + "\"\r\n"
                        + PID_PREFIX + "[INF] Purged log file \"nats.log.2000.01.01.00.00.00.000000001\"\r\n"
                        + PID_PREFIX + "[INF] Purged log file \"nats.log.2000.01.01.00.00.00.000000002\"\r\n");
    }

    @Test
    void shouldKeepAtMostMaxFilesOverManyRotations() throws IOException {
        Path file = dir.resolve("many.log");
        appender = start(file, new NatsLayout(false, false, false), 10, 2);

        for (int i = 0; i < 5; i++) {
            appender.doAppend(event(Level.INFO, "rotation " + i));
        }

        List<Path> backups = backups(file);
        assertThat(backups).hasSize(1);
        assertThat(Files.readString(backups.getFirst())).endsWith("[INF] rotation 4\n");
        assertThat(Files.readString(file)).contains("[INF] Purged log file \"many.log.");
    }

    @Test
    void shouldRotateAtStartWhenFileIsAlreadyOverLimit() throws IOException {
        Path file = dir.resolve("big.log");
        Files.writeString(file, "x".repeat(200) + "\n");

        appender = start(file, new NatsLayout(false, false, false), 100, 0);

        List<Path> backups = backups(file);
        assertThat(backups).hasSize(1);
        assertThat(Files.readString(backups.getFirst()))
                .isEqualTo("x".repeat(200) + "\n" + PID_PREFIX + "[INF] Rotating logfile...\n");
        assertThat(Files.readString(file)).startsWith(PID_PREFIX + "[INF] Rotated log, backup saved as ");
    }

    @Test
    void shouldReopenFileMovedAway() throws IOException {
        Path file = dir.resolve("nats.log");
        Path moved = dir.resolve("nats.log.moved");
        appender = start(file, new NatsLayout(false, false, false), 0, 0);
        appender.doAppend(event(Level.INFO, "before"));
        Files.move(file, moved);

        appender.doAppend(event(Level.INFO, "still old file"));
        appender.reopen();
        appender.doAppend(event(Level.INFO, "after"));

        assertThat(Files.readString(moved))
                .isEqualTo(PID_PREFIX + "[INF] before\n" + PID_PREFIX + "[INF] still old file\n");
        assertThat(Files.readString(file)).isEqualTo(PID_PREFIX + "[INF] after\n");
    }

    @Test
    void shouldFailWithGoTextWhenFileCannotBeOpened() {
        Path file = dir.resolve("missing").resolve("nats.log");
        NatsFileAppender broken = new NatsFileAppender(file, new NatsLayout(false, false, false), 0, 0);
        broken.setContext(new LoggerContext());

        assertThatThrownBy(broken::start).isInstanceOf(LoggingSetupException.class)
                .hasMessage("error opening file: open " + file + ": no such file or directory");
        assertThat(broken.isStarted()).isFalse();
    }

    @Test
    void shouldRecogniseBackupStampsAsGoParsesThem() {
        assertThat(NatsFileAppender.isBackupStamp("2024.02.29.23.59.59.123456789")).isTrue();
        assertThat(NatsFileAppender.isBackupStamp("2024.02.29.3.04.05")).isTrue();
        assertThat(NatsFileAppender.isBackupStamp("2023.02.29.23.59.59.123456789")).isFalse();
        assertThat(NatsFileAppender.isBackupStamp("2024.00.01.00.00.00.000000000")).isFalse();
        assertThat(NatsFileAppender.isBackupStamp("2024.01.01.24.00.00.000000000")).isFalse();
        assertThat(NatsFileAppender.isBackupStamp("2024.01.01.00.00.00.000000000.gz")).isFalse();
        assertThat(NatsFileAppender.isBackupStamp("bak")).isFalse();
        assertThat(NatsFileAppender.backupSuffix(LocalDateTime.of(2024, 3, 4, 5, 6, 7, 8)))
                .isEqualTo(".2024.03.04.05.06.07.000000008");
    }

    private static NatsFileAppender start(Path file, NatsLayout layout, long limitBytes, int maxFiles) {
        NatsFileAppender started = new NatsFileAppender(file, layout, limitBytes, maxFiles);
        started.setContext(new LoggerContext());
        started.start();
        return started;
    }

    private static List<Path> backups(Path file) throws IOException {
        Pattern stamp = Pattern.compile(Pattern.quote(file.getFileName().toString())
                + "\\.\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{9}");
        try (Stream<Path> entries = Files.list(file.getParent())) {
            return entries.filter(p -> stamp.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }
}
