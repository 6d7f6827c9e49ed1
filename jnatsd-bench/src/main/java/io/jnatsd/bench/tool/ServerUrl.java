package io.jnatsd.bench.tool;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A server address as given with {@code --url}: {@code nats://[user[:password]@]host[:port]}, {@code tls://...} (the
 * connection then runs TLS after the server's {@code INFO}), or {@code host:port}. A user without a password is
 * sent as an {@code auth_token}. Immutable.
 *
 * @param host     host name or IP address
 * @param port     TCP port
 * @param user     user name, or {@code null}
 * @param password password, or {@code null}
 * @param token    auth token, or {@code null}
 * @param tls      how to speak TLS, or {@code null} for plaintext
 */
record ServerUrl(String host, int port, String user, String password, String token, TlsClient tls) {

    /** A plaintext URL. */
    ServerUrl(String host, int port, String user, String password, String token) {
        this(host, port, user, password, token, null);
    }

    /** The port of nats-server and jnatsd when none is given. */
    static final int DEFAULT_PORT = 4222;

    /** A URL without credentials. */
    static ServerUrl of(String host, int port) {
        return new ServerUrl(host, port, null, null, null);
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with the reason when it is not a NATS URL. */
    static ServerUrl parse(String text) {
        String rest = text.strip();
        boolean tls = false;
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            String name = rest.substring(0, scheme);
            if (!name.equalsIgnoreCase("nats") && !name.equalsIgnoreCase("tls")) {
                throw new IllegalArgumentException("unsupported URL scheme '" + name + "' in " + text
                        + " (expected: nats://host:port or tls://host:port)");
            }
            tls = name.equalsIgnoreCase("tls");
            rest = rest.substring(scheme + 3);
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        String token = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            if (colon >= 0) {
                user = decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            } else {
                token = decode(info);
            }
        }
        String host = rest;
        int port = DEFAULT_PORT;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && rest.indexOf(']') < colon) {
            host = rest.substring(0, colon);
            String portText = rest.substring(colon + 1);
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port '" + portText + "' in " + text);
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1..65535) in " + text);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + text);
        }
        return new ServerUrl(host, port, user, password, token, tls ? TlsClient.defaults() : null);
    }

    /** The same address with TLS set up by {@code client} ({@code null}: plaintext). */
    ServerUrl withTls(TlsClient client) {
        return new ServerUrl(host, port, user, password, token, client);
    }

    /** The same credentials and TLS on another port (the TLS instance of a launched server). */
    ServerUrl withPort(int otherPort) {
        return new ServerUrl(host, otherPort, user, password, token, tls);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** {@code nats://host:port} or {@code tls://host:port}, without credentials (safe to print). */
    @Override
    public String toString() {
        return (tls == null ? "nats://" : "tls://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + port;
    }
}
