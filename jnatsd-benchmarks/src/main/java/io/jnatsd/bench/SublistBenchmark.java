package io.jnatsd.bench;

import io.jnatsd.subject.Sublist;
import io.jnatsd.subject.SublistEntry;
import io.jnatsd.subject.SublistResult;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Sublist#match} on the publish path: literal and wildcard subjects, with and without interest, with the
 * shared cache on and off, over 10k, 100k and 1M subscriptions (as nats-server's {@code Benchmark_*SublistMatch*} in
 * {@code server/sublist_test.go}).
 *
 * <p>Subscriptions: 99% literal {@code bench.a<i>.b<j>.c<k>}, 1% wildcard {@code wild.w<n>.*.>}. Each benchmark
 * cycles through {@value #SUBJECTS} subjects, few enough to stay in the shared cache (1024 entries) when it is on,
 * so "cache=true" measures cache hits; {@link #literalHitManySubjects} cycles through {@value #MANY_SUBJECTS} to
 * measure the miss path with cache insertion and sweeping.
 *
 * <p>Run: {@code java -jar jnatsd-benchmarks/target/jnatsd-jmh.jar SublistBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SublistBenchmark {

    private static final int SUBJECTS = 512;
    private static final int MANY_SUBJECTS = 8192;
    private static final int WILDCARD_EVERY = 100;

    @Param({"10000", "100000", "1000000"})
    int subscriptions;

    @Param({"true", "false"})
    boolean cache;

    private Sublist<Subscription> sublist;
    private byte[][] literalHits;
    private byte[][] literalMisses;
    private byte[][] wildcardHits;
    private byte[][] wildcardMisses;
    private byte[][] manyLiteralHits;
    private int next;

    /** A plain subscription; the benchmark never uses queue groups. */
    static final class Subscription implements SublistEntry {
        private final byte[] subject;

        Subscription(String subject) {
            this.subject = subject.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public byte[] subject() {
            return subject;
        }

        @Override
        public byte[] queue() {
            return null;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        sublist = new Sublist<>(cache);
        int wildcards = subscriptions / WILDCARD_EVERY;
        int literals = subscriptions - wildcards;
        for (int i = 0; i < literals; i++) {
            sublist.insert(new Subscription(literal(i)));
        }
        for (int n = 0; n < wildcards; n++) {
            sublist.insert(new Subscription("wild.w" + n + ".*.>"));
        }
        SplittableRandom random = new SplittableRandom(7);
        literalHits = new byte[SUBJECTS][];
        literalMisses = new byte[SUBJECTS][];
        wildcardHits = new byte[SUBJECTS][];
        wildcardMisses = new byte[SUBJECTS][];
        for (int s = 0; s < SUBJECTS; s++) {
            int i = random.nextInt(literals);
            literalHits[s] = ascii(literal(i));
            literalMisses[s] = ascii("bench.a" + (i % 100) + ".b" + (i / 100 % 100) + ".miss" + i);
            int n = random.nextInt(wildcards);
            wildcardHits[s] = ascii("wild.w" + n + ".x" + s + ".y");
            wildcardMisses[s] = ascii("wild.w" + n + ".x" + s);           // '>' needs one more token
        }
        manyLiteralHits = new byte[MANY_SUBJECTS][];
        for (int s = 0; s < MANY_SUBJECTS; s++) {
            manyLiteralHits[s] = ascii(literal(random.nextInt(literals)));
        }
        check(literalHits, true);
        check(literalMisses, false);
        check(wildcardHits, true);
        check(wildcardMisses, false);
    }

    private static String literal(int i) {
        return "bench.a" + (i % 100) + ".b" + (i / 100 % 100) + ".c" + (i / 10_000);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void check(byte[][] subjects, boolean interest) {
        for (byte[] subject : subjects) {
            if (sublist.match(subject, 0, subject.length).isEmpty() == interest) {
                throw new IllegalStateException(new String(subject, StandardCharsets.US_ASCII)
                        + (interest ? " has no interest" : " has interest"));
            }
        }
    }

    private SublistResult<Subscription> match(byte[][] subjects) {
        byte[] subject = subjects[next++ & (subjects.length - 1)];
        return sublist.match(subject, 0, subject.length);
    }

    @Benchmark
    public SublistResult<Subscription> literalHit() {
        return match(literalHits);
    }

    @Benchmark
    public SublistResult<Subscription> literalMiss() {
        return match(literalMisses);
    }

    @Benchmark
    public SublistResult<Subscription> wildcardHit() {
        return match(wildcardHits);
    }

    @Benchmark
    public SublistResult<Subscription> wildcardMiss() {
        return match(wildcardMisses);
    }

    @Benchmark
    public SublistResult<Subscription> literalHitManySubjects() {
        return match(manyLiteralHits);
    }
}
