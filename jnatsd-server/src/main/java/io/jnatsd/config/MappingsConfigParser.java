package io.jnatsd.config;

import io.jnatsd.common.GoQuote;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.InvalidMappingException;
import io.jnatsd.subject.transform.SubjectMappings;
import io.jnatsd.subject.transform.SubjectMappings.Destination;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code mappings} (alias {@code maps}) block, the top-level one for the global account {@code $G} or an
 * account's own, into {@link SubjectMappings}. Each entry maps a source subject to a destination string, to one
 * destination map {@code {dest|destination, weight, cluster}} or to a list of them; weights are integers or
 * {@code "NN%"} strings from 0 to 100. Problems are collected as {@code <file>:<line>:<col>: <reason>} with
 * nats-server's texts, and the entry in error is left out.
 * <p>
 * Stateless; thread-safe.
 */
// nats-server: opts.go parseAccountMappings, parseAccountMapDest
public final class MappingsConfigParser {

    private MappingsConfigParser() {
    }

    /**
     * Parses a {@code mappings} value.
     *
     * @param value  the block as parsed from the file
     * @param errors where problems are added
     * @return the valid mappings, in file order ({@link SubjectMappings#EMPTY} when none)
     */
    public static SubjectMappings parse(ConfValue value, List<String> errors) {
        SubjectMappings mappings = SubjectMappings.EMPTY;
        Map<String, ConfValue> block;
        try {
            block = value.asMap();
        } catch (IllegalStateException e) {
            errors.add(value.position() + ": " + e.getMessage());
            return mappings;
        }
        for (Map.Entry<String, ConfValue> entry : block.entrySet()) {
            String source = entry.getKey();
            ConfValue target = entry.getValue();
            if (!Subjects.isValidSubject(source)) {
                errors.add(value.position() + ": Subject " + GoQuote.quote(source) + " is not a valid subject");
                continue;
            }
            try {
                if (target.isString()) {
                    String dest = target.asString();
                    try {
                        mappings = mappings.with(source, dest);
                    } catch (InvalidMappingException e) {
                        errors.add(target.position() + ": Error adding mapping for " + GoQuote.quote(source) + " to "
                                + GoQuote.quote(dest) + " : " + e.getMessage());
                    }
                    continue;
                }
                List<Destination> destinations = new ArrayList<>();
                boolean valid = true;
                if (target.isList()) {
                    for (ConfValue element : target.asList()) {
                        Destination d = destination(element, errors);
                        if (d != null) {
                            destinations.add(d);
                        }
                    }
                } else {
                    Destination d = destination(target, errors);
                    valid = d != null;
                    if (valid) {
                        destinations.add(d);
                    }
                }
                if (valid) {
                    try {
                        mappings = mappings.with(source, destinations);
                    } catch (InvalidMappingException e) {
                        errors.add(target.position() + ": Error adding mapping for " + GoQuote.quote(source) + " : "
                                + e.getMessage());
                    }
                }
            } catch (IllegalStateException e) {
                // nats-server panics on a value of the wrong type and reports the panic text
                errors.add(target.position() + ": " + e.getMessage());
            }
        }
        return mappings;
    }

    // nats-server: opts.go parseAccountMapDest
    private static Destination destination(ConfValue value, List<String> errors) {
        if (!value.isMap()) {
            errors.add(value.position() + ": Expected an entry for the mapping destination");
            return null;
        }
        String subject = "";
        String cluster = "";
        Integer weight = null;
        for (Map.Entry<String, ConfValue> field : value.asMap().entrySet()) {
            ConfValue v = field.getValue();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "dest", "destination" -> subject = v.asString();
                case "cluster" -> cluster = v.asString();
                case "weight" -> {
                    weight = weight(v, errors);
                    if (weight == null) {
                        return null;
                    }
                }
                default -> {
                    errors.add(v.position() + ": Unknown field " + GoQuote.quote(field.getKey())
                            + " for mapping destination");
                    return null;
                }
            }
        }
        if (weight == null) {
            errors.add(value.position() + ": Missing weight for mapping destination " + GoQuote.quote(subject));
            return null;
        }
        return new Destination(subject, weight, cluster);
    }

    private static Integer weight(ConfValue v, List<String> errors) {
        long weight;
        if (v.isString()) {
            String text = v.asString();
            if (text.endsWith("%")) {
                text = text.substring(0, text.length() - 1);
            }
            try {
                weight = goAtoi(text);
            } catch (NumberFormatException e) {
                errors.add(v.position() + ": Invalid weight " + GoQuote.quote(text) + " for mapping destination");
                return null;
            }
        } else if (v.isLong()) {
            weight = v.asLong();
        } else {
            errors.add(v.position() + ": Unknown entry type for weight of " + v.toPlain() + "\n");
            return null;
        }
        if (weight > 100 || weight < 0) {
            errors.add(v.position() + ": Invalid weight " + weight + " for mapping destination");
            return null;
        }
        return (int) weight;
    }

    /** Go's {@code strconv.Atoi}: optional sign, ASCII digits, int64 range. */
    private static long goAtoi(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) {
            throw new NumberFormatException(s);
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new NumberFormatException(s);
            }
        }
        return Long.parseLong(s);
    }
}
