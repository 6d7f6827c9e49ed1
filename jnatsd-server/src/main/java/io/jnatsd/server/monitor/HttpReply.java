package io.jnatsd.server.monitor;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the monitoring server: status, headers (besides {@code Date} and {@code Content-Length}, which the
 * transport adds) and body. Immutable.
 *
 * @param status  HTTP status code
 * @param headers header name to value, in order
 * @param body    the body
 */
record HttpReply(int status, Map<String, String> headers, byte[] body) {

    static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    /** 200 with a JSON body: {@code application/json} and CORS, or JSONP when {@code callback} is set. */
    // nats-server 2.14.2: monitor.go handleResponse (JSONP, removed in 2.14.3)
    static HttpReply json(int status, byte[] json, String callback) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!callback.isEmpty()) {
            headers.put("Content-Type", "application/javascript");
            byte[] prefix = (callback + "(").getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + json.length + 1];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(json, 0, body, prefix.length, json.length);
            body[body.length - 1] = ')';
            return new HttpReply(status, headers, body);
        }
        headers.put("Content-Type", "application/json");
        headers.put("Access-Control-Allow-Origin", "*");
        return new HttpReply(status, headers, json);
    }

    /** A plain text answer (errors written after {@code WriteHeader}, whose type Go sniffs as plain text). */
    static HttpReply text(int status, String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", TEXT_PLAIN);
        return new HttpReply(status, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Go's {@code http.NotFound}. */
    static HttpReply notFound() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", TEXT_PLAIN);
        headers.put("X-Content-Type-Options", "nosniff");
        return new HttpReply(404, headers, "404 page not found\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Go's {@code ServeMux} redirect to the cleaned path. */
    static HttpReply movedPermanently(String location, boolean get) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location);
        if (!get) {
            return new HttpReply(301, headers, new byte[0]);
        }
        headers.put("Content-Type", "text/html; charset=utf-8");
        String body = "<a href=\"" + location.replace("&", "&amp;").replace("\"", "&#34;") + "\">Moved Permanently</a>.\n\n";
        return new HttpReply(301, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
