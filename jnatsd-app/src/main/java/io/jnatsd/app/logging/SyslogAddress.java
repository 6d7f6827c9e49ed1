package io.jnatsd.app.logging;

import io.jnatsd.common.GoQuote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where {@code remote_syslog} points: a Go {@code net.Dial} network ({@code udp}, {@code tcp} or {@code unix}) and
 * address ({@code host:port} or a socket path), parsed the way nats-server does with Go's {@code url.Parse}.
 *
 * @param network {@code udp}, {@code tcp} or {@code unix}
 * @param address {@code host:port} exactly as in the URL (may lack the port), or the unix socket path
 */
record SyslogAddress(String network, String address) {

    /**
     * Parses {@code udp://host:port}, {@code tcp://host:port} or {@code unix:///path}.
     *
     * @throws LoggingSetupException with Go's text: {@code error invalid network type: "<scheme>"} for another
     *                               scheme, or {@code parse "<url>": <reason>} for a malformed URL
     */
    static SyslogAddress parse(String url) {
        // nats-server: logger/syslog.go getNetworkAndAddr (Go net/url Parse)
        int hash = url.indexOf('#');
        String withoutFragment = hash >= 0 ? url.substring(0, hash) : url;
        ParsedUrl parsed = parseUrl(withoutFragment);
        return switch (parsed.scheme) {
            case "udp", "tcp" -> new SyslogAddress(parsed.scheme, parsed.host);
            case "unix" -> new SyslogAddress(parsed.scheme, parsed.path);
            default -> throw new LoggingSetupException("error invalid network type: " + GoQuote.quote(parsed.scheme));
        };
    }

    private record ParsedUrl(String scheme, String host, String path) {
    }

    private static ParsedUrl parseUrl(String url) {
        for (int i = 0; i < url.length(); i++) {
            if (url.charAt(i) < 0x20 || url.charAt(i) == 0x7f) {
                throw malformed(url, "net/url: invalid control character in URL");
            }
        }
        String scheme = "";
        String rest = url;
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                continue;
            }
            if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
                if (i == 0) {
                    break;
                }
                continue;
            }
            if (c == ':') {
                if (i == 0) {
                    throw malformed(url, "missing protocol scheme");
                }
                scheme = url.substring(0, i).toLowerCase(Locale.ROOT);
                rest = url.substring(i + 1);
            }
            break;
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (!rest.startsWith("/")) {
            if (!scheme.isEmpty()) {
                return new ParsedUrl(scheme, "", "");            // opaque URL: no host, no path
            }
            int slash = rest.indexOf('/');
            if ((slash >= 0 ? rest.substring(0, slash) : rest).indexOf(':') >= 0) {
                throw malformed(url, "first path segment in URL cannot contain colon");
            }
        }
        String host = "";
        if (rest.startsWith("//") && (!scheme.isEmpty() || !rest.startsWith("///"))) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            rest = slash >= 0 ? authority.substring(slash) : "";
            authority = slash >= 0 ? authority.substring(0, slash) : authority;
            host = parseHost(url, authority.substring(authority.lastIndexOf('@') + 1));
        }
        return new ParsedUrl(scheme, host, unescape(url, rest));
    }

    private static String parseHost(String url, String host) {
        String colonPort;
        if (host.startsWith("[")) {
            int close = host.lastIndexOf(']');
            if (close < 0) {
                throw malformed(url, "missing ']' in host");
            }
            colonPort = host.substring(close + 1);
        } else {
            int colon = host.lastIndexOf(':');
            colonPort = colon >= 0 ? host.substring(colon) : "";
        }
        if (!colonPort.isEmpty() && (colonPort.charAt(0) != ':' || !colonPort.substring(1).chars()
                .allMatch(c -> c >= '0' && c <= '9'))) {
            throw malformed(url, "invalid port " + GoQuote.quote(colonPort) + " after host");
        }
        return unescape(url, host);
    }

    private static String unescape(String url, String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int plainStart = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '%') {
                continue;
            }
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                    || Character.digit(text.charAt(i + 2), 16) < 0) {
                String escape = text.substring(i, Math.min(i + 3, text.length()));
                throw malformed(url, "invalid URL escape " + GoQuote.quote(escape));
            }
            out.writeBytes(text.substring(plainStart, i).getBytes(StandardCharsets.UTF_8));
            out.write(Integer.parseInt(text, i + 1, i + 3, 16));
            i += 2;
            plainStart = i + 1;
        }
        out.writeBytes(text.substring(plainStart).getBytes(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static LoggingSetupException malformed(String url, String reason) {
        return new LoggingSetupException("parse " + GoQuote.quote(url) + ": " + reason);
    }
}
