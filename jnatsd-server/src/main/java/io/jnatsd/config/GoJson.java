package io.jnatsd.config;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The subset of Go's {@code encoding/json} needed to reproduce nats-server's config digest
 * ({@code conf/parse.go configDigest}): map keys sorted by bytes, HTML-safe string escaping, Go's float
 * formatting, datetimes in RFC 3339, and the trailing newline {@code json.Encoder} writes.
 *
 * <p>Stateless; safe from any thread.
 */
final class GoJson {

    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    /** {@code sha256:<hex>} of {@code encode(plain) + "\n"}. */
    static String digest(Map<String, Object> plain) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] hash = sha256.digest((encode(plain) + "\n").getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Go {@code json.Marshal} of a plain value tree (String, Long, Double, Boolean, Instant, List, Map). */
    static String encode(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case String s -> writeString(out, s);
            case Long l -> out.append(l.longValue());
            case Double d -> out.append(formatFloat(d));
            case Boolean b -> out.append(b.booleanValue());
            case Instant i -> out.append('"').append(RFC3339_SECONDS.format(i)).append('"');
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, list.get(i));
                }
                out.append(']');
            }
            case Map<?, ?> map -> {
                List<String> keys = new ArrayList<>();
                map.keySet().forEach(k -> keys.add((String) k));
                keys.sort(GoJson::compareAsUtf8);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(out, keys.get(i));
                    out.append(':');
                    write(out, map.get(keys.get(i)));
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("not a config value: " + value.getClass().getName());
        }
    }

    /** Byte-wise UTF-8 order equals code point order (String.compareTo differs above U+FFFF). */
    private static int compareAsUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }

    /** Go's JSON float: shortest round-trip digits, exponent form below 1e-6 and from 1e21 ("1e-7", "1e+21"). */
    static String formatFloat(double f) {
        if (Double.isNaN(f) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("json: unsupported value: " + f);
        }
        if (f == 0) {
            return 1 / f < 0 ? "-0" : "0";
        }
        double abs = Math.abs(f);
        BigDecimal shortest = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        String sign = f < 0 ? "-" : "";
        if (abs >= 1e-6 && abs < 1e21) {
            return sign + shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder out = new StringBuilder(sign).append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int absExponent = Math.abs(exponent);
        // strconv writes at least two exponent digits; encoding/json then trims "e-07" to "e-7" (not "e+07")
        if (absExponent < 10 && exponent >= 0) {
            out.append('0');
        }
        out.append(absExponent);
        return out.toString();
    }
}
