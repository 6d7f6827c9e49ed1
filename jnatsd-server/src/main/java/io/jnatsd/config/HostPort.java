package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

/**
 * A host and port from a {@code listen}, {@code http} or {@code https} value: either a bare port number or a
 * {@code host:port} string split like Go's {@code net.SplitHostPort} (IPv6 hosts in brackets). Immutable.
 *
 * @param host the host, empty when only a port was given
 * @param port the port
 */
record HostPort(String host, int port) {

    /**
     * Parses a config value.
     *
     * @throws IllegalArgumentException with nats-server's text
     */
    // nats-server: opts.go parseListen
    static HostPort parseListen(Object value) {
        if (value instanceof Long port) {
            return new HostPort("", (int) Math.clamp(port, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        if (value instanceof String text) {
            String[] hostAndPort = splitHostPort(text);
            if (hostAndPort == null) {
                throw new IllegalArgumentException("could not parse address string " + GoQuote.quote(text));
            }
            return new HostPort(hostAndPort[0], atoi(hostAndPort[1]));
        }
        throw new IllegalArgumentException("expected port or host:port, got " + ConfigLoader.goType(value));
    }

    /** Go's {@code strconv.Atoi} (sign, decimal digits) within Java's int range; else nats-server's port error. */
    private static int atoi(String port) {
        if (port.matches("[+-]?[0-9]+")) {
            try {
                return Integer.parseInt(port);
            } catch (NumberFormatException e) {
                // out of range: reported below
            }
        }
        throw new IllegalArgumentException("could not parse port " + GoQuote.quote(port));
    }

    /** {@code net.SplitHostPort}: {host, port}, or null where Go returns an error. */
    static String[] splitHostPort(String hostPort) {
        int lastColon = hostPort.lastIndexOf(':');
        if (lastColon < 0) {
            return null;                                  // missing port in address
        }
        String host;
        int hostStart = 0;
        int hostEnd = 0;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 == hostPort.length() || close + 1 != lastColon) {
                return null;                              // missing ']', missing port or too many colons
            }
            host = hostPort.substring(1, close);
            hostStart = 1;
            hostEnd = close + 1;
        } else {
            host = hostPort.substring(0, lastColon);
            if (host.indexOf(':') >= 0) {
                return null;                              // too many colons
            }
        }
        if (hostPort.indexOf('[', hostStart) >= 0 || hostPort.indexOf(']', hostEnd) >= 0) {
            return null;                                  // unexpected '[' or ']'
        }
        return new String[] {host, hostPort.substring(lastColon + 1)};
    }
}
