package io.jnatsd.server.websocket;

import io.jnatsd.config.GoUrl;
import io.jnatsd.config.WebSocketOptions;
import io.netty.util.NetUtil;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WebSocket upgrade of one HTTP request, as nats-server's {@code wsUpgrade} answers it behind Go's
 * {@code http.ServeMux}: the path (a {@code /leafnode} or {@code /mqtt} suffix selects those kinds), the method, the
 * {@code Host}, {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Key} and {@code Sec-WebSocket-Version}
 * headers, the origin ({@code same_origin}, {@code allowed_origins}), then per-message deflate (offered and
 * configured), {@code Nats-No-Masking}, {@code X-Forwarded-For}, the browser's {@code User-Agent} and the cookies
 * that stand in for CONNECT credentials. A failed check is answered as Go's {@code http.Error} does; success is the
 * {@code 101 Switching Protocols} response with nats-server's header order and the configured extra headers.
 * <p>
 * Stateless apart from the immutable {@link Config}; thread-safe.
 */
final class WebSocketUpgrade {

    /** The GUID of RFC 6455 section 1.3, appended to the key for the accept value. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String LEAF_PATH = "/leafnode";
    private static final String MQTT_PATH = "/mqtt";
    /** Go's {@code http.TimeFormat}. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** What the upgrade leads to (nats-server's connection kind of a WebSocket). */
    enum Kind { CLIENT, LEAF }

    /** An allowed origin's scheme and port, filed under its host. */
    record AllowedOrigin(String scheme, String port) {
    }

    /**
     * The listener's settings the upgrade reads.
     *
     * @param tls            whether the listener runs TLS ({@code wss})
     * @param compression    {@code compression}
     * @param sameOrigin     {@code same_origin}
     * @param allowedOrigins {@code allowed_origins} by lower-cased host
     * @param rawHeaders     the {@code headers} block as response header lines
     * @param jwtCookie      the cookie names (empty: none)
     * @param usernameCookie see {@code jwtCookie}
     * @param passwordCookie see {@code jwtCookie}
     * @param tokenCookie    see {@code jwtCookie}
     */
    record Config(boolean tls, boolean compression, boolean sameOrigin, Map<String, List<AllowedOrigin>> allowedOrigins,
                  String rawHeaders, String jwtCookie, String usernameCookie, String passwordCookie,
                  String tokenCookie) {

        /** The settings of {@code ws} (validated options: every allowed origin parses). */
        // nats-server: websocket.go wsSetOriginOptions, wsSetHeadersOptions
        static Config of(WebSocketOptions ws) {
            Map<String, List<AllowedOrigin>> origins = new LinkedHashMap<>();
            for (String origin : ws.allowedOrigins()) {
                try {
                    GoUrl url = GoUrl.parseRequestUri(origin);
                    String[] hostPort = GoUrl.hostAndPort(url.scheme().equals("https"), url.host());
                    origins.computeIfAbsent(hostPort[0], k -> new ArrayList<>())
                            .add(new AllowedOrigin(url.scheme(), hostPort[1]));
                } catch (GoUrl.ParseException | GoUrl.AddressException e) {
                    // refused by OptionsValidator before the listener starts
                }
            }
            StringBuilder headers = new StringBuilder();
            ws.headers().forEach((name, value) -> headers.append(name).append(": ").append(value).append("\r\n"));
            return new Config(ws.tls().enabled(), ws.compression(), ws.sameOrigin(), Map.copyOf(origins),
                    headers.toString(), ws.jwtCookie(), ws.usernameCookie(), ws.passwordCookie(), ws.tokenCookie());
        }
    }

    /** The answer to a request. */
    sealed interface Outcome permits Refused, Redirected, Upgraded {
    }

    /**
     * A failed check: the response to write and the reason nats-server logs
     * ({@code <addr> - websocket handshake error: <reason>}).
     */
    record Refused(String response, String reason, boolean keepAlive) implements Outcome {
    }

    /** {@code http.ServeMux} sends a request whose path is not clean to the cleaned path. */
    record Redirected(String response, boolean keepAlive) implements Outcome {
    }

    /**
     * The upgrade succeeded.
     *
     * @param response     the {@code 101} response
     * @param kind         client or leaf node
     * @param compress     per-message deflate was negotiated
     * @param noMasking    the client asked for {@code Nats-No-Masking}
     * @param browser      {@code User-Agent} starts with {@code Mozilla/}
     * @param noCompressedFragments a Safari browser with compression
     * @param forwardedFor a valid IP in {@code X-Forwarded-For}, or null
     * @param cookies      the captured cookie values: jwt, user, password, token (empty when absent)
     */
    record Upgraded(String response, Kind kind, boolean compress, boolean noMasking, boolean browser,
                    boolean noCompressedFragments, String forwardedFor, String[] cookies) implements Outcome {
    }

    private WebSocketUpgrade() {
    }

    /** Answers {@code r} on a listener configured by {@code config}. */
    // nats-server: websocket.go wsUpgrade; Go's http.ServeMux for the path
    static Outcome upgrade(HttpRequestHead r, Config config) {
        if (!r.method().equals("CONNECT")) {
            String path = r.url().path();
            String clean = cleanPath(path);
            if (!clean.equals(path)) {
                return redirect(r, clean);
            }
        }
        Kind kind = Kind.CLIENT;
        String path = r.url().path();
        if (path.endsWith(LEAF_PATH)) {
            kind = Kind.LEAF;
        } else if (path.endsWith(MQTT_PATH)) {
            // jnatsd has no MQTT listener, so the MQTT endpoint is never enabled
            return refuse(r, 404, "mqtt websocket endpoint not enabled");
        }
        if (!r.method().equals("GET")) {
            return refuse(r, 405, "request method must be GET");
        }
        String host = r.host();
        if (host.isEmpty()) {
            return refuse(r, 400, "'Host' missing in request");
        }
        if (!headerContains(r, "Upgrade", "websocket")) {
            return refuse(r, 400, "invalid value for header 'Upgrade'");
        }
        if (!headerContains(r, "Connection", "Upgrade")) {
            return refuse(r, 400, "invalid value for header 'Connection'");
        }
        String key = r.header("Sec-Websocket-Key");
        if (key.isEmpty()) {
            return refuse(r, 400, "key missing");
        }
        if (!validKey(key)) {
            return refuse(r, 400, "invalid websocket key");
        }
        if (!headerContains(r, "Sec-Websocket-Version", "13")) {
            return refuse(r, 400, "invalid version");
        }
        String originProblem = checkOrigin(r, config, host);
        if (originProblem != null) {
            return refuse(r, 403, "origin not allowed: " + originProblem);
        }
        boolean compress = config.compression() && offersDeflate(r);
        boolean noMasking = r.header("Nats-No-Masking").equals("true");
        StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: ").append(acceptKey(key)).append("\r\n");
        if (compress) {
            response.append("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                    + "client_no_context_takeover\r\n");
        }
        if (noMasking) {
            response.append("Nats-No-Masking: true\r\n");
        }
        response.append(config.rawHeaders()).append("\r\n");
        List<String> forwarded = r.headerValues("X-Forwarded-For");
        String forwardedFor = !forwarded.isEmpty() && isIp(forwarded.get(0)) ? forwarded.get(0) : null;
        boolean browser = false;
        boolean noCompressedFragments = false;
        String[] cookies = {"", "", "", ""};
        if (kind == Kind.CLIENT) {
            String agent = r.header("User-Agent");
            if (agent.startsWith("Mozilla/")) {
                browser = true;
                noCompressedFragments = compress && agent.contains("Version/") && agent.contains("Safari/");
            }
            captureCookies(r, config, cookies);
        }
        return new Upgraded(response.toString(), kind, compress, noMasking, browser, noCompressedFragments,
                forwardedFor, cookies);
    }

    /** Go's {@code http.Error} response with nats-server's {@code Sec-Websocket-Version} header. */
    // nats-server: websocket.go wsReturnHTTPError; Go: net/http Error, (*chunkWriter).writeHeader
    private static Refused refuse(HttpRequestHead r, int status, String reason) {
        String text = statusText(status);
        String body = text + "\n";
        StringBuilder response = new StringBuilder(statusLine(r, status))
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Sec-Websocket-Version: 13\r\n")
                .append("X-Content-Type-Options: nosniff\r\n");
        boolean keepAlive = extraHeaders(r, response, body.length());
        response.append("\r\n");
        if (!r.method().equals("HEAD")) {
            response.append(body);
        }
        return new Refused(response.toString(), reason, keepAlive);
    }

    // Go: net/http Redirect (StatusMovedPermanently), ServeMux cleanPath
    private static Redirected redirect(HttpRequestHead r, String location) {
        String query = r.target().indexOf('?') >= 0 ? r.target().substring(r.target().indexOf('?')) : "";
        String url = location + query;
        boolean get = r.method().equals("GET");
        String body = get ? "<a href=\"" + htmlEscape(url) + "\">Moved Permanently</a>.\n\n" : "";
        StringBuilder response = new StringBuilder(statusLine(r, 301));
        if (get || r.method().equals("HEAD")) {
            response.append("Content-Type: text/html; charset=utf-8\r\n");
        }
        response.append("Location: ").append(url).append("\r\n");
        boolean keepAlive = extraHeaders(r, response, body.length());
        response.append("\r\n").append(body);
        return new Redirected(response.toString(), keepAlive);
    }

    private static String statusLine(HttpRequestHead r, int status) {
        return (r.atLeast(1, 1) ? "HTTP/1.1 " : "HTTP/1.0 ") + status + " " + statusText(status) + "\r\n";
    }

    /**
     * Appends Go's own headers ({@code Date}, {@code Content-Length}, then {@code Connection}) and says whether the
     * connection stays open. A chunked request body is not read: the connection closes after the response.
     */
    private static boolean extraHeaders(HttpRequestHead r, StringBuilder response, int bodyLength) {
        response.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        response.append("Content-Length: ").append(bodyLength).append("\r\n");
        boolean keepAlive = r.keepAlive() && !r.chunked();
        if (!keepAlive && r.atLeast(1, 1)) {
            response.append("Connection: close\r\n");
        } else if (keepAlive && !r.atLeast(1, 1)) {
            response.append("Connection: keep-alive\r\n");
        }
        return keepAlive;
    }

    static String statusText(int status) {
        return switch (status) {
            case 301 -> "Moved Permanently";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 500 -> "Internal Server Error";
            default -> throw new IllegalArgumentException("status: " + status);
        };
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;")
                .replace("'", "&#39;");
    }

    /** Go's {@code http.cleanPath}: rooted, {@code path.Clean}ed, keeping a trailing slash. */
    static String cleanPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String element : p.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(element);
            }
        }
        String np = "/" + String.join("/", parts);
        if (p.endsWith("/") && !np.equals("/")) {
            np += "/";
        }
        return np;
    }

    /** Whether header {@code name} lists {@code value} among its comma-separated tokens (any case). */
    // nats-server: websocket.go wsHeaderContains
    static boolean headerContains(HttpRequestHead r, String name, String value) {
        return r.hasToken(name, value);
    }

    /** Whether {@code Sec-WebSocket-Extensions} offers {@code permessage-deflate} (its parameters are ignored). */
    // nats-server: websocket.go wsPMCExtensionSupport (checkPMCOnly)
    static boolean offersDeflate(HttpRequestHead r) {
        for (String list : r.headerValues("Sec-Websocket-Extensions")) {
            for (String extension : list.split(",", -1)) {
                for (String parameter : HttpRequestHead.trimSpaceTab(extension).split(";", -1)) {
                    if (HttpRequestHead.trimSpaceTab(parameter).equalsIgnoreCase("permessage-deflate")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Go's {@code base64.StdEncoding} (padding required) of exactly 16 bytes. */
    private static boolean validKey(String key) {
        if (key.length() % 4 != 0) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code Sec-WebSocket-Accept}: base64 of the SHA-1 of the key and the GUID. */
    // nats-server: websocket.go wsAcceptKey
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * Null when the origin may connect, else why not (nats-server's error text): no check without
     * {@code same_origin} and {@code allowed_origins}, none without an {@code Origin} (or
     * {@code Sec-WebSocket-Origin}) header; {@code same_origin} wants the request's host, port and scheme; the
     * allowed list wants the host with the same scheme and port.
     */
    // nats-server: websocket.go checkOrigin
    static String checkOrigin(HttpRequestHead r, Config config, String requestHost) {
        if (!config.sameOrigin() && config.allowedOrigins().isEmpty()) {
            return null;
        }
        String origin = r.header("Origin");
        if (origin.isEmpty()) {
            origin = r.header("Sec-Websocket-Origin");
        }
        if (origin.isEmpty()) {
            return null;
        }
        GoUrl url;
        String[] originHostPort;
        try {
            url = GoUrl.parseRequestUri(origin);
            originHostPort = GoUrl.hostAndPort(url.scheme().equals("https"), url.host());
        } catch (GoUrl.ParseException | GoUrl.AddressException e) {
            return e.getMessage();
        }
        if (config.sameOrigin()) {
            String[] requestHostPort;
            try {
                requestHostPort = GoUrl.hostAndPort(config.tls(), requestHost);
            } catch (GoUrl.AddressException e) {
                return e.getMessage();
            }
            String requestScheme = config.tls() ? "https" : "http";
            if (!originHostPort[0].equals(requestHostPort[0]) || !originHostPort[1].equals(requestHostPort[1])
                    || !url.scheme().equalsIgnoreCase(requestScheme)) {
                return "not same origin";
            }
        }
        if (!config.allowedOrigins().isEmpty()) {
            for (AllowedOrigin allowed : config.allowedOrigins().getOrDefault(originHostPort[0], List.of())) {
                if (allowed.scheme().equals(url.scheme()) && allowed.port().equals(originHostPort[1])) {
                    return null;
                }
            }
            return "not in the allowed list";
        }
        return null;
    }

    /**
     * The values of the configured cookies, in {@code jwt, user, pass, token} order: the last cookie of a name wins;
     * names and values Go's cookie parser refuses are skipped.
     */
    // nats-server: websocket.go wsUpgrade (r.Cookies()); Go: net/http readCookies
    static void captureCookies(HttpRequestHead r, Config config, String[] cookies) {
        for (String line : r.headerValues("Cookie")) {
            for (String part : line.split(";", -1)) {
                part = asciiTrim(part);
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = asciiTrim(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : part.substring(eq + 1);
                if (name.isEmpty() || !HttpRequestHead.isToken(name)) {
                    continue;
                }
                if (value.length() > 1 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                    value = value.substring(1, value.length() - 1);
                }
                if (!validCookieValue(value)) {
                    continue;
                }
                value = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                if (name.equals(config.jwtCookie())) {
                    cookies[0] = value;
                } else if (name.equals(config.usernameCookie())) {
                    cookies[1] = value;
                } else if (name.equals(config.passwordCookie())) {
                    cookies[2] = value;
                } else if (name.equals(config.tokenCookie())) {
                    cookies[3] = value;
                }
            }
        }
    }

    private static boolean validCookieValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Go's {@code textproto.TrimString}: ASCII space, tab, CR and LF off both ends. */
    private static String asciiTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isAsciiSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** Go's {@code net.ParseIP}: dotted IPv4 (no leading zeros) or IPv6 (no zone). */
    static boolean isIp(String s) {
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            return NetUtil.isValidIpV6Address(s);
        }
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')
                    || !octet.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
