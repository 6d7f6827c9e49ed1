package io.jnatsd.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The shared Jackson mapper configured to write what Go's {@code encoding/json} {@code Marshal} writes, and to read
 * JSON as leniently as {@code Unmarshal} does.
 *
 * <p>Writing:
 * <ul>
 *   <li>compact, no trailing newline; record components in declaration order; map keys sorted (string keys
 *       sort as Go sorts them; other key types sort by their natural order, not by their text as in Go);</li>
 *   <li>strings escaped as Go does: {@code \" \\ \b \f \n \r \t}, other control characters as
 *       <code>&#92;u00XX</code> with lower-case hex, {@code < > &} as
 *       <code>&#92;u003c &#92;u003e &#92;u0026</code>, U+2028 and U+2029 as <code>&#92;u2028</code> and
 *       <code>&#92;u2029</code>; all other characters, including those beyond the BMP, as raw UTF-8 (a lone
 *       surrogate, which Go would write as <code>&#92;ufffd</code>, is not replaced);</li>
 *   <li>{@code double}/{@code float} in Go's shortest form ({@code 1} not {@code 1.0}, {@code 1e+21},
 *       {@code 1e-7}); NaN and infinities fail, as Go's {@code UnsupportedValueError} does;</li>
 *   <li>{@code byte[]} as padded standard base64, {@code null} as {@code null}.</li>
 * </ul>
 * Nothing is omitted globally: a record says what to leave out. Go's {@code ,omitempty} is
 * {@code @JsonInclude(JsonInclude.Include.NON_DEFAULT)} on the component (omits null, false, 0, "" and empty
 * collections, maps and arrays); a Go pointer field without {@code omitempty} is a plain component that writes
 * {@code null}.
 *
 * <p>Reading: unknown properties are ignored and property names match case-insensitively (as Go's field matching
 * does), and scalars are not coerced across JSON types ({@code "true"} is no boolean, {@code 1.5} no int).
 *
 * <p>Thread-safe. The mapper is shared: callers must not reconfigure it; derive readers and writers from it instead.
 */
public final class GoJson {
    private static final ObjectMapper MAPPER = buildMapper();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private GoJson() {
    }

    /** The shared mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} as Go's {@code json.Marshal} would write it, in UTF-8. */
    public static byte[] writeBytes(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code value} as Go's {@code json.MarshalIndent(value, "", indent)} would write it, in UTF-8: one member or
     * element per line, {@code "key": value}, empty objects and arrays as {@code {}} and {@code []}.
     */
    public static byte[] writeIndentedBytes(Object value, String indent) {
        try {
            return WRITER.with(new GoIndent(indent)).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as Go's {@code json.Marshal} would write it. */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("json: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectMapper buildMapper() {
        JsonFactory factory = new JsonFactoryBuilder()
                .characterEscapes(new GoEscapes())
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .build();
        SimpleModule goNumbers = new SimpleModule("GoNumbers");
        goNumbers.addSerializer(Double.class, new GoFloatSerializer<>(Double.class));
        goNumbers.addSerializer(double.class, new GoFloatSerializer<>(double.class));
        goNumbers.addSerializer(Float.class, new GoFloatSerializer<>(Float.class));
        goNumbers.addSerializer(float.class, new GoFloatSerializer<>(float.class));
        return JsonMapper.builder(factory)
                .addModule(goNumbers)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }

    /**
     * Go's number formatting for float64/float32: the shortest decimal that reads back as the same value, plain
     * unless the magnitude is below 1e-6 or at least 1e21, then in exponent form without a leading zero in a
     * negative exponent.
     */
    // nats-server: Go encoding/json encode.go floatEncoder.encode
    static String formatFloat(double value, boolean isFloat32) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("json: unsupported value: " + goName(value));
        }
        if (value == 0) {
            return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
        }
        BigDecimal decimal = shortestDecimal(value, isFloat32);
        double abs = Math.abs(value);
        boolean exponent = isFloat32
                ? (float) abs < 1e-6f || (float) abs >= 1e21f
                : abs < 1e-6 || abs >= 1e21;
        if (!exponent) {
            return decimal.toPlainString();
        }
        String digits = decimal.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - decimal.scale();
        StringBuilder out = new StringBuilder(digits.length() + 8);
        if (decimal.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exp < 0 ? '-' : '+');
        int absExp = Math.abs(exp);
        if (exp >= 0 && absExp < 10) {
            out.append('0');                             // Go's %e keeps two exponent digits; json trims only "e-0"
        }
        return out.append(absExp).toString();
    }

    /**
     * The shortest decimal that reads back as {@code value}, the closest one if several are that short. Java's
     * {@code toString} gives this except that it prefers a closer two-digit decimal over a one-digit one
     * ({@code 4.9E-324} where Go prints {@code 5e-324}), so one-digit candidates are tried first.
     */
    private static BigDecimal shortestDecimal(double value, boolean isFloat32) {
        String javaShortest = isFloat32 ? Float.toString((float) value) : Double.toString(value);
        BigDecimal decimal = new BigDecimal(javaShortest).stripTrailingZeros();
        if (decimal.precision() != 2) {
            return decimal;
        }
        BigDecimal exact = new BigDecimal(value);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.DOWN, RoundingMode.UP}) {
            BigDecimal candidate = decimal.round(new MathContext(1, mode));
            boolean readsBack = isFloat32
                    ? candidate.floatValue() == (float) value
                    : candidate.doubleValue() == value;
            if (readsBack && (best == null
                    || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best == null ? decimal : best.stripTrailingZeros();
    }

    private static String goName(double value) {
        return Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
    }

    /** Writes Java floating-point values the way Go writes float64/float32. */
    private static final class GoFloatSerializer<T> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;

        GoFloatSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Number number = (Number) value;
            boolean isFloat32 = number instanceof Float;
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw JsonMappingException.from(gen, "unsupported value: " + goName(d));
            }
            gen.writeNumber(formatFloat(d, isFloat32));
        }
    }

    /** Go's {@code MarshalIndent} layout; a new instance per document (it counts the nesting depth). */
    // nats-server: Go encoding/json indent.go appendIndent
    private static final class GoIndent implements PrettyPrinter, Instantiatable<GoIndent> {
        private final String indent;
        private int depth;

        GoIndent(String indent) {
            this.indent = indent;
        }

        @Override
        public GoIndent createInstance() {
            return new GoIndent(indent);
        }

        private void newline(JsonGenerator gen) throws IOException {
            gen.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                gen.writeRaw(indent);
            }
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator gen) throws IOException {
            gen.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator gen) throws IOException {
            newline(gen);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw(',');
            newline(gen);
        }

        @Override
        public void writeEndObject(JsonGenerator gen, int nrOfEntries) throws IOException {
            depth--;
            if (nrOfEntries > 0) {
                newline(gen);
            }
            gen.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator gen) throws IOException {
            gen.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator gen) throws IOException {
            newline(gen);
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator gen) throws IOException {
            gen.writeRaw(',');
            newline(gen);
        }

        @Override
        public void writeEndArray(JsonGenerator gen, int nrOfValues) throws IOException {
            depth--;
            if (nrOfValues > 0) {
                newline(gen);
            }
            gen.writeRaw(']');
        }
    }

    /** Go's string escapes on top of JSON's: HTML-sensitive characters and the two line separators. */
    // nats-server: Go encoding/json encode.go appendString with escapeHTML (the json.Marshal default)
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final SerializableString LESS_THAN = new SerializedString("\\u003c");
        private static final SerializableString GREATER_THAN = new SerializedString("\\u003e");
        private static final SerializableString AMPERSAND = new SerializedString("\\u0026");
        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        private final int[] asciiEscapes;

        GoEscapes() {
            int[] escapes = standardAsciiEscapesForJSON();
            escapes['<'] = ESCAPE_CUSTOM;
            escapes['>'] = ESCAPE_CUSTOM;
            escapes['&'] = ESCAPE_CUSTOM;
            this.asciiEscapes = escapes;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> LESS_THAN;
                case '>' -> GREATER_THAN;
                case '&' -> AMPERSAND;
                case 0x2028 -> LINE_SEPARATOR;
                case 0x2029 -> PARAGRAPH_SEPARATOR;
                default -> null;
            };
        }
    }
}
