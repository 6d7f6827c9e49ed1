package io.jnatsd.bench.tool;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the client-to-server lines the generator sends once per connection or per subscription:
 * {@code CONNECT}, {@code SUB}, {@code PING}, {@code PONG}. Publish frames are pre-encoded by {@link PubBatch}.
 * Stateless.
 */
final class Frames {

    /** {@code PING\r\n}. */
    static final byte[] PING = ascii("PING\r\n");
    /** {@code PONG\r\n}. */
    static final byte[] PONG = ascii("PONG\r\n");

    private Frames() {
    }

    /**
     * {@code CONNECT {...}\r\n} with verbose, pedantic and echo off (the generator checks its own sequence numbers and
     * never wants its own messages back), protocol 1, and the URL's credentials.
     */
    static byte[] connect(ServerUrl url, String name) {
        return connect(url, name, false);
    }

    /**
     * {@code CONNECT} as {@link #connect(ServerUrl, String)}; with {@code headers} the connection also takes
     * headers and asks for no-responders status replies (what the JetStream API requests need).
     */
    static byte[] connect(ServerUrl url, String name, boolean headers) {
        StringBuilder json = new StringBuilder(180);
        json.append("{\"verbose\":false,\"pedantic\":false,\"echo\":false,\"protocol\":1");
        json.append(headers ? ",\"headers\":true,\"no_responders\":true" : ",\"headers\":false");
        json.append(",\"lang\":\"java\",\"version\":\"").append(BenchMain.VERSION).append('"');
        json.append(",\"name\":").append(jsonString(name));
        if (url.user() != null) {
            json.append(",\"user\":").append(jsonString(url.user()));
            json.append(",\"pass\":").append(jsonString(url.password()));
        }
        if (url.token() != null) {
            json.append(",\"auth_token\":").append(jsonString(url.token()));
        }
        json.append('}');
        return (("CONNECT " + json + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code SUB <subject> [queue] <sid>\r\n}; {@code queue} may be {@code null}. */
    static byte[] sub(String subject, String queue, long sid) {
        return ascii("SUB " + subject + (queue == null ? "" : " " + queue) + " " + sid + "\r\n");
    }

    /** The bytes of an ASCII string. */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A JSON string literal for {@code s}, escaping quotes, backslashes and control characters. */
    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
