package io.jnatsd.server.monitor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.jnatsd.config.GoDuration;

import java.io.IOException;
import java.time.Duration;

/** nats-server's monitoring forms of durations and numbers. Stateless. */
final class GoFormats {

    private static final long MICROSECOND_NANOS = 1_000;
    private static final long MILLISECOND_NANOS = 1_000_000;

    private GoFormats() {
    }

    /**
     * Uptime and idle strings: whole seconds as {@code XyXdXhXmXs} with leading zero units left out
     * ({@code 7s}, {@code 2m5s}, {@code 1d0h0m3s}); negative durations count as zero.
     */
    // nats-server: monitor.go myUptime
    static String uptime(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        long minutes = seconds / 60;
        long hours = minutes / 60;
        long days = hours / 24;
        long years = days / 365;
        if (years > 0) {
            return years + "y" + days % 365 + "d" + hours % 24 + "h" + minutes % 60 + "m" + seconds % 60 + "s";
        }
        if (days > 0) {
            return days + "d" + hours % 24 + "h" + minutes % 60 + "m" + seconds % 60 + "s";
        }
        if (hours > 0) {
            return hours + "h" + minutes % 60 + "m" + seconds % 60 + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + seconds % 60 + "s";
        }
        return seconds + "s";
    }

    /** An RTT as nats-server prints it: Go's duration string, truncated to microseconds between 1 µs and 1 ms. */
    // nats-server: monitor.go getRTT
    static String rtt(long nanos) {
        long value = nanos;
        if (value > MICROSECOND_NANOS && value < MILLISECOND_NANOS) {
            value = value / MICROSECOND_NANOS * MICROSECOND_NANOS;
        }
        return GoDuration.formatNanos(value);
    }

    /**
     * Writes a {@code long} as Go writes a {@code uint64} holding the same bits: {@code -1} becomes
     * {@code 18446744073709551615} (nats-server converts signed limits to unsigned figures in places).
     */
    static final class Uint64 extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(Long.toUnsignedString(value));
        }
    }
}
