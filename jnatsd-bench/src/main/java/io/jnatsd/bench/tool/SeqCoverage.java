package io.jnatsd.bench.tool;

import java.util.Arrays;
import java.util.List;

/**
 * The set of sequence numbers one queue-group member received, as a bit set, so that the members' sets can be merged
 * at the end to prove that every published message reached exactly one member.
 * <p>
 * Owned by one reading thread; {@link #merge} runs after all readers have been joined.
 */
final class SeqCoverage {

    private long[] words = new long[1024];
    private long duplicates;           // numbers this member saw twice

    /** Records sequence {@code seq} (1-based). */
    void add(long seq) {
        if (seq <= 0) {
            duplicates++;          // cannot be a valid sequence number; count it as bad
            return;
        }
        long bit = seq - 1;
        int word = (int) (bit >>> 6);
        if (word >= words.length) {
            words = Arrays.copyOf(words, Math.max(word + 1, words.length * 2));
        }
        long m = 1L << bit;
        if ((words[word] & m) != 0) {
            duplicates++;
        }
        words[word] |= m;
    }

    /** Result of {@link #merge}: how many of {@code 1..published} nobody got, and how many were delivered twice. */
    record Merged(long missing, long duplicates) {
    }

    /** Merges the members' sets against {@code 1..published}. */
    static Merged merge(List<SeqCoverage> members, long published) {
        int words = (int) ((published + 63) >>> 6);
        long[] union = new long[words];
        long duplicates = 0;
        long beyond = 0;
        for (SeqCoverage member : members) {
            duplicates += member.duplicates;
            for (int w = 0; w < member.words.length; w++) {
                long bits = member.words[w];
                if (bits == 0) {
                    continue;
                }
                if (w >= words) {
                    beyond += Long.bitCount(bits);
                    continue;
                }
                duplicates += Long.bitCount(union[w] & bits);
                union[w] |= bits;
            }
        }
        long present = 0;
        for (int w = 0; w < words; w++) {
            long bits = union[w];
            if (w == words - 1 && (published & 63) != 0) {
                long valid = (1L << (published & 63)) - 1;
                beyond += Long.bitCount(bits & ~valid);
                bits &= valid;
            }
            present += Long.bitCount(bits);
        }
        return new Merged(published - present, duplicates + beyond);
    }
}
