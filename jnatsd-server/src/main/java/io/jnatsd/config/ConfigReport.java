package io.jnatsd.config;

import java.util.List;

/**
 * What applying a configuration file produced besides the options: warnings and errors, each already in
 * nats-server's text ({@code <file>:<line>:<col>: <reason>}), and the file's digest. A file that could not be
 * read or parsed at all yields a single {@link #fatalError()} instead (the parser's message, e.g.
 * {@code open x: no such file or directory} or {@code Parse error on line 3: '...'}). Immutable.
 *
 * @param warnings   warnings in the order found
 * @param errors     errors in the order found
 * @param fatalError the read/parse failure, or null
 * @param digest     {@code sha256:<hex>} of the parsed file, or empty when there is none
 */
public record ConfigReport(List<String> warnings, List<String> errors, String fatalError, String digest) {

    public ConfigReport {
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
        digest = digest == null ? "" : digest;
    }

    /** A report for a file that could not be read or parsed. */
    static ConfigReport fatal(String message) {
        return new ConfigReport(List.of(), List.of(), message, "");
    }

    /** Whether the options must not be used (an error or a fatal failure). */
    public boolean hasErrors() {
        return fatalError != null || !errors.isEmpty();
    }

    /** Whether there is anything to report. */
    public boolean hasProblems() {
        return hasErrors() || !warnings.isEmpty();
    }

    /**
     * The text nats-server prints for these problems: the fatal message as is; otherwise every warning, then every
     * error, each followed by a newline ({@code server/errors.go processConfigErr.Error}). Empty if none.
     */
    public String text() {
        if (fatalError != null) {
            return fatalError;
        }
        StringBuilder out = new StringBuilder();
        warnings.forEach(w -> out.append(w).append('\n'));
        errors.forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }
}
