package io.jnatsd.subject;

import static io.jnatsd.subject.TestSub.bytes;
import static io.jnatsd.subject.TestSub.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class MatchCacheTest {

    private static SublistResult<TestSub> result(String subject) {
        return new SublistResult<>(new Object[] {sub(subject)}, new Object[0][], new byte[0][]);
    }

    @Test
    void shouldCacheResultsForOneGeneration() {
        MatchCache<TestSub> cache = new MatchCache<>(512);
        byte[] line = bytes("PUB foo.bar 5");
        SublistResult<TestSub> r = result("foo.bar");
        assertThat(cache.get(line, 4, 7, 1)).isNull();
        cache.put(line, 4, 7, 1, r);
        assertThat(cache.get(bytes("foo.bar"), 0, 7, 1)).isSameAs(r);
        assertThat(cache.get(line, 4, 3, 1)).isNull();
        assertThat(cache.size()).isEqualTo(1);

        // The key bytes were copied: reusing the read buffer does not corrupt the entry.
        System.arraycopy(bytes("xxx.yyy"), 0, line, 4, 7);
        assertThat(cache.get(line, 4, 7, 1)).isNull();
        assertThat(cache.get(bytes("foo.bar"), 0, 7, 1)).isSameAs(r);
    }

    @Test
    void shouldEmptyWhenGenerationChanges() {
        MatchCache<TestSub> cache = new MatchCache<>(512);
        byte[] foo = bytes("foo");
        cache.put(foo, 0, 3, 7, result("foo"));
        assertThat(cache.get(foo, 0, 3, 8)).isNull();
        assertThat(cache.size()).isZero();
        assertThat(cache.get(foo, 0, 3, 7)).isNull();

        // A put under another generation also starts afresh.
        cache.put(foo, 0, 3, 7, result("foo"));
        cache.put(bytes("bar"), 0, 3, 9, result("bar"));
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(foo, 0, 3, 9)).isNull();
        assertThat(cache.get(bytes("bar"), 0, 3, 9)).isNotNull();
    }

    // nats-server keeps only results with interest in its L1 map; jnatsd also keeps "no interest", so a publisher
    // nobody listens to skips the shared sublist (and its lock) like any other
    @Test
    void shouldCacheEmptyResults() {
        MatchCache<TestSub> cache = new MatchCache<>(512);
        SublistResult<TestSub> empty = SublistResult.empty();
        cache.put(bytes("foo"), 0, 3, 1, empty);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(bytes("foo"), 0, 3, 1)).isSameAs(empty);
        assertThat(cache.get(bytes("foo"), 0, 3, 2)).isNull();
    }

    @Test
    void shouldReplaceTheResultOfAnExistingKey() {
        MatchCache<TestSub> cache = new MatchCache<>(512);
        SublistResult<TestSub> second = result("foo");
        cache.put(bytes("foo"), 0, 3, 1, result("foo"));
        cache.put(bytes("foo"), 0, 3, 1, second);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(bytes("foo"), 0, 3, 1)).isSameAs(second);
    }

    @Test
    void shouldEvictAboutThirtyThreeEntriesWhenFull() {
        int max = 512;
        MatchCache<TestSub> cache = new MatchCache<>(max);
        SublistResult<TestSub>[] results = newResults(max + 100);
        for (int i = 0; i < max; i++) {
            cache.put(bytes("subject." + i), 0, ("subject." + i).length(), 1, results[i]);
        }
        assertThat(cache.size()).isEqualTo(max);
        byte[] extra = bytes("one.more");
        cache.put(extra, 0, extra.length, 1, results[max]);
        assertThat(cache.size()).isEqualTo(max - MatchCache.PRUNE_ENTRIES + 1);
        assertThat(cache.get(extra, 0, extra.length, 1)).isSameAs(results[max]);

        // Every surviving entry is still found (the probe runs were repaired) and maps to its own result.
        int found = 1;
        for (int i = 0; i < max; i++) {
            byte[] key = bytes("subject." + i);
            SublistResult<TestSub> hit = cache.get(key, 0, key.length, 1);
            if (hit != null) {
                assertThat(hit).isSameAs(results[i]);
                found++;
            }
        }
        assertThat(found).isEqualTo(cache.size());

        for (int i = 0; i < 100; i++) {
            byte[] key = bytes("later." + i);
            cache.put(key, 0, key.length, 1, results[i]);
            assertThat(cache.size()).isLessThanOrEqualTo(max);
        }
    }

    @Test
    void shouldRejectNonPositiveSize() {
        assertThatThrownBy(() -> new MatchCache<TestSub>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxEntries: 0 (expected: > 0)");
    }

    @Test
    void shouldNotAllocateOnGet() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        MatchCache<TestSub> cache = new MatchCache<>(512);
        byte[] line = bytes("PUB orders.eu.created 12");
        cache.put(line, 4, 17, 3, result("orders.eu.created"));
        int iterations = 20_000;
        long hits = 0;
        for (int round = 0; round < 5; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < iterations; i++) {
                hits += cache.get(line, 4, 17, 3) != null ? 1 : 0;
                hits += cache.get(line, 4, 9, 3) != null ? 1 : 0;
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (round == 4) {
                assertThat(allocated).isLessThan(iterations);
            }
        }
        assertThat(hits).isEqualTo(5L * iterations);
    }

    @SuppressWarnings("unchecked")
    private static SublistResult<TestSub>[] newResults(int n) {
        SublistResult<TestSub>[] results = new SublistResult[n];
        for (int i = 0; i < n; i++) {
            results[i] = result("r" + i);
        }
        return results;
    }
}
