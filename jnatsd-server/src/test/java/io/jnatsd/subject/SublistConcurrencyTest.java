package io.jnatsd.subject;

import static io.jnatsd.subject.TestSub.bytes;
import static io.jnatsd.subject.TestSub.qsub;
import static io.jnatsd.subject.TestSub.sub;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writers insert and remove subscriptions in a known order while readers match; every result must reflect all
 * changes that completed before its match started and no removal that completed before it, whether it came from
 * the trie, the shared cache or a per-connection {@link MatchCache}. No timing is involved: writers publish their
 * progress through atomics around each call, and pace themselves on the readers' check count so the two interleave.
 */
class SublistConcurrencyTest {

    private static final int SPACES = 3;               // w0, w1: insert/remove writers; b: insert + removeBatch
    private static final int BATCH_SPACE = 2;
    private static final int OPS = 4_000;              // ids (rounds for the batch writer) per space
    private static final int WINDOW = 8;               // a writer keeps its last WINDOW subscriptions inserted
    private static final int LITERALS = 3;             // subjects <space>.0 .. <space>.2
    private static final int CHECKS_PER_OP = 2;
    private static final String[] PREFIXES = {"w0", "w1", "b"};

    private record Origin(int space, int id) {
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shouldReflectCompletedChangesUnderConcurrentInsertRemoveAndMatch(boolean cache) throws Exception {
        Run run = new Run(new Sublist<>(cache));
        try (ExecutorService pool = Executors.newFixedThreadPool(SPACES + 2)) {
            List<Future<?>> tasks = new ArrayList<>();
            tasks.add(pool.submit(() -> run.write(0)));
            tasks.add(pool.submit(() -> run.write(1)));
            tasks.add(pool.submit(run::writeBatches));
            tasks.add(pool.submit(() -> run.read(new MatchCache<>(512))));
            tasks.add(pool.submit(() -> run.read(null)));
            for (Future<?> task : tasks) {
                task.get();
            }
        }
        assertThat(run.checks.get()).isGreaterThanOrEqualTo((long) OPS * CHECKS_PER_OP);

        // Quiescent: only the stable subscriptions are left, and no cached result says otherwise.
        Sublist<TestSub> s = run.sublist;
        assertThat(s.count()).isEqualTo(run.stable.size());
        for (String prefix : PREFIXES) {
            for (int j = 0; j < LITERALS; j++) {
                String subject = prefix + "." + j;
                for (int repeat = 0; repeat < 2; repeat++) {
                    SublistTest.assertMatchesBruteForce(subject, s.match(subject), run.stable);
                }
            }
        }
        List<TestSub> all = new ArrayList<>();
        s.all(all);
        assertThat(all).containsExactlyInAnyOrderElementsOf(run.stable);
    }

    /**
     * One writer churns the level and the node a reader's subject goes through (token table growth, shrink and
     * back-shifts; subscription array swaps and resizes) while the reader walks the trie without cache: every
     * walk must still see the stable subscriptions exactly once and nothing else.
     */
    @Test
    void shouldNeverExposeTornTrieReads() throws Exception {
        Sublist<TestSub> s = new Sublist<>(false);
        TestSub stablePlain = sub("t.stable");
        TestSub stableQueue = qsub("t.stable", "q");
        s.insert(stablePlain);
        s.insert(stableQueue);
        List<TestSub> siblings = new ArrayList<>();
        List<TestSub> neighbours = new ArrayList<>();
        for (int k = 0; k < 64; k++) {
            siblings.add(sub("t.s" + k));
            neighbours.add(k % 2 == 0 ? sub("t.stable") : qsub("t.stable", "q"));
        }
        AtomicLong walks = new AtomicLong();
        AtomicInteger rounds = new AtomicInteger(1_500);
        AtomicBoolean readerDone = new AtomicBoolean();
        byte[] subject = bytes("t.stable");
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> writer = pool.submit(() -> {
                for (int round = 0; rounds.get() > 0; round++, rounds.decrementAndGet()) {
                    for (int k = 0; k < siblings.size(); k++) {
                        s.insert(siblings.get(k));
                        s.insert(neighbours.get(k));
                        while (walks.get() < (long) round * 64 + k && !readerDone.get()) {
                            Thread.yield();
                        }
                    }
                    for (int k = 0; k < siblings.size(); k++) {
                        s.remove(siblings.get(k));
                        s.remove(neighbours.get((k * 37) % neighbours.size()));
                    }
                }
            });
            Future<?> reader = pool.submit(() -> {
                try {
                    readStable(s, subject, stablePlain, stableQueue, writer, walks);
                } finally {
                    readerDone.set(true);
                }
            });
            writer.get();
            reader.get();
        }
        assertThat(s.count()).isEqualTo(2);
    }

    private static void readStable(Sublist<TestSub> s, byte[] subject, TestSub stablePlain, TestSub stableQueue,
                                   Future<?> writer, AtomicLong walks) {
        while (!writer.isDone()) {
            SublistResult<TestSub> r = s.match(subject, 0, subject.length);
            int plainHits = 0;
            for (int i = 0; i < r.plainCount(); i++) {
                TestSub member = r.plain(i);
                if (member == null || !member.subjectText.equals("t.stable") || member.queueText != null) {
                    throw new AssertionError("foreign plain member " + member);
                }
                plainHits += member == stablePlain ? 1 : 0;
            }
            if (plainHits != 1 || r.queueGroupCount() != 1) {
                throw new AssertionError("stable plain seen " + plainHits + " times, groups "
                        + r.queueGroupCount());
            }
            int queueHits = 0;
            for (int i = 0; i < r.queueGroupSize(0); i++) {
                queueHits += r.queueMember(0, i) == stableQueue ? 1 : 0;
            }
            if (queueHits != 1) {
                throw new AssertionError("stable queue member seen " + queueHits + " times");
            }
            walks.incrementAndGet();
        }
    }

    /** The shared state of one run: subscriptions by space and id, progress counters, the readers' check count. */
    private static final class Run {

        final Sublist<TestSub> sublist;
        final List<List<List<TestSub>>> bySpace = new ArrayList<>();   // space -> id -> subscriptions
        final Map<TestSub, Origin> origins = new IdentityHashMap<>();  // read-only once built
        final List<TestSub> stable = List.of(sub("*.*"), qsub("*.>", "stable"), sub("w0.0"), sub("b.1"));
        final AtomicIntegerArray insertedBelow = new AtomicIntegerArray(SPACES);  // after insert returned
        final AtomicIntegerArray removingBelow = new AtomicIntegerArray(SPACES);  // before remove is called
        final AtomicIntegerArray removedBelow = new AtomicIntegerArray(SPACES);   // after remove returned
        final AtomicInteger writersLeft = new AtomicInteger(SPACES);
        final AtomicLong checks = new AtomicLong();
        volatile boolean failed;

        Run(Sublist<TestSub> sublist) {
            this.sublist = sublist;
            for (int space = 0; space < SPACES; space++) {
                List<List<TestSub>> ids = new ArrayList<>();
                for (int id = 0; id < OPS; id++) {
                    String prefix = PREFIXES[space];
                    List<TestSub> subs = space == BATCH_SPACE
                            ? List.of(sub(prefix + "." + (id % LITERALS)), sub(prefix + ".*"),
                                    qsub(prefix + ".>", "bq"))
                            : List.of(switch (id % 4) {
                                case 0, 3 -> sub(prefix + "." + (id % LITERALS));
                                case 1 -> sub(prefix + ".*");
                                default -> qsub(prefix + ".>", "q" + (id % 3));
                            });
                    for (TestSub sub : subs) {
                        origins.put(sub, new Origin(space, id));
                    }
                    ids.add(subs);
                }
                bySpace.add(ids);
            }
            stable.forEach(sublist::insert);
        }

        void write(int space) {
            List<List<TestSub>> ids = bySpace.get(space);
            try {
                for (int id = 0; id < OPS + WINDOW; id++) {
                    awaitReaders(id);
                    if (id < OPS) {
                        sublist.insert(ids.get(id).getFirst());
                        insertedBelow.set(space, id + 1);
                    }
                    if (id >= WINDOW) {
                        int old = id - WINDOW;
                        removingBelow.set(space, old + 1);
                        if (!sublist.remove(ids.get(old).getFirst())) {
                            throw new AssertionError("remove of " + ids.get(old) + " #" + old + " found nothing");
                        }
                        removedBelow.set(space, old + 1);
                    }
                }
            } finally {
                writersLeft.decrementAndGet();
            }
        }

        void writeBatches() {
            List<List<TestSub>> rounds = bySpace.get(BATCH_SPACE);
            try {
                for (int round = 0; round < OPS; round++) {
                    awaitReaders(round);
                    rounds.get(round).forEach(sublist::insert);
                    insertedBelow.set(BATCH_SPACE, round + 1);
                    removingBelow.set(BATCH_SPACE, round + 1);
                    sublist.removeBatch(rounds.get(round));
                    removedBelow.set(BATCH_SPACE, round + 1);
                }
            } finally {
                writersLeft.decrementAndGet();
            }
        }

        private void awaitReaders(int op) {
            while (checks.get() < (long) op * CHECKS_PER_OP && !failed) {
                Thread.yield();
            }
        }

        void read(MatchCache<TestSub> l1) {
            byte[][] subjects = new byte[SPACES * LITERALS][];
            for (int i = 0; i < subjects.length; i++) {
                subjects[i] = bytes(PREFIXES[i / LITERALS] + "." + (i % LITERALS));
            }
            try {
                for (int n = 0; writersLeft.get() > 0; n++) {
                    int i = (n * 7 + n / 5) % subjects.length;
                    check(l1, i / LITERALS, subjects[i]);
                    checks.incrementAndGet();
                }
            } catch (RuntimeException | AssertionError e) {
                failed = true;
                throw e;
            }
        }

        private void check(MatchCache<TestSub> l1, int space, byte[] subject) {
            String subjectText = new String(subject, StandardCharsets.UTF_8);
            int inserted = insertedBelow.get(space);
            int removedBefore = removedBelow.get(space);
            SublistResult<TestSub> r;
            if (l1 == null) {
                r = sublist.match(subject, 0, subject.length);
            } else {
                long generation = sublist.generation();
                r = l1.get(subject, 0, subject.length, generation);
                if (r == null) {
                    r = sublist.match(subject, 0, subject.length);
                    l1.put(subject, 0, subject.length, generation, r);
                }
            }
            int removingAfter = removingBelow.get(space);

            List<TestSub> members = new ArrayList<>();
            for (int i = 0; i < r.plainCount(); i++) {
                addUnique(members, r.plain(i), subjectText);
            }
            for (int g = 0; g < r.queueGroupCount(); g++) {
                List<TestSub> group = new ArrayList<>();
                for (int i = 0; i < r.queueGroupSize(g); i++) {
                    TestSub member = r.queueMember(g, i);
                    if (!member.queueText.equals(r.queueMember(g, 0).queueText)) {
                        fail(subjectText, "mixed queue group " + member);
                    }
                    addUnique(group, member, subjectText);
                }
                members.addAll(group);
            }
            for (TestSub member : members) {
                if (!Subjects.subjectMatchesFilter(subjectText, member.subjectText)) {
                    fail(subjectText, "does not match " + member);
                }
                Origin origin = origins.get(member);
                if (origin != null && (origin.space() != space || origin.id() < removedBefore)) {
                    fail(subjectText, "has " + member + " #" + origin.id() + ", removed before the match started");
                }
            }
            for (TestSub sub : stable) {
                if (Subjects.subjectMatchesFilter(subjectText, sub.subjectText) && !containsSame(members, sub)) {
                    fail(subjectText, "lost stable " + sub);
                }
            }
            // Inserted before the match started, and its removal not begun when the match ended: must be there.
            for (int id = removingAfter; id < inserted; id++) {
                for (TestSub sub : bySpace.get(space).get(id)) {
                    if (Subjects.subjectMatchesFilter(subjectText, sub.subjectText) && !containsSame(members, sub)) {
                        fail(subjectText, "missed " + sub + " #" + id + " in " + members);
                    }
                }
            }
            if (!sublist.hasInterest(subject, 0, subject.length)) {
                fail(subjectText, "no interest despite stable subscriptions");
            }
        }

        private static void addUnique(List<TestSub> list, TestSub sub, String subject) {
            if (containsSame(list, sub)) {
                fail(subject, "duplicate " + sub);
            }
            list.add(sub);
        }

        private static boolean containsSame(List<TestSub> list, TestSub sub) {
            for (TestSub candidate : list) {
                if (candidate == sub) {
                    return true;
                }
            }
            return false;
        }

        private static void fail(String subject, String problem) {
            throw new AssertionError("match(" + subject + ") " + problem);
        }
    }
}
