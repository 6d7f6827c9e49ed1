package io.jnatsd.server.monitor;

import io.jnatsd.common.GoQuote;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of a monitoring request, read as nats-server's handlers read it ({@code r.URL.Query().Get}: the first
 * value, empty when absent) with its decoders' exact errors ({@code decodeBool}, {@code decodeInt},
 * {@code decodeUint64}, {@code decodeState}; monitor.go). Immutable.
 */
final class QueryParams {

    private final Map<String, List<String>> values;

    QueryParams(Map<String, List<String>> values) {
        this.values = values;
    }

    /** The first value of {@code name}, or empty. */
    String get(String name) {
        List<String> list = values.get(name);
        return list == null || list.isEmpty() ? "" : list.getFirst();
    }

    /** Every value of {@code name}, in order. */
    List<String> all(String name) {
        List<String> list = values.get(name);
        return list == null ? List.of() : list;
    }

    /** A bad parameter: answered with 400 and this text. */
    static final class BadParameter extends Exception {
        private static final long serialVersionUID = 1L;

        BadParameter(String message) {
            super(message, null, false, false);
        }
    }

    /** Go's {@code strconv.ParseBool} of the parameter; false when absent. */
    // nats-server: monitor.go decodeBool
    boolean bool(String name) throws BadParameter {
        String v = get(name);
        return switch (v) {
            case "" -> false;
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new BadParameter("Error decoding boolean for '" + name
                    + "': strconv.ParseBool: parsing " + GoQuote.quote(v) + ": invalid syntax");
        };
    }

    /** Go's {@code strconv.Atoi} of the parameter (saturated to Java's int); 0 when absent. */
    // nats-server: monitor.go decodeInt
    int integer(String name) throws BadParameter {
        String v = get(name);
        if (v.isEmpty()) {
            return 0;
        }
        String error = checkDecimal(v, true);
        if (error != null) {
            throw new BadParameter("Error decoding int for '" + name + "': strconv.Atoi: parsing "
                    + GoQuote.quote(v) + ": " + error);
        }
        long value = Long.parseLong(v);
        return Math.clamp(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Go's {@code strconv.ParseUint(v, 10, 64)} of the parameter (as an unsigned long); 0 when absent. */
    // nats-server: monitor.go decodeUint64
    long unsigned(String name) throws BadParameter {
        String v = get(name);
        if (v.isEmpty()) {
            return 0;
        }
        String error = checkDecimal(v, false);
        if (error != null) {
            throw new BadParameter("Error decoding uint64 for '" + name + "': strconv.ParseUint: parsing "
                    + GoQuote.quote(v) + ": " + error);
        }
        return Long.parseUnsignedLong(v);
    }

    /** {@code state}: open (default), closed, any or all, case-insensitive. */
    // nats-server: monitor.go decodeState
    ConnzOptions.ConnState state() throws BadParameter {
        String v = get("state");
        if (v.isEmpty()) {
            return ConnzOptions.ConnState.OPEN;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "open" -> ConnzOptions.ConnState.OPEN;
            case "closed" -> ConnzOptions.ConnState.CLOSED;
            case "any", "all" -> ConnzOptions.ConnState.ALL;
            default -> throw new BadParameter("Error decoding state for " + v);
        };
    }

    /** {@code subs}: {@code detail} (any case) for details, else a bool. Returns {subs, detail}. */
    // nats-server: monitor.go decodeSubs
    boolean[] subs() throws BadParameter {
        if ("detail".equals(get("subs").toLowerCase(Locale.ROOT))) {
            return new boolean[] {false, true};
        }
        return new boolean[] {bool("subs"), false};
    }

    /**
     * Null when {@code v} is a decimal Go accepts (an optional sign only when signed), else Go's error word:
     * {@code invalid syntax} or {@code value out of range}.
     */
    private static String checkDecimal(String v, boolean signed) {
        int i = 0;
        if (signed && (v.charAt(0) == '+' || v.charAt(0) == '-')) {
            i = 1;
        }
        if (i == v.length()) {
            return "invalid syntax";
        }
        for (int j = i; j < v.length(); j++) {
            char c = v.charAt(j);
            if (c < '0' || c > '9') {
                return "invalid syntax";
            }
        }
        try {
            if (signed) {
                Long.parseLong(v);
            } else {
                Long.parseUnsignedLong(v);
            }
        } catch (NumberFormatException e) {
            return "value out of range";
        }
        return null;
    }
}
