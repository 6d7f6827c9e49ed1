package io.jnatsd.app.logging;

import io.jnatsd.common.GoQuote;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nats-server's file logger: appends {@link NatsLayout} lines (never coloured) to a file created with mode 0640.
 * <p>
 * With a size limit, a write that takes the file past the limit is followed by a rotation: the file is renamed to
 * {@code <file>.YYYY.MM.DD.HH.MM.SS.NNNNNNNNN} (local time), reopened, and its first line becomes
 * {@code [INF] Rotated log, backup saved as "<backup>"}. With a maximum number of files, the oldest backups are then
 * deleted so that at most that many files remain including the current one, each deletion logged as
 * {@code Purged log file "<name>"}. Lines the rotator writes itself end with {@code \r\n}.
 * <p>
 * Thread-safe: every write, rotation and {@link #reopen()} holds the appender lock.
 */
public final class NatsFileAppender extends AppenderBase<ILoggingEvent> {

    private static final FileAttribute<Set<java.nio.file.attribute.PosixFilePermission>> LOG_PERMISSIONS =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----"));
    /** Go's {@code time.Parse("2006:01:02:15:04:05.999999999", ...)} after the first five dots became colons. */
    private static final Pattern BACKUP_STAMP =
            Pattern.compile("(\\d{4})\\.(\\d{2})\\.(\\d{2})\\.(\\d{1,2})\\.(\\d{2})\\.(\\d{2})(?:[.,]\\d+)?");

    private final Path file;
    private final String fileName;      // as configured: Go names the backup after the path it was given
    private final NatsLayout layout;
    private final long configuredLimitBytes;
    private final int maxFiles;

    private FileChannel channel;        // null after a failed reopen during rotation
    private long writtenBytes;
    private long limitBytes;

    /**
     * @param file       the log file ({@code log_file})
     * @param layout     line format; its colour setting is ignored
     * @param limitBytes rotate above this size ({@code logfile_size_limit}); 0 or less: never
     * @param maxFiles   files kept including the current one ({@code logfile_max_num}); 0 or less: keep all
     */
    public NatsFileAppender(Path file, NatsLayout layout, long limitBytes, int maxFiles) {
        this.file = file;
        this.fileName = file.toString();
        this.layout = layout.withoutColours();
        this.configuredLimitBytes = Math.max(0, limitBytes);
        this.maxFiles = Math.max(0, maxFiles);
        setName("jnatsd-file");
    }

    /**
     * Opens the file.
     *
     * @throws LoggingSetupException {@code error opening file: open <file>: <reason>} when it cannot be opened
     */
    @Override
    public void start() {
        synchronized (this) {
            openAndApplyLimit();
        }
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        synchronized (this) {
            closeQuietly();
        }
    }

    /**
     * Closes and reopens the same path, so that a file moved away by a rotation tool is replaced by a new one
     * (SIGUSR1). The size limit applies to the reopened file; the purge setting is kept.
     *
     * @throws LoggingSetupException when the file cannot be opened again
     */
    public synchronized void reopen() {
        // nats-server: server/log.go ReOpenLogFile (a new file logger on the same path)
        closeQuietly();
        openAndApplyLimit();
    }

    @Override
    protected void append(ILoggingEvent event) {
        write(layout.doLayout(event).getBytes(StandardCharsets.UTF_8));
    }

    /** Called with the lock held. */
    private void openAndApplyLimit() {
        try {
            channel = open();
            writtenBytes = channel.size();
        } catch (IOException e) {
            channel = null;
            throw new LoggingSetupException("error opening file: " + GoText.pathError("open", fileName, e), e);
        }
        limitBytes = configuredLimitBytes;
        if (limitBytes > 0 && writtenBytes > limitBytes) {
            // nats-server: logger/log.go fileLogger.setLimit (this line then triggers the rotation)
            write(layout.line(NatsLevel.INF, "Rotating logfile...", Instant.now()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private FileChannel open() throws IOException {
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    StandardOpenOption.CREATE), LOG_PERMISSIONS);
        } catch (UnsupportedOperationException noPosix) {
            return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    StandardOpenOption.CREATE);
        }
    }

    /** Called with the lock held. */
    private void write(byte[] bytes) {
        // nats-server: logger/log.go fileLogger.Write
        if (channel == null) {
            return;
        }
        try {
            writeFully(bytes);
        } catch (IOException e) {
            addError("Cannot write to " + fileName, e);
            return;
        }
        writtenBytes += bytes.length;
        if (limitBytes > 0 && writtenBytes > limitBytes) {
            rotate();
        }
    }

    private void writeFully(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Called with the lock held, right after a write took the file past the limit. */
    private void rotate() {
        try {
            channel.close();
        } catch (IOException e) {
            limitBytes *= 2;
            writeRotatorLine(NatsLevel.ERR, "Unable to close logfile for rotation (" + GoText.pathError("close",
                    fileName, e) + "), will attempt next rotation at size " + limitBytes);
            return;
        }
        String backup = fileName + backupSuffix(LocalDateTime.now());
        try {
            Files.move(file, Path.of(backup), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // Go ignores a failed rename and keeps appending to the same file
        }
        try {
            channel = open();
        } catch (IOException e) {
            // Go panics here; we stop writing until the next configure or reopen
            channel = null;
            addError("Unable to re-open the logfile " + GoQuote.quote(fileName) + " after rotation", e);
            return;
        }
        writtenBytes = writeRotatorLine(NatsLevel.INF, "Rotated log, backup saved as " + GoQuote.quote(backup));
        limitBytes = configuredLimitBytes;
        if (maxFiles > 0) {
            purge();
        }
    }

    /** {@code .YYYY.MM.DD.HH.MM.SS.NNNNNNNNN}. */
    static String backupSuffix(LocalDateTime now) {
        return String.format(".%04d.%02d.%02d.%02d.%02d.%02d.%09d", now.getYear(), now.getMonthValue(),
                now.getDayOfMonth(), now.getHour(), now.getMinute(), now.getSecond(), now.getNano());
    }

    /** Deletes the oldest backups beyond {@code maxFiles - 1}. Called with the lock held. */
    private void purge() {
        // nats-server: logger/log.go fileLogger.logPurge
        Path parent = file.toAbsolutePath().getParent();
        String directory = file.getParent() != null ? file.getParent().toString() : ".";
        String base = file.getFileName().toString();
        List<String> backups = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(base + ".") && isBackupStamp(name.substring(base.length() + 1))
                        && !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    backups.add(name);
                }
            }
        } catch (IOException e) {
            writeRotatorLine(NatsLevel.ERR, "Unable to read directory " + GoQuote.quote(directory)
                    + " for log purge (" + GoText.pathError("open", directory, e)
                    + "), will attempt next rotation");
            return;
        }
        Collections.sort(backups);       // oldest first: the stamp sorts lexically
        int excess = backups.size() - (maxFiles - 1);
        for (int i = 0; i < excess; i++) {
            Path backup = file.getParent() != null ? file.getParent().resolve(backups.get(i))
                    : Path.of(backups.get(i));
            try {
                Files.delete(backup);
            } catch (IOException e) {
                writeRotatorLine(NatsLevel.ERR, "Unable to remove backup log file " + GoQuote.quote(backups.get(i))
                        + " (" + GoText.pathError("remove", backup.toString(), e) + "), will attempt next rotation");
                return;
            }
            writeRotatorLine(NatsLevel.INF, "Purged log file " + GoQuote.quote(backups.get(i)));
        }
    }

    /** Whether a file name suffix is a valid rotation timestamp, with Go's calendar range checks. */
    static boolean isBackupStamp(String stamp) {
        Matcher m = BACKUP_STAMP.matcher(stamp);
        if (!m.matches()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        int second = Integer.parseInt(m.group(6));
        if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
            return false;
        }
        try {
            return day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth();
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Writes a line of the rotator's own (not counted towards the size); returns its length in bytes. */
    private int writeRotatorLine(NatsLevel level, String message) {
        byte[] bytes = layout.rotatorLine(level, message, Instant.now()).getBytes(StandardCharsets.UTF_8);
        if (channel != null && channel.isOpen()) {
            try {
                writeFully(bytes);
            } catch (IOException e) {
                addError("Cannot write to " + fileName, e);
            }
        }
        return bytes.length;
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                addError("Cannot close " + fileName, e);
            }
            channel = null;
        }
    }
}
