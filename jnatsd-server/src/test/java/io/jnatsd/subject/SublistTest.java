package io.jnatsd.subject;

import static io.jnatsd.subject.TestSub.bytes;
import static io.jnatsd.subject.TestSub.plain;
import static io.jnatsd.subject.TestSub.qsub;
import static io.jnatsd.subject.TestSub.queues;
import static io.jnatsd.subject.TestSub.remoteQsub;
import static io.jnatsd.subject.TestSub.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ports of nats-server's sublist_test.go (Cache/NoCache twins as one parameterized test) plus cache and edge tests. */
class SublistTest {

    private static final int PLIST_MIN = 256; // nats-server: sublist.go plistMin, used by the ported tests

    private static Sublist<TestSub> sublist(boolean cache) {
        return new Sublist<>(cache);
    }

    @Test
    void init() {
        Sublist<TestSub> s = sublist(true);
        assertThat(s.count()).isZero();
        assertThat(s.cacheEnabled()).isTrue();
        assertThat(sublist(false).cacheEnabled()).isFalse();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void insertCount(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        s.insert(sub("foo"));
        s.insert(sub("bar"));
        s.insert(sub("foo.bar"));
        assertThat(s.count()).isEqualTo(3);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void simple(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("foo");
        s.insert(sub);
        assertThat(plain(s.match("foo"))).containsExactly(sub);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void simpleMultiTokens(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("foo.bar.baz");
        s.insert(sub);
        assertThat(plain(s.match("foo.bar.baz"))).containsExactly(sub);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void partialWildcard(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub lsub = sub("a.b.c");
        TestSub psub = sub("a.*.c");
        s.insert(lsub);
        s.insert(psub);
        assertThat(plain(s.match("a.b.c"))).containsExactlyInAnyOrder(lsub, psub);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void partialWildcardAtEnd(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub lsub = sub("a.b.c");
        TestSub psub = sub("a.b.*");
        s.insert(lsub);
        s.insert(psub);
        assertThat(plain(s.match("a.b.c"))).containsExactlyInAnyOrder(lsub, psub);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void fullWildcard(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub lsub = sub("a.b.c");
        TestSub fsub = sub("a.>");
        s.insert(lsub);
        s.insert(fsub);
        assertThat(plain(s.match("a.b.c"))).containsExactlyInAnyOrder(lsub, fsub);
        assertThat(plain(s.match("a.>"))).containsExactly(fsub);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void remove(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("a.b.c.d");
        s.insert(sub);
        assertThat(s.count()).isEqualTo(1);
        assertThat(plain(s.match("a.b.c.d"))).hasSize(1);
        assertThat(s.remove(sub("a.b.c"))).isFalse();
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.remove(sub)).isTrue();
        assertThat(s.count()).isZero();
        assertThat(s.match("a.b.c.d").isEmpty()).isTrue();
        assertThat(s.remove(sub)).isFalse();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void removeWildcard(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("a.b.c.d");
        TestSub psub = sub("a.b.*.d");
        TestSub fsub = sub("a.b.>");
        s.insert(sub);
        s.insert(psub);
        s.insert(fsub);
        assertThat(s.count()).isEqualTo(3);
        assertThat(plain(s.match("a.b.c.d"))).hasSize(3);
        s.remove(sub);
        assertThat(s.count()).isEqualTo(2);
        s.remove(fsub);
        assertThat(s.count()).isEqualTo(1);
        s.remove(psub);
        assertThat(s.count()).isZero();
        assertThat(s.match("a.b.c.d").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void removeCleanup(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("a.b.c.d.e.f");
        assertThat(s.numLevels()).isZero();
        s.insert(sub);
        assertThat(s.numLevels()).isEqualTo(6);
        s.remove(sub);
        assertThat(s.numLevels()).isZero();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void removeCleanupWildcards(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("a.b.*.d.e.>");
        assertThat(s.numLevels()).isZero();
        s.insert(sub);
        assertThat(s.numLevels()).isEqualTo(6);
        s.remove(sub);
        assertThat(s.numLevels()).isZero();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void removeWithLargeSubs(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        for (int i = 0; i < PLIST_MIN * 2; i++) {
            s.insert(sub("foo"));
        }
        SublistResult<TestSub> r = s.match("foo");
        assertThat(r.plainCount()).isEqualTo(PLIST_MIN * 2);
        s.remove(r.plain(PLIST_MIN));
        s.remove(r.plain(0));
        s.remove(r.plain(r.plainCount() - 1));
        assertThat(s.match("foo").plainCount()).isEqualTo(PLIST_MIN * 2 - 3);
        assertThat(plain(s.match("foo"))).doesNotContain(r.plain(PLIST_MIN), r.plain(0), r.plain(r.plainCount() - 1));
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void invalidSubjectsInsert(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        for (String bad : List.of(".foo", "foo.", "foo..bar", "foo.bar..baz", "foo.>.bar", "", ">.>")) {
            assertThatThrownBy(() -> s.insert(sub(bad)))
                    .as(bad)
                    .isInstanceOf(InvalidSubjectException.class)
                    .hasMessage("sublist: invalid subject");
        }
        assertThat(s.count()).isZero();
        assertThat(s.numLevels()).isZero();
    }

    @Test
    void noCacheRemoveBatch() {
        Sublist<TestSub> s = sublist(false);
        s.insert(sub("foo"));
        TestSub sub = sub("bar");
        s.insert(sub);
        s.removeBatch(List.of(sub));
        for (int i = 0; i < 10; i++) {
            s.match("foo");
        }
        assertThat(s.cacheEnabled()).isFalse();
        assertThat(s.cacheCount()).isZero();
    }

    @Test
    void removeBatchWithError() {
        Sublist<TestSub> s = sublist(false);
        TestSub sub1 = sub("foo");
        TestSub sub2 = sub("bar");
        TestSub sub3 = sub("baz");
        s.insert(sub1);
        s.insert(sub2);
        s.insert(sub3);
        // A subscription that was never inserted does not stop the others from being removed.
        s.removeBatch(List.of(sub("not.inserted"), sub1, sub3));
        assertThat(s.count()).isEqualTo(1);
        assertThat(plain(s.match("bar"))).containsExactly(sub2);
        assertThat(s.match("foo").isEmpty()).isTrue();
        assertThat(s.match("baz").isEmpty()).isTrue();
    }

    @Test
    void cache() {
        Sublist<TestSub> s = sublist(true);
        TestSub sub = sub("a.b.c.d");
        TestSub psub = sub("a.b.*.d");
        TestSub fsub = sub("a.b.>");
        s.insert(sub);
        assertThat(s.match("a.b.c.d").plainCount()).isEqualTo(1);
        s.insert(psub);
        s.insert(fsub);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.match("a.b.c.d").plainCount()).isEqualTo(3);
        s.remove(sub);
        assertThat(s.count()).isEqualTo(2);
        s.remove(fsub);
        assertThat(s.count()).isEqualTo(1);
        s.remove(psub);
        assertThat(s.count()).isZero();
        assertThat(s.cacheCount()).isZero();
        assertThat(s.match("a.b.c.d").isEmpty()).isTrue();

        for (int i = 0; i < 2 * Sublist.CACHE_MAX_ENTRIES; i++) {
            s.match("foo-" + i + "\n");
        }
        assertThat(s.cacheCount()).isLessThanOrEqualTo(Sublist.CACHE_MAX_ENTRIES);

        // Adding a wildcard updates the cached results it matches.
        s = sublist(true);
        s.insert(sub("foo.*"));
        s.insert(sub("foo.bar"));
        assertThat(s.match("foo.baz").plainCount()).isEqualTo(1);
        assertThat(s.match("foo.bar").plainCount()).isEqualTo(2);
        s.insert(sub("foo.>"));
        assertThat(s.match("foo.bar").plainCount()).isEqualTo(3);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void basicQueueResults(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("foo");
        TestSub sub1 = qsub("foo", "bar");
        TestSub sub2 = qsub("foo", "baz");

        s.insert(sub1);
        SublistResult<TestSub> r = s.match("foo");
        assertThat(r.plainCount()).isZero();
        assertThat(queues(r)).isEqualTo(Map.of("bar", List.of(sub1)));

        s.insert(sub2);
        r = s.match("foo");
        assertThat(r.plainCount()).isZero();
        assertThat(queues(r)).isEqualTo(Map.of("bar", List.of(sub1), "baz", List.of(sub2)));

        s.insert(sub);
        r = s.match("foo");
        assertThat(plain(r)).containsExactly(sub);
        assertThat(queues(r)).isEqualTo(Map.of("bar", List.of(sub1), "baz", List.of(sub2)));

        TestSub sub3 = qsub("foo", "bar");
        TestSub sub4 = qsub("foo", "baz");
        s.insert(sub3);
        s.insert(sub4);
        r = s.match("foo");
        assertThat(plain(r)).containsExactly(sub);
        assertThat(queues(r).get("bar")).containsExactlyInAnyOrder(sub1, sub3);
        assertThat(queues(r).get("baz")).containsExactlyInAnyOrder(sub2, sub4);

        // Now removal
        s.remove(sub);
        r = s.match("foo");
        assertThat(r.plainCount()).isZero();
        assertThat(queues(r).get("bar")).containsExactlyInAnyOrder(sub1, sub3);
        assertThat(queues(r).get("baz")).containsExactlyInAnyOrder(sub2, sub4);

        s.remove(sub1);
        r = s.match("foo");
        assertThat(queues(r).get("bar")).containsExactly(sub3);
        assertThat(queues(r).get("baz")).containsExactlyInAnyOrder(sub2, sub4);

        s.remove(sub3); // last of "bar"
        r = s.match("foo");
        assertThat(r.queueGroupCount()).isEqualTo(1);
        assertThat(queues(r).get("baz")).containsExactlyInAnyOrder(sub2, sub4);

        s.remove(sub2);
        s.remove(sub4);
        r = s.match("foo");
        assertThat(r.isEmpty()).isTrue();
        assertThat(s.numLevels()).isZero();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void badSubjectOnRemove(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("a.b..d");
        assertThatThrownBy(() -> s.insert(sub)).isInstanceOf(InvalidSubjectException.class);
        assertThat(s.remove(sub)).isFalse();
        assertThat(s.remove(sub("a.>.b"))).isFalse();
    }

    // nats-server bug report #18
    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void twoTokenPubMatchSingleTokenSub(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("foo");
        s.insert(sub);
        assertThat(plain(s.match("foo"))).containsExactly(sub);
        assertThat(s.match("foo.bar").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void insertWithWildcardsAsLiterals(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        for (String subject : List.of("foo.*-", "foo.>-")) {
            TestSub sub = sub(subject);
            s.insert(sub);
            assertThat(s.match("foo.bar").isEmpty()).isTrue();
            assertThat(plain(s.match(subject))).containsExactly(sub);
        }
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void removeWithWildcardsAsLiterals(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        for (String subject : List.of("foo.*-", "foo.>-")) {
            TestSub sub = sub(subject);
            s.insert(sub);
            assertThat(s.remove(sub("foo.bar"))).isFalse();
            assertThat(s.count()).isEqualTo(1);
            assertThat(s.remove(sub)).isTrue();
            assertThat(s.count()).isZero();
        }
    }

    // Results handed out stay intact while another thread removes or inserts.
    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void raceOnRemove(boolean cache) throws Exception {
        Sublist<TestSub> s = sublist(cache);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            for (boolean queue : new boolean[] {true, false}) {
                List<TestSub> subs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    subs.add(queue ? qsub("foo", "bar") : sub("foo"));
                }
                for (int round = 0; round < 2; round++) {
                    subs.forEach(s::insert);
                    if (round == 1) {
                        s.match("foo");
                    }
                    SublistResult<TestSub> r = s.match("foo");
                    Future<?> removal = pool.submit(() -> subs.forEach(s::remove));
                    List<TestSub> seen = queue ? queues(r).get("bar") : plain(r);
                    assertThat(seen).hasSize(100).allSatisfy(sub -> {
                        assertThat(sub.subjectText).isEqualTo("foo");
                        assertThat(sub.queueText).isEqualTo(queue ? "bar" : null);
                    });
                    removal.get();
                    assertThat(s.match("foo").isEmpty()).isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void raceOnInsert(boolean cache) throws Exception {
        Sublist<TestSub> s = sublist(cache);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            for (boolean queue : new boolean[] {true, false}) {
                List<TestSub> subs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    subs.add(queue ? qsub("foo", "bar") : sub("foo"));
                }
                Future<?> insertion = pool.submit(() -> subs.forEach(s::insert));
                for (int i = 0; i < 1000; i++) {
                    SublistResult<TestSub> r = s.match("foo");
                    List<TestSub> seen = queue ? queues(r).getOrDefault("bar", List.of()) : plain(r);
                    assertThat(seen).doesNotHaveDuplicates().allSatisfy(sub ->
                            assertThat(sub.queueText).isEqualTo(queue ? "bar" : null));
                }
                insertion.get();
                SublistResult<TestSub> r = s.match("foo");
                assertThat(queue ? queues(r).get("bar") : plain(r)).containsExactlyInAnyOrderElementsOf(subs);
            }
        }
    }

    @Test
    void raceOnMatch() throws Exception {
        Sublist<TestSub> s = sublist(false);
        s.insert(qsub("foo.*", "workers"));
        s.insert(qsub("foo.bar", "workers"));
        s.insert(sub("foo.*"));
        s.insert(sub("foo.bar"));
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> matchers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                matchers.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        SublistResult<TestSub> r = s.match("foo.bar");
                        assertThat(plain(r)).hasSize(2)
                                .allSatisfy(sub -> assertThat(sub.subjectText).startsWith("foo."));
                        assertThat(queues(r).get("workers")).hasSize(2);
                    }
                }));
            }
            for (Future<?> matcher : matchers) {
                matcher.get();
            }
        }
    }

    // Remote queue subscriptions stand for several members and are repeated by their weight.
    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void remoteQueueSubscriptions(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub s1 = qsub("foo", "bar");
        TestSub s2 = qsub("foo", "bar");
        s.insert(s1);
        s.insert(s2);
        TestSub rs1 = remoteQsub("foo", "bar", 10);
        TestSub rs2 = remoteQsub("foo", "bar", 10);
        s.insert(rs1);
        s.insert(rs2);
        assertThat(s.count()).isEqualTo(4);

        SublistResult<TestSub> r = s.match("foo");
        assertThat(r.plainCount()).isZero();
        assertThat(r.queueGroupCount()).isEqualTo(1);
        assertThat(r.queueGroupSize(0)).isEqualTo(22);

        s.remove(s1);
        s.remove(rs1);
        assertThat(s.count()).isEqualTo(2);
        r = s.match("foo");
        assertThat(r.queueGroupCount()).isEqualTo(1);
        assertThat(r.queueGroupSize(0)).isEqualTo(11);

        rs2.weight = 1;
        s.updateRemoteQueueSub(rs2);
        r = s.match("foo");
        assertThat(r.queueGroupCount()).isEqualTo(1);
        assertThat(r.queueGroupSize(0)).isEqualTo(2);
    }

    @Test
    void sharedEmptyResult() {
        Sublist<TestSub> s = sublist(true);
        SublistResult<TestSub> r1 = s.match("foo");
        SublistResult<TestSub> r2 = s.match("bar");
        assertThat(r1.isEmpty()).isTrue();
        assertThat(r1.plainCount()).isZero();
        assertThat(r1.queueGroupCount()).isZero();
        assertThat(r2).isSameAs(r1);
    }

    @Test
    void noCacheStats() {
        Sublist<TestSub> s = sublist(false);
        s.insert(sub("foo"));
        s.insert(sub("bar"));
        s.insert(sub("baz"));
        s.insert(sub("foo.bar.baz"));
        s.match("a.b.c");
        s.match("bar");
        SublistStats stats = s.stats();
        assertThat(stats.numCache()).isZero();
        assertThat(stats.numSubs()).isEqualTo(4);
        assertThat(stats.numInserts()).isEqualTo(4);
        assertThat(stats.numMatches()).isEqualTo(2);
        assertThat(stats.cacheHitRate()).isZero();
    }

    @Test
    void shouldReportStats() {
        Sublist<TestSub> s = sublist(true);
        TestSub foo = sub("foo");
        s.insert(foo);
        s.insert(sub("foo"));
        s.insert(qsub("foo", "q"));
        s.insert(sub("bar"));
        s.remove(foo);
        s.match("foo");                         // miss: 1 plain + 1 group
        s.match("foo");                         // hit
        s.match("bar");                         // miss: 1 plain
        s.match("none");                        // miss: empty, cached too
        SublistStats stats = s.stats();
        assertThat(stats.numSubs()).isEqualTo(3);
        assertThat(stats.numInserts()).isEqualTo(4);
        assertThat(stats.numRemoves()).isEqualTo(1);
        assertThat(stats.numMatches()).isEqualTo(4);
        assertThat(stats.numCache()).isEqualTo(3);
        assertThat(stats.cacheHitRate()).isEqualTo(0.25);
        assertThat(stats.maxFanout()).isEqualTo(2);
        assertThat(stats.avgFanout()).isEqualTo(1.0);
    }

    @Test
    void all() {
        Sublist<TestSub> s = sublist(false);
        List<TestSub> subs = List.of(sub("foo.bar.baz"), sub("foo"), sub("baz"), qsub("foo.*", "q"), sub(">"),
                remoteQsub("foo", "q", 5));
        subs.forEach(s::insert);
        List<TestSub> out = new ArrayList<>();
        s.all(out);
        assertThat(out).containsExactlyInAnyOrderElementsOf(subs);
    }

    @Test
    void matchWithEmptyTokens() {
        for (boolean cache : new boolean[] {true, false}) {
            Sublist<TestSub> s = sublist(cache);
            s.insert(sub(">"));
            s.insert(qsub(">", "queue"));
            for (String subject : List.of(".foo", "..foo", "foo..", "foo.", "foo..bar", "foo...bar", "", ".")) {
                assertThat(s.match(subject).isEmpty()).as(subject).isTrue();
                assertThat(s.hasInterest(bytes(subject), 0, subject.length())).as(subject).isFalse();
            }
            assertThat(s.cacheCount()).isZero();
        }
    }

    @Test
    void addCacheHitRate() {
        Sublist<TestSub> sl1 = sublist(true);
        sl1.insert(sub("foo"));
        for (int i = 0; i < 4; i++) {
            sl1.match("foo");
        }
        SublistStats stats1 = sl1.stats();
        assertThat(stats1.cacheHitRate()).isEqualTo(0.75);

        Sublist<TestSub> sl2 = sublist(true);
        sl2.insert(sub("bar"));
        for (int i = 0; i < 4; i++) {
            sl2.match("bar");
        }
        SublistStats stats2 = sl2.stats();
        assertThat(stats2.cacheHitRate()).isEqualTo(0.75);

        SublistStats total = new SublistStats(0, 0, 0, 0, 0, 0, 0, 0, 0).add(stats1).add(stats2);
        assertThat(total.cacheHitRate()).isEqualTo(0.75);
        assertThat(total.numMatches()).isEqualTo(8);
        assertThat(total.numCache()).isEqualTo(2);
        assertThat(total.avgFanout()).isEqualTo(1.0);
    }

    @Test
    void hasInterest() {
        Sublist<TestSub> sl = sublist(true);
        TestSub fooSub = sub("foo");
        sl.insert(fooSub);

        assertThat(interest(sl, "foo")).isTrue();
        assertThat(interest(sl, "bar")).isFalse();
        assertThat(sl.cacheHits()).isZero();

        sl.match("foo");
        assertThat(sl.cacheHits()).isZero();
        for (int i = 1; i <= 5; i++) {
            assertThat(interest(sl, "foo")).isTrue();
            assertThat(sl.cacheHits()).isEqualTo(i);
        }

        // Negative results are cached as well.
        long hits = sl.cacheHits();
        sl.match("bar");
        assertThat(interest(sl, "bar")).isFalse();
        assertThat(sl.cacheHits()).isEqualTo(hits + 1);

        sl.remove(fooSub);
        assertThat(interest(sl, "foo")).isFalse();

        checkInterest(sl, sub("foo.*"), "foo.bar", "foo.baz");
        checkInterest(sl, sub("foo.>"), "foo.bar", "foo.baz", "foo.bar.baz");
        checkInterest(sl, sub("*.>"), "foo.bar", "foo.baz", "foo.bar.baz");
        checkInterest(sl, sub("*.bar"), "foo.bar");
        checkInterest(sl, sub("*"), "foo");
        checkInterest(sl, qsub("foo", "bar"), "foo");
        checkInterest(sl, qsub("foo.*", "bar"), "foo.bar", "foo.baz");
        checkInterest(sl, qsub("foo.>", "bar"), "foo.bar", "foo.baz", "foo.bar.baz");
        checkInterest(sl, qsub("*.>", "bar"), "foo.bar", "foo.baz", "foo.bar.baz");
        checkInterest(sl, qsub("*.bar", "bar"), "foo.bar");
        checkInterest(sl, qsub("*", "bar"), "foo");

        // Two queue groups: interest lasts until the last one goes.
        TestSub q1 = qsub("foo.*", "bar");
        TestSub q2 = qsub("foo.*", "baz");
        sl.insert(q1);
        sl.insert(q2);
        sl.remove(q1);
        assertThat(interest(sl, "foo.bar")).isTrue();
        sl.remove(q2);
        assertThat(interest(sl, "foo.bar")).isFalse();
    }

    /** Inserts {@code sub}: exactly {@code interested} (among a fixed probe list) have interest; then removes it. */
    private static void checkInterest(Sublist<TestSub> sl, TestSub sub, String... interested) {
        sl.insert(sub);
        List<String> expected = List.of(interested);
        for (String subject : List.of("foo", "foo.bar", "foo.baz", "foo.bar.baz")) {
            assertThat(interest(sl, subject)).as(sub + " ~ " + subject).isEqualTo(expected.contains(subject));
        }
        sl.remove(sub);
        for (String subject : List.of("foo", "foo.bar", "foo.baz", "foo.bar.baz")) {
            assertThat(interest(sl, subject)).as("removed " + sub + " ~ " + subject).isFalse();
        }
    }

    @Test
    void hasInterestOverlapping() {
        Sublist<TestSub> sl = sublist(true);
        sl.insert(sub("stream.A.child"));
        sl.insert(sub("stream.*"));
        assertThat(interest(sl, "stream.A.child")).isTrue();
        assertThat(interest(sl, "stream.A")).isTrue();
    }

    private static boolean interest(Sublist<TestSub> sl, String subject) {
        byte[] framed = bytes("<" + subject + ">");
        return sl.hasInterest(framed, 1, subject.length());
    }

    // ---- beyond the Go tests ----

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldMatchWildcardEdgeCases(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub fooStar = sub("foo.*");
        TestSub fooGt = sub("foo.>");
        TestSub starGt = sub("*.>");
        TestSub gt = sub(">");
        TestSub star = sub("*");
        TestSub fooStarLiteral = sub("foo*");
        TestSub fooBar = sub("foo.bar");
        List.of(fooStar, fooGt, starGt, gt, star, fooStarLiteral, fooBar).forEach(s::insert);

        assertThat(plain(s.match("foo"))).containsExactlyInAnyOrder(gt, star);
        assertThat(plain(s.match("foo.bar"))).containsExactlyInAnyOrder(fooStar, fooGt, starGt, gt, fooBar);
        assertThat(plain(s.match("foo.bar.baz"))).containsExactlyInAnyOrder(fooGt, starGt, gt);
        assertThat(plain(s.match("foo*"))).containsExactlyInAnyOrder(fooStarLiteral, gt, star);
        assertThat(plain(s.match("foox"))).containsExactlyInAnyOrder(gt, star);
        // Publishing to a wildcard subject reaches only the same or wider wildcards.
        assertThat(plain(s.match("foo.*"))).containsExactlyInAnyOrder(fooStar, fooGt, starGt, gt);
        assertThat(plain(s.match("foo.>"))).containsExactlyInAnyOrder(fooStar, fooGt, starGt, gt);
        assertThat(plain(s.match("*"))).containsExactlyInAnyOrder(gt, star);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldIgnoreDuplicateInsert(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub plainSub = sub("foo");
        TestSub queueSub = qsub("foo", "q");
        s.insert(plainSub);
        s.insert(queueSub);
        s.match("foo");
        long generation = s.generation();
        s.insert(plainSub);
        s.insert(queueSub);
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.generation()).isEqualTo(generation);
        SublistResult<TestSub> r = s.match("foo");
        assertThat(plain(r)).containsExactly(plainSub);
        assertThat(queues(r)).isEqualTo(Map.of("q", List.of(queueSub)));
        assertThat(s.remove(plainSub)).isTrue();
        assertThat(s.remove(plainSub)).isFalse();
        assertThat(s.count()).isEqualTo(1);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldBumpGenerationOnEveryChange(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub a = sub("a");
        long g0 = s.generation();
        s.insert(a);
        long g1 = s.generation();
        assertThat(g1).isGreaterThan(g0);
        s.match("a");
        assertThat(s.generation()).isEqualTo(g1);
        assertThat(s.remove(sub("a"))).isFalse();
        assertThat(s.generation()).isEqualTo(g1);
        s.remove(a);
        long g2 = s.generation();
        assertThat(g2).isGreaterThan(g1);
        s.removeBatch(List.of(a));
        assertThat(s.generation()).isGreaterThan(g2);
    }

    @Test
    void shouldPatchCachedResultsOnInsert() {
        Sublist<TestSub> s = sublist(true);
        TestSub fooBar = sub("foo.bar");
        s.insert(fooBar);
        SublistResult<TestSub> before = s.match("foo.bar");
        s.match("foo.baz");
        s.match("foo.bar.baz");
        s.match("other");
        assertThat(s.cacheCount()).isEqualTo(4);

        TestSub star = sub("foo.*");
        s.insert(star);
        TestSub queued = qsub("foo.bar", "q");
        s.insert(queued);
        assertThat(s.cacheCount()).isEqualTo(4);    // patched in place, not evicted
        assertThat(plain(s.match("foo.bar"))).containsExactlyInAnyOrder(fooBar, star);
        assertThat(queues(s.match("foo.bar"))).isEqualTo(Map.of("q", List.of(queued)));
        assertThat(plain(s.match("foo.baz"))).containsExactly(star);
        assertThat(s.match("foo.bar.baz").isEmpty()).isTrue();
        assertThat(s.match("other").isEmpty()).isTrue();
        // The result handed out before is unchanged (results are immutable).
        assertThat(plain(before)).containsExactly(fooBar);
        assertThat(before.queueGroupCount()).isZero();
        assertThat(s.stats().cacheHits()).isEqualTo(5);
    }

    @Test
    void shouldEvictCachedResultsOnRemove() {
        Sublist<TestSub> s = sublist(true);
        TestSub star = sub("foo.*");
        TestSub fooBar = qsub("foo.bar", "q");
        s.insert(star);
        s.insert(fooBar);
        s.match("foo.bar");
        s.match("foo.baz");
        s.match("other");
        assertThat(s.cacheCount()).isEqualTo(3);

        s.remove(fooBar);                           // literal: evicts that subject only
        assertThat(s.cacheCount()).isEqualTo(2);
        assertThat(plain(s.match("foo.bar"))).containsExactly(star);
        assertThat(s.match("foo.bar").queueGroupCount()).isZero();

        s.remove(star);                             // wildcard: evicts every subject it matches
        assertThat(s.cacheCount()).isEqualTo(1);
        assertThat(s.match("foo.bar").isEmpty()).isTrue();
        assertThat(s.match("foo.baz").isEmpty()).isTrue();
    }

    @Test
    void shouldEmptyCacheOnRemoveBatch() {
        Sublist<TestSub> s = sublist(true);
        TestSub a = sub("a");
        s.insert(a);
        s.insert(sub("b"));
        s.match("a");
        s.match("b");
        s.removeBatch(List.of(a));
        assertThat(s.cacheCount()).isZero();
        assertThat(s.match("a").isEmpty()).isTrue();
        assertThat(s.match("b").plainCount()).isEqualTo(1);
        assertThat(s.cacheCount()).isEqualTo(2);
    }

    @Test
    void shouldSweepCacheDownWhenOverMaximum() {
        Sublist<TestSub> s = sublist(true);
        s.insert(sub("foo.*"));
        for (int i = 0; i < Sublist.CACHE_MAX_ENTRIES; i++) {
            s.match("foo." + i);
        }
        assertThat(s.cacheCount()).isEqualTo(Sublist.CACHE_MAX_ENTRIES);
        s.match("foo.one-more");
        assertThat(s.cacheCount()).isEqualTo(Sublist.CACHE_SWEEP_ENTRIES);
        for (int i = 0; i < Sublist.CACHE_MAX_ENTRIES; i++) {
            assertThat(s.match("foo." + i).plainCount()).isEqualTo(1);
        }
    }

    // A miss whose trie walk predates a writer's change must not store its (possibly stale) result.
    @Test
    void shouldNotCacheResultComputedBeforeAConcurrentChange() {
        Sublist<TestSub> s = sublist(true);
        byte[] subject = bytes("foo");
        int hash = Bytes.hash(subject, 0, subject.length);
        long walkedAt = s.generation();
        SublistResult<TestSub> walked = s.match("nothing");          // empty, as foo was at walkedAt
        TestSub foo = sub("foo");
        s.insert(foo);                                                // the writer finishes first
        s.offerToCache(subject, 0, subject.length, hash, walked, walkedAt);
        assertThat(s.cacheCount()).isEqualTo(1);                      // only "nothing"
        assertThat(plain(s.match("foo"))).containsExactly(foo);

        s.offerToCache(bytes("bar"), 0, 3, Bytes.hash(bytes("bar"), 0, 3), walked, s.generation());
        assertThat(s.cacheCount()).isEqualTo(3);
    }

    @Test
    void shouldNotCacheWhenDisabled() {
        Sublist<TestSub> s = sublist(false);
        s.insert(sub("foo"));
        s.match("foo");
        s.match("foo");
        assertThat(interest(s, "foo")).isTrue();
        assertThat(s.cacheCount()).isZero();
        assertThat(s.stats().cacheHits()).isZero();
        assertThat(s.stats().numMatches()).isEqualTo(2);
    }

    // nats-server merges groups of the same name that matched through different subscription subjects.
    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldMergeQueueGroupsAcrossSubjects(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub a = qsub("foo.*", "workers");
        TestSub b = qsub("foo.>", "workers");
        TestSub c = qsub("foo.bar", "workers");
        TestSub d = qsub("foo.bar", "other");
        s.insert(a);
        s.match("foo.bar");
        s.insert(b);
        s.insert(c);
        s.insert(d);
        SublistResult<TestSub> r = s.match("foo.bar");
        assertThat(r.queueGroupCount()).isEqualTo(2);
        assertThat(queues(r).get("workers")).containsExactlyInAnyOrder(a, b, c);
        assertThat(queues(r).get("other")).containsExactly(d);
        assertThat(queues(s.match("foo.baz")).get("workers")).containsExactlyInAnyOrder(a, b);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldRemoveQueueSubOnlyFromItsGroup(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub q1 = qsub("foo", "q1");
        TestSub q2 = qsub("foo", "q2");
        TestSub plainFoo = sub("foo");
        s.insert(q1);
        s.insert(q2);
        s.insert(plainFoo);
        s.match("foo");
        // Same subject, other queue: not present.
        assertThat(s.remove(qsub("foo", "q1"))).isFalse();
        assertThat(s.remove(q1)).isTrue();
        SublistResult<TestSub> r = s.match("foo");
        assertThat(plain(r)).containsExactly(plainFoo);
        assertThat(queues(r)).isEqualTo(Map.of("q2", List.of(q2)));
        assertThat(s.remove(plainFoo)).isTrue();
        assertThat(s.remove(q2)).isTrue();
        assertThat(s.match("foo").isEmpty()).isTrue();
        assertThat(s.numLevels()).isZero();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldMatchByteRangeInsideLargerBuffer(boolean cache) {
        Sublist<TestSub> s = sublist(cache);
        TestSub sub = sub("foo.bar");
        s.insert(sub);
        byte[] line = bytes("PUB foo.bar 5\r\n");
        for (int i = 0; i < 3; i++) {
            assertThat(plain(s.match(line, 4, 7))).containsExactly(sub);
            assertThat(s.match(line, 4, 3).isEmpty()).isTrue();
            assertThat(s.hasInterest(line, 4, 7)).isTrue();
        }
        assertThatThrownBy(() -> s.match(line, 10, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldNotAllocateOnCacheHit() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        Sublist<TestSub> s = sublist(true);
        s.insert(sub("foo.bar"));
        s.insert(qsub("foo.*", "q"));
        byte[] hit = bytes("PUB foo.bar 5");
        byte[] emptyHit = bytes("PUB nobody.here 5");
        int iterations = 20_000;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < iterations; i++) {
                sink += s.match(hit, 4, 7).plainCount();
                sink += s.match(emptyHit, 4, 10).queueGroupCount();
                sink += s.hasInterest(hit, 4, 7) ? 1 : 0;
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (round == 4) {
                // A single allocation per lookup would be at least 16 bytes each.
                assertThat(allocated).isLessThan(iterations);
            }
        }
        assertThat(sink).isEqualTo(5L * iterations * 2);
    }
    /** Random inserts, removes and matches, checked against a brute-force scan of the live subscriptions. */
    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldAgreeWithBruteForceUnderRandomOperations(boolean cache) {
        Random random = new Random(42);
        String[] tokens = {"a", "b", "c", "*", ">", "a*"};
        String[] queueNames = {null, null, "q1", "q2"};
        Sublist<TestSub> s = sublist(cache);
        List<TestSub> live = new ArrayList<>();
        for (int op = 0; op < 20_000; op++) {
            int choice = random.nextInt(10);
            if (choice < 3 || live.isEmpty()) {
                String subject = randomSubject(random, tokens);
                TestSub sub = random.nextInt(10) == 0
                        ? remoteQsub(subject, "q1", 1 + random.nextInt(3))
                        : qsub(subject, queueNames[random.nextInt(queueNames.length)]);
                s.insert(sub);
                live.add(sub);
            } else if (choice < 5) {
                TestSub sub = live.remove(random.nextInt(live.size()));
                assertThat(s.remove(sub)).isTrue();
            } else {
                String subject = randomSubject(random, new String[] {"a", "b", "c", "a*", "*"});
                SublistResult<TestSub> r = s.match(subject);
                assertThat(s.hasInterest(bytes(subject), 0, subject.length())).isEqualTo(!r.isEmpty());
                assertMatchesBruteForce(subject, r, live);
            }
        }
        assertThat(s.count()).isEqualTo(live.size());
        live.forEach(s::remove);
        assertThat(s.numLevels()).isZero();
    }

    private static String randomSubject(Random random, String[] tokens) {
        int length = 1 + random.nextInt(4);
        StringBuilder subject = new StringBuilder();
        for (int t = 0; t < length; t++) {
            String token = tokens[random.nextInt(tokens.length)];
            if (token.equals(">") && t < length - 1) {
                token = "*";
            }
            subject.append(t == 0 ? "" : ".").append(token);
        }
        return subject.toString();
    }

    /** Expected: every live subscription whose subject matches; queue groups merged by name, weighted. */
    static void assertMatchesBruteForce(String subject, SublistResult<TestSub> r, Collection<TestSub> live) {
        List<TestSub> expectedPlain = new ArrayList<>();
        Map<String, List<TestSub>> expectedQueues = new TreeMap<>();
        for (TestSub sub : live) {
            if (!Subjects.matchLiteral(bytes(subject), sub.subject())) {
                continue;
            }
            if (sub.queueText == null) {
                expectedPlain.add(sub);
            } else {
                for (int w = 0; w < sub.weight; w++) {
                    expectedQueues.computeIfAbsent(sub.queueText, q -> new ArrayList<>()).add(sub);
                }
            }
        }
        assertThat(plain(r)).as(subject).containsExactlyInAnyOrderElementsOf(expectedPlain);
        Map<String, List<TestSub>> actualQueues = queues(r);
        assertThat(actualQueues.keySet()).as(subject).isEqualTo(expectedQueues.keySet());
        expectedQueues.forEach((queue, members) ->
                assertThat(actualQueues.get(queue)).as(subject + " " + queue)
                        .containsExactlyInAnyOrderElementsOf(members));
    }
}
