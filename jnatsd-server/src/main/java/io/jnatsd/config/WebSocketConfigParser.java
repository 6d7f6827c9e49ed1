package io.jnatsd.config;

import io.jnatsd.common.GoQuote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code websocket} (alias {@code ws}) block into {@link WebSocketOptions} with nats-server's keys,
 * aliases and error texts ({@code server/opts.go parseWebsocket}, {@code parseSimpleAuth}, {@code parseStringArray}).
 * <p>
 * Errors and warnings are appended to the caller's lists as {@code <file>:<line>:<col>: <reason>}. As in Go, a value
 * of the wrong type (a failed type assertion, which panics) ends the block: what was read before it stays. A wrong
 * type inside {@code authorization} is reported twice, as nats-server's recovered panic leaves a nil result that
 * makes the caller panic in turn ({@code runtime error: invalid memory address or nil pointer dereference}). Keys
 * are walked in file order (Go: random map order). Single-threaded: one instance per loaded document.
 */
final class WebSocketConfigParser {

    private static final String NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference";

    private final ConfDocument document;
    private final List<String> errors;
    private final List<String> warnings;

    WebSocketConfigParser(ConfDocument document, List<String> errors, List<String> warnings) {
        this.document = document;
        this.errors = errors;
        this.warnings = warnings;
    }

    /** Reads {@code value} (the block) on top of {@code base}: the options as far as they could be read. */
    // nats-server: opts.go parseWebsocket
    WebSocketOptions parse(ConfValue value, WebSocketOptions base) {
        if (!(value.value() instanceof Map<?, ?>)) {
            errors.add(value.position() + ": Expected websocket to be a map, got " + value.goTypeName());
            return base;
        }
        WebSocketOptions.Builder ws = base.toBuilder();
        try {
            for (Map.Entry<String, ConfValue> entry : value.asMap().entrySet()) {
                apply(entry.getKey(), entry.getValue(), ws);
            }
        } catch (ConfigLoader.TypeMismatch e) {
            errors.add(e.at.position() + ": " + e.getMessage());
        }
        return ws.build();
    }

    private void apply(String key, ConfValue v, WebSocketOptions.Builder ws) {
        switch (key.toLowerCase(Locale.ROOT)) {
            case "listen" -> {
                try {
                    HostPort hp = HostPort.parseListen(v.value());
                    ws.host(hp.host()).port(hp.port());
                } catch (IllegalArgumentException e) {
                    errors.add(v.position() + ": " + e.getMessage());
                }
            }
            case "port" -> ws.port((int) Math.clamp(ConfigLoader.int64(v), Integer.MIN_VALUE, Integer.MAX_VALUE));
            case "host", "net" -> ws.host(ConfigLoader.string(v));
            case "advertise" -> ws.advertise(ConfigLoader.string(v));
            case "no_tls" -> ws.noTls(ConfigLoader.bool(v));
            case "tls" -> {
                try {
                    ws.tls(TlsBlockParser.parse(v, TlsOptions.disabled()));
                } catch (TlsBlockParser.BlockException e) {
                    errors.add(e.at().position() + ": " + e.getMessage());
                }
            }
            case "same_origin" -> ws.sameOrigin(ConfigLoader.bool(v));
            case "allowed_origins", "allowed_origin", "allow_origins", "allow_origin", "origins", "origin" ->
                    ws.allowedOrigins(stringArray("allowed origins", v));
            case "handshake_timeout" -> ws.handshakeTimeout(handshakeTimeout(v));
            case "compress", "compression" -> ws.compression(ConfigLoader.bool(v));
            case "authorization", "authentication" -> simpleAuth(v, ws);
            case "jwt_cookie" -> ws.jwtCookie(ConfigLoader.string(v));
            case "user_cookie" -> ws.usernameCookie(ConfigLoader.string(v));
            case "pass_cookie" -> ws.passwordCookie(ConfigLoader.string(v));
            case "token_cookie" -> ws.tokenCookie(ConfigLoader.string(v));
            case "no_auth_user" -> ws.noAuthUser(ConfigLoader.string(v));
            case "headers" -> headers(v, ws);
            case "ping_interval" -> ws.pingInterval(duration("ping_interval", v));
            default -> {
                if (!document.isUsedAsVariable(v)) {
                    errors.add(v.position() + ": unknown field " + GoQuote.quote(key));
                }
            }
        }
    }

    // nats-server: opts.go parseStringArray
    private List<String> stringArray(String field, ConfValue v) {
        if (v.value() instanceof String s) {
            return List.of(s);
        }
        if (v.value() instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object element : list) {
                ConfValue e = (ConfValue) element;
                if (e.value() instanceof String s) {
                    strings.add(s);
                } else {
                    errors.add(e.position() + ": error parsing " + field + ": unsupported type in array "
                            + e.goTypeName());
                }
            }
            return strings;
        }
        errors.add(v.position() + ": error parsing " + field + ": unsupported type " + v.goTypeName());
        return List.of();
    }

    // nats-server: opts.go parseWebsocket "handshake_timeout" (integer seconds or a duration string)
    private Duration handshakeTimeout(ConfValue v) {
        if (v.value() instanceof Long seconds) {
            return Duration.ofSeconds(seconds);
        }
        if (v.value() instanceof String text) {
            try {
                return GoDuration.parse(text);
            } catch (IllegalArgumentException e) {
                errors.add(v.position() + ": " + e.getMessage());
                return Duration.ZERO;
            }
        }
        errors.add(v.position() + ": error parsing handshake timeout: unsupported type " + v.goTypeName());
        return Duration.ZERO;
    }

    /** A Go duration string, or integer seconds with a warning ({@code opts.go parseDuration}). */
    private Duration duration(String field, ConfValue v) {
        if (v.value() instanceof String text) {
            try {
                return GoDuration.parse(text);
            } catch (IllegalArgumentException e) {
                errors.add(v.position() + ": error parsing " + field + ": " + e.getMessage());
                return Duration.ZERO;
            }
        }
        warnings.add(v.position() + ": invalid use of field " + GoQuote.quote(field) + ": " + field
                + " should be converted to a duration");
        return Duration.ofSeconds(ConfigLoader.int64(v));
    }

    /**
     * {@code authorization {user, pass, token, timeout}}. The timeout takes integer or float seconds; any other type
     * silently means one second, as in nats-server.
     */
    // nats-server: opts.go parseSimpleAuth
    private void simpleAuth(ConfValue v, WebSocketOptions.Builder ws) {
        if (!(v.value() instanceof Map<?, ?>)) {
            errors.add(v.position() + ": interface conversion: interface {} is " + v.goTypeName()
                    + ", not map[string]interface {}");
            throw nilDereference(v);
        }
        String user = "";
        String password = "";
        String token = "";
        Duration timeout = Duration.ZERO;
        for (Map.Entry<String, ConfValue> entry : v.asMap().entrySet()) {
            ConfValue value = entry.getValue();
            try {
                switch (entry.getKey().toLowerCase(Locale.ROOT)) {
                    case "user", "username" -> user = ConfigLoader.string(value);
                    case "pass", "password" -> password = ConfigLoader.string(value);
                    case "token" -> token = ConfigLoader.string(value);
                    case "timeout" -> {
                        double seconds = 1;
                        if (value.value() instanceof Long n) {
                            seconds = n;
                        } else if (value.value() instanceof Double d) {
                            seconds = d;
                        }
                        timeout = Duration.ofNanos((long) (seconds * 1e9));
                    }
                    default -> {
                        if (!document.isUsedAsVariable(value)) {
                            errors.add(value.position() + ": unknown field " + GoQuote.quote(entry.getKey()));
                        }
                    }
                }
            } catch (ConfigLoader.TypeMismatch e) {
                errors.add(e.at.position() + ": " + e.getMessage());
                throw nilDereference(v);
            }
        }
        ws.username(user).password(password).token(token).authTimeout(timeout);
    }

    /** The caller's own panic after a recovered one in {@code parseSimpleAuth}: it ends the websocket block. */
    private static ConfigLoader.TypeMismatch nilDereference(ConfValue at) {
        return ConfigLoader.TypeMismatch.withMessage(at, NIL_DEREFERENCE);
    }

    // nats-server: opts.go parseWebsocket "headers"
    private void headers(ConfValue v, WebSocketOptions.Builder ws) {
        if (!(v.value() instanceof Map<?, ?>)) {
            errors.add(v.position() + ": error parsing headers: unsupported type " + v.goTypeName());
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, ConfValue> entry : v.asMap().entrySet()) {
            ConfValue value = entry.getValue();
            if (value.value() instanceof String s) {
                headers.put(entry.getKey(), s);
            } else {
                errors.add(value.position() + ": error parsing header key " + entry.getKey()
                        + ": unsupported type " + value.goTypeName());
            }
        }
        ws.headers(headers);
    }
}
