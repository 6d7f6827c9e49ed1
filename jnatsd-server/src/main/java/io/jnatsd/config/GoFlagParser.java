package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command-line parser with the syntax of Go's {@code flag} package, which nats-server uses:
 * <ul>
 *   <li>{@code -name} and {@code --name} are the same; names are whole words ({@code -DV} is one flag, never
 *       {@code -D -V});</li>
 *   <li>values: {@code -name value}, {@code -name=value}; a bool flag takes a value only with {@code =};</li>
 *   <li>parsing stops at the first argument that is not a flag, at {@code --} (consumed) and at a lone {@code -}
 *       (kept as a positional argument);</li>
 *   <li>errors carry the flag package's exact texts, always naming the flag with one dash.</li>
 * </ul>
 * Instances are immutable and thread-safe.
 */
final class GoFlagParser {

    /** Value type of a flag, as registered with Go's {@code BoolVar}, {@code IntVar}, {@code Int64Var}, ... */
    enum Kind {
        BOOL,
        /** Go {@code int}; jnatsd holds these in Java {@code int}, so the range is 32 bits. */
        INT,
        INT64,
        STRING
    }

    /** One flag as given on the command line, in order; value is a {@link Boolean}, {@link Long} or {@link String}. */
    record Assignment(String name, Object value) {
    }

    /** The flags given, in order, and the arguments left after the flags. */
    record Result(List<Assignment> assignments, List<String> positional) {
        Result {
            assignments = List.copyOf(assignments);
            positional = List.copyOf(positional);
        }
    }

    /** A command line the flag package rejects; the message is Go's text, printed before the usage. */
    static final class FlagException extends Exception {
        FlagException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Kind> definitions;

    GoFlagParser(Map<String, Kind> definitions) {
        this.definitions = Map.copyOf(definitions);
    }

    // nats-server: Go flag.go FlagSet.parseOne, applied until it reports the end of the flags.
    Result parse(List<String> args) throws FlagException {
        List<Assignment> assignments = new ArrayList<>();
        int index = 0;
        while (index < args.size()) {
            String arg = args.get(index);
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;                                   // positional, including a lone "-"
            }
            int dashes = 1;
            if (arg.charAt(1) == '-') {
                dashes = 2;
                if (arg.length() == 2) {
                    index++;                             // "--" ends the flags and is dropped
                    break;
                }
            }
            String name = arg.substring(dashes);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new FlagException("bad flag syntax: " + arg);
            }
            index++;
            String value = null;
            int equals = name.indexOf('=', 1);
            if (equals > 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Kind kind = definitions.get(name);
            if (kind == null) {
                throw new FlagException("flag provided but not defined: -" + name);
            }
            if (kind == Kind.BOOL) {
                if (value == null) {
                    assignments.add(new Assignment(name, Boolean.TRUE));
                    continue;
                }
                try {
                    assignments.add(new Assignment(name, GoNumbers.parseBool(value)));
                } catch (IllegalArgumentException e) {
                    throw new FlagException("invalid boolean value " + GoQuote.quote(value) + " for -" + name
                            + ": " + e.getMessage());
                }
                continue;
            }
            if (value == null) {
                if (index == args.size()) {
                    throw new FlagException("flag needs an argument: -" + name);
                }
                value = args.get(index++);
            }
            assignments.add(new Assignment(name, convert(name, kind, value)));
        }
        return new Result(assignments, args.subList(index, args.size()));
    }

    private static Object convert(String name, Kind kind, String value) throws FlagException {
        try {
            return switch (kind) {
                case INT -> GoNumbers.parseInt(value, 32);
                case INT64 -> GoNumbers.parseInt(value, 64);
                case STRING -> value;
                case BOOL -> throw new IllegalStateException("bool flags are handled by the caller");
            };
        } catch (IllegalArgumentException e) {
            throw new FlagException("invalid value " + GoQuote.quote(value) + " for flag -" + name + ": "
                    + e.getMessage());
        }
    }
}
