package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of Go's {@code net/url} and {@code net} packages that nats-server's WebSocket code relies on:
 * {@code url.ParseRequestURI} (scheme, host and path of an absolute URL or of an origin-form request target, with
 * Go's error texts) and {@code net.SplitHostPort}. Only what the WebSocket origin checks and upgrade need is kept:
 * user information, queries and fragments are split off but not decoded. Stateless.
 *
 * @param scheme lower-cased scheme, empty for a path
 * @param host   the authority's host (with its {@code :port}), as Go's {@code URL.Host}
 * @param path   the path, still escaped (Go's {@code EscapedPath()} for valid input)
 */
public record GoUrl(String scheme, String host, String path) {

    /** A parse failure: {@link #getMessage()} is Go's {@code url.Error} text. */
    public static final class ParseException extends Exception {
        ParseException(String url, String reason) {
            super("parse " + GoQuote.quote(url) + ": " + reason, null, false, false);
        }
    }

    /** A {@code net.SplitHostPort} failure: {@link #getMessage()} is Go's {@code net.AddrError} text. */
    public static final class AddressException extends Exception {
        private final boolean missingPort;

        AddressException(String address, String reason) {
            super("address " + address + ": " + reason, null, false, false);
            this.missingPort = reason.equals(MISSING_PORT);
        }

        /** Whether the only problem is a missing port. */
        public boolean missingPort() {
            return missingPort;
        }
    }

    private static final String MISSING_PORT = "missing port in address";
    private static final String TOO_MANY_COLONS = "too many colons in address";

    /**
     * Go's {@code url.ParseRequestURI}: {@code raw} must be an absolute URL or an absolute path (no fragment
     * handling).
     *
     * @throws ParseException with Go's text ({@code parse "x.com": invalid URI for request}, ...)
     */
    // Go: net/url parse(rawURL, viaRequest=true)
    public static GoUrl parseRequestUri(String raw) throws ParseException {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new ParseException(raw, "net/url: invalid control character in URL");
            }
        }
        if (raw.isEmpty()) {
            throw new ParseException(raw, "empty url");
        }
        if (raw.equals("*")) {
            return new GoUrl("", "", "*");
        }
        String scheme = "";
        String rest = raw;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                continue;
            }
            if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break;
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    throw new ParseException(raw, "missing protocol scheme");
                }
                scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
                rest = raw.substring(i + 1);
            }
            break;
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new GoUrl(scheme, "", "");            // opaque (rootless) URL
            }
            throw new ParseException(raw, "invalid URI for request");
        }
        String host = "";
        if (!scheme.isEmpty() && rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            if (slash >= 0) {
                rest = authority.substring(slash);
                authority = authority.substring(0, slash);
            } else {
                rest = "";
            }
            int at = authority.lastIndexOf('@');
            String error = hostProblem(at < 0 ? authority : authority.substring(at + 1));
            if (error != null) {
                throw new ParseException(raw, error);
            }
            host = unescapeHost(raw, at < 0 ? authority : authority.substring(at + 1));
        }
        checkEscapes(raw, rest);
        return new GoUrl(scheme, host, rest);
    }

    // Go: net/url parseHost (the port checks)
    private static String hostProblem(String host) {
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                return "missing ']' in host";
            }
            String colonPort = host.substring(close + 1);
            if (!validOptionalPort(colonPort)) {
                return "invalid port " + GoQuote.quote(colonPort) + " after host";
            }
            return null;
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && !validOptionalPort(host.substring(colon))) {
            return "invalid port " + GoQuote.quote(host.substring(colon)) + " after host";
        }
        return null;
    }

    private static boolean validOptionalPort(String port) {
        if (port.isEmpty()) {
            return true;
        }
        if (port.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    // Go: net/url unescape(host, encodeHost)
    private static String unescapeHost(String raw, String host) throws ParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = host.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%') {
                if (i + 2 >= bytes.length || hex(bytes[i + 1]) < 0 || hex(bytes[i + 2]) < 0) {
                    String bad = new String(bytes, i, Math.min(3, bytes.length - i), StandardCharsets.UTF_8);
                    throw new ParseException(raw, "invalid URL escape " + GoQuote.quote(bad));
                }
                int decoded = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
                if (decoded < 0x80 && decoded != '%') {
                    // Go: percent-encoding in a host name is only allowed for non-ASCII bytes (and %25, RFC 6874)
                    throw new ParseException(raw, "invalid URL escape " + GoQuote.quote(
                            new String(bytes, i, 3, StandardCharsets.UTF_8)));
                }
                out.write(decoded);
                i += 2;
                continue;
            }
            if (b < 0x80 && !allowedInHost(b)) {
                throw new ParseException(raw, "invalid character " + GoQuote.quote(String.valueOf((char) b))
                        + " in host name");
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean allowedInHost(int c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "-_.~!$&'()*+,;=:[]<>\"".indexOf(c) >= 0;
    }

    // Go: net/url setPath (unescape in path mode: only the escapes are checked)
    private static void checkEscapes(String raw, String path) throws ParseException {
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) != '%') {
                continue;
            }
            if (i + 2 >= path.length() || hex((byte) path.charAt(i + 1)) < 0 || hex((byte) path.charAt(i + 2)) < 0) {
                String bad = path.substring(i, Math.min(path.length(), i + 3));
                throw new ParseException(raw, "invalid URL escape " + GoQuote.quote(bad));
            }
            i += 2;
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /**
     * Go's {@code net.SplitHostPort}: {host, port}.
     *
     * @throws AddressException with Go's text ({@code address x: missing port in address}, ...)
     */
    public static String[] splitHostPort(String hostPort) throws AddressException {
        int lastColon = hostPort.lastIndexOf(':');
        if (lastColon < 0) {
            throw new AddressException(hostPort, MISSING_PORT);
        }
        String host;
        int noOpenFrom = 0;
        int noCloseFrom = 0;
        if (hostPort.charAt(0) == '[') {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new AddressException(hostPort, "missing ']' in address");
            }
            if (close + 1 == hostPort.length()) {
                throw new AddressException(hostPort, MISSING_PORT);
            }
            if (close + 1 != lastColon) {
                throw new AddressException(hostPort, hostPort.charAt(close + 1) == ':' ? TOO_MANY_COLONS
                        : MISSING_PORT);
            }
            host = hostPort.substring(1, close);
            noOpenFrom = 1;
            noCloseFrom = close + 1;
        } else {
            host = hostPort.substring(0, lastColon);
            if (host.indexOf(':') >= 0) {
                throw new AddressException(hostPort, TOO_MANY_COLONS);
            }
        }
        if (hostPort.indexOf('[', noOpenFrom) >= 0) {
            throw new AddressException(hostPort, "unexpected '[' in address");
        }
        if (hostPort.indexOf(']', noCloseFrom) >= 0) {
            throw new AddressException(hostPort, "unexpected ']' in address");
        }
        return new String[] {host, hostPort.substring(lastColon + 1)};
    }

    /**
     * nats-server's {@code wsGetHostAndPort}: the lower-cased host and the port of {@code hostPort}, with port 443
     * ({@code tls}) or 80 when it has none.
     *
     * @throws AddressException for any other {@code net.SplitHostPort} failure
     */
    // nats-server: websocket.go wsGetHostAndPort
    public static String[] hostAndPort(boolean tls, String hostPort) throws AddressException {
        String host;
        String port;
        try {
            String[] split = splitHostPort(hostPort);
            host = split[0];
            port = split[1];
        } catch (AddressException e) {
            if (!e.missingPort()) {
                throw e;
            }
            host = hostPort;
            port = tls ? "443" : "80";
        }
        return new String[] {host.toLowerCase(Locale.ROOT), port};
    }
}
