package io.jnatsd.server.websocket;

import io.jnatsd.config.GoUrl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x request line and header block as Go's {@code net/http} server reads it ({@code readRequest},
 * {@code textproto.ReadMIMEHeader}): lines end with LF (a CR before it is dropped), header names are matched
 * case-insensitively, values are trimmed, continuation lines are joined with a space, a repeated header keeps
 * every value in order. Requests Go's server refuses before any handler runs are {@link Refusal}s carrying the exact
 * response it writes. Immutable.
 *
 * @param method        the method
 * @param target        the request target as sent
 * @param url           the parsed target
 * @param major         the protocol major version
 * @param minor         the protocol minor version
 * @param headers       lower-cased names to values, in arrival order
 * @param contentLength the body length ({@code Content-Length}), 0 when absent
 * @param chunked       whether the body is chunked ({@code Transfer-Encoding: chunked})
 */
record HttpRequestHead(String method, String target, GoUrl url, int major, int minor,
                       Map<String, List<String>> headers, long contentLength, boolean chunked) {

    /** A request refused by the HTTP server itself: what it writes before closing the connection. */
    record Refusal(String response) {
    }

    /** The first value of header {@code name} (any case), or empty ({@code Header.Get}). */
    String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** Every value of header {@code name} (any case), in arrival order. */
    List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** Whether the request is at least HTTP/{@code major}.{@code minor}. */
    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /** The request's host: the target's authority, else the {@code Host} header ({@code Request.Host}). */
    String host() {
        return url.host().isEmpty() ? header("Host") : url.host();
    }

    /**
     * Whether the connection stays open for another request after the response: HTTP/1.1 unless the client sent
     * {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
     */
    // Go: net/http (*response).shouldReuseConnection, (*conn).serve wantsClose / keep-alive
    boolean keepAlive() {
        if (atLeast(1, 1)) {
            return !hasToken("Connection", "close");
        }
        return hasToken("Connection", "keep-alive");
    }

    /** Whether a comma-separated header contains {@code token} (any case). */
    boolean hasToken(String name, String token) {
        for (String value : headerValues(name)) {
            for (String part : value.split(",", -1)) {
                if (trimSpaceTab(part).equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Parses a complete head ({@code bytes} from the request line to the empty line, its line ends included).
     *
     * @return the request, or the {@link Refusal} Go's server answers with
     */
    // Go: net/http readRequest, http.ReadRequest, textproto.ReadMIMEHeader, readTransfer
    static Object parse(byte[] bytes) {
        List<String> lines = lines(bytes);
        String requestLine = lines.isEmpty() ? "" : lines.get(0);
        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 < 0 || sp2 < 0) {
            return badRequest();
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String proto = requestLine.substring(sp2 + 1);
        int[] version = parseVersion(proto);
        if (version == null || method.isEmpty() || !isToken(method)) {
            return badRequest();
        }
        GoUrl url;
        try {
            url = GoUrl.parseRequestUri(target);
        } catch (GoUrl.ParseException e) {
            return badRequest();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String lastName = null;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                break;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (lastName == null) {
                    return badRequest();                      // malformed MIME header initial line
                }
                List<String> values = headers.get(lastName);
                int last = values.size() - 1;
                values.set(last, trimSpaceTab(values.get(last) + " " + trimSpaceTab(line)));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return badRequest();                          // malformed MIME header line
            }
            String name = line.substring(0, colon);
            String value = trimSpaceTab(line.substring(colon + 1));
            if (!isToken(name) || !validValue(value)) {
                return badRequest();
            }
            lastName = name.toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(lastName, k -> new ArrayList<>()).add(value);
        }
        boolean supported = version[0] == 1
                || (version[0] == 2 && version[1] == 0 && method.equals("PRI") && target.equals("*"));
        if (!supported) {
            return statusError(505, "HTTP Version Not Supported", "unsupported protocol version");
        }
        List<String> hosts = headers.getOrDefault("host", List.of());
        if (hosts.size() > 1) {
            return badRequest();
        }
        if ((version[0] > 1 || version[1] >= 1) && hosts.isEmpty() && !method.equals("CONNECT")) {
            return statusError(400, "Bad Request", "missing required Host header");
        }
        if (hosts.size() == 1 && !validHost(hosts.get(0))) {
            return statusError(400, "Bad Request", "malformed Host header");
        }
        boolean chunked = false;
        List<String> encodings = headers.getOrDefault("transfer-encoding", List.of());
        if (!encodings.isEmpty() && (version[0] > 1 || version[1] >= 1)) {
            if (encodings.size() != 1 || !encodings.get(0).equalsIgnoreCase("chunked")) {
                return new Refusal("HTTP/1.1 501 Not Implemented" + ERROR_HEADERS + "Unsupported transfer encoding");
            }
            chunked = true;
        }
        long contentLength = 0;
        List<String> lengths = headers.getOrDefault("content-length", List.of());
        if (!chunked && !lengths.isEmpty()) {
            String first = lengths.get(0).strip();
            for (String other : lengths) {
                if (!other.strip().equals(first)) {
                    return badRequest();
                }
            }
            if (first.isEmpty() || !first.chars().allMatch(c -> c >= '0' && c <= '9') || first.length() > 18) {
                return badRequest();
            }
            contentLength = Long.parseLong(first);
        }
        return new HttpRequestHead(method, target, url, version[0], version[1], headers, contentLength, chunked);
    }

    /** What Go's server writes after the status line of a response to a refused request. */
    static final String ERROR_HEADERS = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n";

    /** Go's server's answer to a head larger than its limit ({@code errTooLarge}). */
    static Refusal tooLarge() {
        String status = "431 Request Header Fields Too Large";
        return new Refusal("HTTP/1.1 " + status + ERROR_HEADERS + status);
    }

    private static Refusal badRequest() {
        return new Refusal("HTTP/1.1 400 Bad Request" + ERROR_HEADERS + "400 Bad Request");
    }

    private static Refusal statusError(int code, String text, String detail) {
        String status = code + " " + text + ": " + detail;
        return new Refusal("HTTP/1.1 " + status + ERROR_HEADERS + status);
    }

    /** The lines of the head without their LF or CRLF, decoded byte for byte. */
    private static List<String> lines(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                lines.add(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return lines;
    }

    // Go: net/http ParseHTTPVersion
    private static int[] parseVersion(String proto) {
        if (proto.equals("HTTP/1.1")) {
            return new int[] {1, 1};
        }
        if (proto.equals("HTTP/1.0")) {
            return new int[] {1, 0};
        }
        if (proto.length() != 8 || !proto.startsWith("HTTP/") || proto.charAt(6) != '.') {
            return null;
        }
        char major = proto.charAt(5);
        char minor = proto.charAt(7);
        if (major < '0' || major > '9' || minor < '0' || minor > '9') {
            return null;
        }
        return new int[] {major - '0', minor - '0'};
    }

    /** Whether every char is an RFC 7230 token char ({@code httpguts.IsTokenRune}). */
    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** No control bytes other than a tab ({@code httpguts.ValidHeaderFieldValue}). */
    private static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    // Go: golang.org/x/net/http/httpguts ValidHostHeader
    private static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!$%&'()*+,-.:;=[]_~".indexOf(c) >= 0 || c >= 0x80;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Trims spaces and tabs at both ends ({@code strings.Trim(s, " \t")}). */
    static String trimSpaceTab(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }
}
