package io.jnatsd.bench.tool;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Summary of a latency histogram (HdrHistogram, nanosecond values): the percentiles the report shows, and the whole
 * histogram in HdrHistogram's compressed, base64 form for the JSON output (so it can be re-plotted or merged later).
 * Stateless.
 */
final class LatencyStats {

    /** Highest round trip the histograms track: 60 s. */
    static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    /** Significant decimal digits kept by the histograms. */
    static final int SIGNIFICANT_DIGITS = 3;

    private LatencyStats() {
    }

    /** An empty histogram for round-trip times in nanoseconds. */
    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    }

    /** p50, p90, p99, p99.9, max and mean in microseconds, in that order. */
    static Map<String, Double> percentilesMicros(Histogram h) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("p50", h.getValueAtPercentile(50) / 1e3);
        out.put("p90", h.getValueAtPercentile(90) / 1e3);
        out.put("p99", h.getValueAtPercentile(99) / 1e3);
        out.put("p99.9", h.getValueAtPercentile(99.9) / 1e3);
        out.put("max", h.getMaxValue() / 1e3);
        out.put("mean", h.getMean() / 1e3);
        return out;
    }

    /** The histogram, compressed and base64-encoded. */
    static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        byte[] bytes = new byte[n];
        buf.flip();
        buf.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The inverse of {@link #encode}. */
    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram", e);
        }
    }
}
