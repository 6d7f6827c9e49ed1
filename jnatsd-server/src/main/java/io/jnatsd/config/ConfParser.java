package io.jnatsd.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Entry point for reading nats-server configuration files (the language of nats-server {@code conf/}).
 *
 * <p>Parsing is always done the way nats-server reads its config file ({@code ParseFileWithChecks}): every
 * value carries its position, includes are resolved relative to the including file, {@code $NAME} resolves to an
 * earlier key in an enclosing map or else to the environment variable {@code NAME} (whose text is parsed as a
 * config value), and errors carry nats-server's exact text.
 *
 * <p>Stateless; safe from any thread.
 */
public final class ConfParser {

    private ConfParser() {
    }

    /** Reads and parses a file; includes are relative to its directory, environment variables come from the OS. */
    public static ConfDocument parseFile(Path file) throws ConfException {
        return parseFile(file, System::getenv);
    }

    /**
     * Parses text. {@code fileForPositions} (may be null) is the file name used in positions and the anchor for
     * includes; without it positions read {@code :<line>:<col>} and includes are relative to the working
     * directory.
     */
    public static ConfDocument parseString(String text, Path fileForPositions) throws ConfException {
        return parseString(text, fileForPositions, System::getenv);
    }

    /** {@link #parseFile(Path)} with an injected environment lookup (returns null for unset variables). */
    static ConfDocument parseFile(Path file, Function<String, String> env) throws ConfException {
        Objects.requireNonNull(file, "file");
        ConfBuilder.Session session = new ConfBuilder.Session(env);
        Map<String, ConfValue> root = ConfBuilder.parseFile(file.toString(), true, session);
        return new ConfDocument(root, session.usedAsVariable());
    }

    /** {@link #parseString(String, Path)} with an injected environment lookup. */
    static ConfDocument parseString(String text, Path fileForPositions, Function<String, String> env)
            throws ConfException {
        Objects.requireNonNull(text, "text");
        ConfBuilder.Session session = new ConfBuilder.Session(env);
        String sourceFile = fileForPositions == null ? "" : fileForPositions.toString();
        Map<String, ConfValue> root = ConfBuilder.parse(text.getBytes(StandardCharsets.UTF_8), sourceFile, session);
        return new ConfDocument(root, session.usedAsVariable());
    }
}
