package io.jnatsd.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Behaviour both stores share, ported from nats-server's {@code store_test.go} (run there against every store) and
 * {@code memstore_test.go}. Subclasses say how to open a store; file-store subclasses also restart it.
 */
public abstract class StreamStoreContractTest {

    protected final TestClock clock = new TestClock();
    protected final List<StreamStore> opened = new ArrayList<>();

    /** The storage type under test. */
    protected abstract StorageType storage();

    /** Opens a store for {@code config} with {@link #clock}. */
    protected abstract StreamStore newStore(StoreConfig config);

    /** Stops and reopens the store (file store); the memory store returns it unchanged. */
    protected StreamStore restart(StreamStore store) {
        return store;
    }

    /** Bytes the store counts for one message. */
    protected abstract long sizeOf(String subject, byte[] header, byte[] payload);

    protected StoreConfig.Builder cfg(String... subjects) {
        return StoreConfig.builder("TEST", storage()).subjects(subjects);
    }

    protected StreamStore open(StoreConfig.Builder b) {
        StreamStore s = newStore(b.build());
        opened.add(s);
        return s;
    }

    @AfterEach
    void stopAll() {
        for (StreamStore s : opened) {
            s.stop();
        }
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long store(StreamStore s, String subject, String payload) {
        return s.storeMessage(subject, null, bytes(payload), 0);
    }

    // ---- basics ------------------------------------------------------------------------------------------------

    @Test
    void aHandedOverMessageIsStoredAsACopiedOne() {
        StreamStore s = open(cfg("foo"));
        s.storeMessage("foo", bytes("NATS/1.0\r\na:b\r\n\r\n"), bytes("one"), 0);
        s.storeMessageHandedOver("foo", bytes("NATS/1.0\r\na:b\r\n\r\n"), bytes("one"), 0);
        s.storeMessage("foo", null, bytes("two"), 0);
        s.storeMessageHandedOver("foo", null, bytes("two"), 0);
        s.storeMessageHandedOver("foo", null, null, 0);
        assertThat(s.state().msgs()).isEqualTo(5);
        assertThat(s.state().bytes()).isEqualTo(2 * sizeOf("foo", bytes("NATS/1.0\r\na:b\r\n\r\n"), bytes("one"))
                + 2 * sizeOf("foo", null, bytes("two")) + sizeOf("foo", null, null));
        for (long seq = 1; seq <= 4; seq += 2) {
            StoredMessage copied = s.loadMessage(seq, null);
            StoredMessage handed = s.loadMessage(seq + 1, null);
            assertThat(handed.header()).isEqualTo(copied.header());
            assertThat(handed.payload()).isEqualTo(copied.payload());
        }
        assertThat(s.loadMessage(5, null).payload()).isEmpty();
    }

    @Test
    void basics() {
        StreamStore s = open(cfg("foo"));
        byte[] msg = bytes("Hello World");
        long seq = s.storeMessage("foo", null, msg, 0);
        assertThat(seq).isEqualTo(1);
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(1);
        assertThat(st.bytes()).isEqualTo(sizeOf("foo", null, msg));
        assertThat(st.firstSeq()).isEqualTo(1);
        assertThat(st.lastSeq()).isEqualTo(1);
        assertThat(st.firstTimeNanos()).isPositive();
        StoredMessage sm = s.loadMessage(1, new StoredMessage());
        assertThat(sm.subject()).isEqualTo("foo");
        assertThat(sm.payload()).isEqualTo(msg);
        assertThat(sm.header()).isNull();
        assertThat(sm.sequence()).isEqualTo(1);
        assertThat(s.loadMessage(2, null)).isNull();
        assertThat(s.loadMessage(0, null)).isNull();
    }

    @Test
    void msgHeaders() {
        StreamStore s = open(cfg("foo"));
        byte[] hdr = bytes("NATS/1.0\r\nname:derek\r\n\r\n");
        byte[] msg = bytes("Hello World");
        s.storeMessage("foo", hdr, msg, 0);
        StoredMessage sm = s.loadMessage(1, null);
        assertThat(sm.header()).isEqualTo(hdr);
        assertThat(sm.payload()).isEqualTo(msg);
        assertThat(s.state().bytes()).isEqualTo(sizeOf("foo", hdr, msg));
        s = restart(s);
        sm = s.loadMessage(1, null);
        assertThat(sm.header()).isEqualTo(hdr);
        assertThat(sm.payload()).isEqualTo(msg);
    }

    @Test
    void msgLimit() {
        StreamStore s = open(cfg("foo").maxMsgs(10));
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "Hello World");
        }
        assertThat(s.state().msgs()).isEqualTo(10);
        store(s, "foo", "Hello World");
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(10);
        assertThat(st.lastSeq()).isEqualTo(11);
        assertThat(st.firstSeq()).isEqualTo(2);
        assertThat(s.loadMessage(1, null)).isNull();
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "Hello World");
        }
        assertThat(s.state().firstSeq()).isEqualTo(12);
        assertThat(s.state().msgs()).isEqualTo(10);
    }

    @Test
    void bytesLimit() {
        byte[] msg = new byte[512];
        long size = sizeOf("foo", null, msg);
        int toStore = 1024;
        StreamStore s = open(cfg("foo").maxBytes(size * toStore));
        for (int i = 0; i < toStore; i++) {
            s.storeMessage("foo", null, msg, 0);
        }
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(toStore);
        assertThat(st.bytes()).isEqualTo(size * toStore);
        for (int i = 0; i < 100; i++) {
            s.storeMessage("foo", null, msg, 0);
        }
        st = s.state();
        assertThat(st.msgs()).isEqualTo(toStore);
        assertThat(st.bytes()).isEqualTo(size * toStore);
        assertThat(st.firstSeq()).isEqualTo(101);
        assertThat(st.lastSeq()).isEqualTo(toStore + 100);
    }

    @Test
    void bytesLimitWithDiscardNew() {
        byte[] msg = new byte[10];
        long size = sizeOf("tiny", null, msg);
        StreamStore s = open(cfg("tiny").maxBytes(size * 4).discard(DiscardPolicy.NEW));
        for (int i = 0; i < 10; i++) {
            if (i < 4) {
                s.storeMessage("tiny", null, msg, 0);
            } else {
                assertThatThrownBy(() -> s.storeMessage("tiny", null, msg, 0))
                        .isInstanceOfSatisfying(StoreException.class,
                                e -> assertThat(e.error()).isEqualTo(StoreError.MAX_BYTES));
            }
        }
        assertThat(s.state().msgs()).isEqualTo(4);
        assertThat(s.state().bytes()).isEqualTo(size * 4);
    }

    @Test
    void ageLimit() {
        long maxAge = 1_000_000_000L;
        StreamStore s = open(cfg("foo").maxAgeNanos(maxAge));
        for (int i = 0; i < 100; i++) {
            store(s, "foo", "Hello World");
        }
        assertThat(s.state().msgs()).isEqualTo(100);
        clock.advance(maxAge / 2);
        ((AbstractStreamStore<?>) s).expireMessages();
        assertThat(s.state().msgs()).isEqualTo(100);
        clock.advance(maxAge);
        ((AbstractStreamStore<?>) s).expireMessages();
        StreamState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.bytes()).isZero();
        assertThat(st.firstSeq()).isEqualTo(101);
        assertThat(st.lastSeq()).isEqualTo(100);
        assertThat(st.firstTimeNanos()).isZero();
    }

    @Test
    void ttlNeverIsExemptFromMaxAge() {
        long maxAge = 1_000_000_000L;
        StreamStore s = open(cfg("foo").maxAgeNanos(maxAge).allowMsgTtl(true));
        s.storeMessage("foo", bytes("NATS/1.0\r\nNats-TTL: never\r\n\r\n"), null, -1);
        store(s, "foo", "x");
        clock.advance(maxAge * 2);
        ((AbstractStreamStore<?>) s).expireMessages();
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(1);
        assertThat(st.firstSeq()).isEqualTo(1);
    }

    @Test
    void messageTtl() {
        StreamStore s = open(cfg("test").allowMsgTtl(true));
        for (int i = 1; i <= 10; i++) {
            s.storeMessage("test", null, null, 1);
        }
        StreamState st = s.fastState();
        assertThat(st.firstSeq()).isEqualTo(1);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.msgs()).isEqualTo(10);
        clock.advance(2_000_000_000L);
        ((AbstractStreamStore<?>) s).expireMessages();
        st = s.fastState();
        assertThat(st.firstSeq()).isEqualTo(11);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.msgs()).isZero();
    }

    @Test
    void updateConfigTtlState() {
        StoreConfig.Builder b = cfg("foo");
        StreamStore s = open(b);
        long seq = s.storeMessage("foo", null, null, 1);
        clock.advance(2_000_000_000L);
        ((AbstractStreamStore<?>) s).expireMessages();
        assertThat(s.loadMessage(seq, null)).isNotNull();

        s.updateConfig(b.allowMsgTtl(true).build());
        seq = s.storeMessage("foo", null, null, 1);
        clock.advance(2_000_000_000L);
        ((AbstractStreamStore<?>) s).expireMessages();
        assertThat(s.loadMessage(seq, null)).isNull();

        s.updateConfig(b.allowMsgTtl(false).build());
        seq = s.storeMessage("foo", null, null, 1);
        clock.advance(2_000_000_000L);
        ((AbstractStreamStore<?>) s).expireMessages();
        assertThat(s.loadMessage(seq, null)).isNotNull();
    }

    @Test
    void subjectDeleteMarkers() {
        StreamStore s = open(cfg("test").maxAgeNanos(1_000_000_000L).allowMsgTtl(true)
                .subjectDeleteMarkerTtlNanos(1_000_000_000L));
        List<String> proposed = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        s.registerMessageRemover(seq -> {
            removed.add(seq);
            s.removeMessage(seq);
        });
        s.registerMessageProposer((subject, header, payload) -> proposed.add(
                subject + "|" + new String(header, StandardCharsets.UTF_8)));
        for (int i = 0; i < 3; i++) {
            s.storeMessage("test", null, null, 0);
        }
        clock.advance(1_500_000_000L);
        ((AbstractStreamStore<?>) s).expireMessages();
        assertThat(removed).containsExactly(1L, 2L);
        assertThat(proposed).hasSize(1);
        String marker = proposed.get(0);
        assertThat(marker).startsWith("test|NATS/1.0\r\n");
        assertThat(NatsHeaders.value(bytes(marker.substring(5)), NatsHeaders.MARKER_REASON)).isEqualTo("MaxAge");
        assertThat(NatsHeaders.value(bytes(marker.substring(5)), NatsHeaders.TTL)).isEqualTo("1s");
        assertThat(NatsHeaders.value(bytes(marker.substring(5)), NatsHeaders.ROLLUP)).isEqualTo("sub");
        // within two seconds the same message is not proposed again
        ((AbstractStreamStore<?>) s).expireMessages();
        assertThat(proposed).hasSize(1);
    }

    @Test
    void timeStamps() {
        StreamStore s = open(cfg("foo"));
        long last = 0;
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "x");
        }
        StoredMessage sm = new StoredMessage();
        for (long seq = 1; seq <= 10; seq++) {
            s.loadMessage(seq, sm);
            assertThat(sm.timestampNanos()).isGreaterThan(last);
            last = sm.timestampNanos();
        }
    }

    // ---- purge, compact, truncate ------------------------------------------------------------------------------

    @Test
    void purge() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "Hello World");
        }
        long lastTime = s.state().lastTimeNanos();
        assertThat(s.purge()).isEqualTo(10);
        StreamState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.bytes()).isZero();
        assertThat(st.firstSeq()).isEqualTo(11);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.firstTimeNanos()).isZero();
        assertThat(st.lastTimeNanos()).isEqualTo(lastTime);
        assertThat(store(s, "foo", "x")).isEqualTo(11);
        s = restart(s);
        assertThat(s.state().firstSeq()).isEqualTo(11);
        assertThat(s.state().lastSeq()).isEqualTo(11);
    }

    @Test
    void purgeExZero() {
        StreamStore s = open(cfg("foo"));
        s.purge();
        assertThat(s.state().firstSeq()).isEqualTo(1);
        assertThat(s.state().lastSeq()).isZero();
        s.purge("", 0, 0);
        assertThat(s.state().firstSeq()).isEqualTo(1);
        assertThat(s.state().lastSeq()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ">", "foo"})
    void purgeExSequenceOne(String subject) {
        StreamStore s = open(cfg("foo", "bar"));
        for (int i = 0; i < 5; i++) {
            store(s, "foo", "x");
            store(s, "bar", "x");
        }
        StreamState before = s.state();
        assertThat(s.purge(subject, 1, 0)).isZero();
        assertThat(s.purge(subject, 1, 3)).isZero();
        StreamState after = s.state();
        assertThat(after.msgs()).isEqualTo(before.msgs());
        assertThat(after.firstSeq()).isEqualTo(before.firstSeq());
        assertThat(after.lastSeq()).isEqualTo(before.lastSeq());
    }

    @Test
    void purgeExKeepWithInteriorDeletes() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 50; i++) {
            store(s, "foo", "x");
        }
        for (long seq = 2; seq <= 50; seq += 2) {
            s.removeMessage(seq);
        }
        assertThat(s.state().msgs()).isEqualTo(25);
        assertThat(s.purge("", 0, 5)).isEqualTo(20);
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(5);
        assertThat(st.firstSeq()).isEqualTo(41);
        assertThat(st.lastSeq()).isEqualTo(50);
    }

    @Test
    void purgeExWithSubject() {
        StreamStore s = open(cfg("foo.*"));
        for (int i = 0; i < 100; i++) {
            store(s, "foo.0", "x");
        }
        assertThat(s.purge("foo.1", 1, 0)).isZero();
        assertThat(s.purge("foo.0", 0, 0)).isEqualTo(100);
        StreamState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.firstSeq()).isEqualTo(101);
    }

    @Test
    void purgeExWithDeletedMsgs() {
        StreamStore s = open(cfg("foo"));
        for (int i = 1; i <= 10; i++) {
            store(s, "foo", "abc");
        }
        s.removeMessage(2);
        s.removeMessage(9);
        assertThat(s.purge("", 9, 0)).isEqualTo(7);
        StreamState st = s.fastState();
        assertThat(st.firstSeq()).isEqualTo(10);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.msgs()).isEqualTo(1);
    }

    @Test
    void purgeExFilteredKeepsNewest() {
        StreamStore s = open(cfg("kv.>"));
        for (int i = 0; i < 10; i++) {
            store(s, "kv.a", "a" + i);
            store(s, "kv.b", "b" + i);
        }
        assertThat(s.purge("kv.a", 0, 2)).isEqualTo(8);
        assertThat(s.subjectsTotals("kv.a")).containsEntry("kv.a", 2L);
        assertThat(s.subjectsTotals("kv.b")).containsEntry("kv.b", 10L);
        assertThat(s.loadLastMessage("kv.a", null).sequence()).isEqualTo(19);
        assertThat(s.loadNextMessage(SubjectFilter.of("kv.a"), 0, null).sequence()).isEqualTo(17);
    }

    @Test
    void compact() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "Hello World");
        }
        assertThat(s.compact(6)).isEqualTo(5);
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(5);
        assertThat(st.firstSeq()).isEqualTo(6);
        assertThat(s.loadMessage(5, null)).isNull();
        assertThat(s.compact(100)).isEqualTo(5);
        st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.firstSeq()).isEqualTo(100);
        assertThat(st.lastSeq()).isEqualTo(99);
        assertThat(store(s, "foo", "x")).isEqualTo(100);
        s = restart(s);
        assertThat(s.state().firstSeq()).isEqualTo(100);
        assertThat(s.state().lastSeq()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(longs = {2, 3, 4})
    void compactCleansUpDeletes(long cseq) {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 3; i++) {
            store(s, "foo", "x");
        }
        s.removeMessage(2);
        assertThat(s.state().numDeleted()).isEqualTo(1);
        s.compact(cseq);
        StreamState st = s.state();
        assertThat(st.numDeleted()).isZero();
        assertThat(st.firstSeq()).isEqualTo(Math.max(3, cseq));
        assertThat(st.lastSeq()).isEqualTo(3);
    }

    @Test
    void compactFullyDeletedRange() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 3; i++) {
            store(s, "foo", "x");
        }
        s.removeMessage(2);
        s.removeMessage(3);
        assertThat(s.state().firstSeq()).isEqualTo(1);
        s.compact(2);
        StreamState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.lastSeq()).isEqualTo(3);
        assertThat(st.firstSeq()).isEqualTo(4);
        assertThat(st.firstTimeNanos()).isZero();
    }

    @Test
    void truncate() {
        StreamStore s = open(cfg("foo", "bar"));
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "x");
        }
        for (int i = 0; i < 10; i++) {
            store(s, "bar", "x");
        }
        s.removeMessage(5);
        s.truncate(12);
        StreamState st = s.state();
        assertThat(st.lastSeq()).isEqualTo(12);
        assertThat(st.msgs()).isEqualTo(11);
        assertThat(st.numDeleted()).isEqualTo(1);
        assertThat(s.subjectsTotals("bar")).containsEntry("bar", 2L);
        StoredMessage last = s.loadMessage(12, null);
        assertThat(st.lastTimeNanos()).isEqualTo(last.timestampNanos());
        assertThat(store(s, "foo", "x")).isEqualTo(13);
        s = restart(s);
        st = s.state();
        assertThat(st.lastSeq()).isEqualTo(13);
        assertThat(st.msgs()).isEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1})
    void truncateCleansUpDeletes(long tseq) {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 3; i++) {
            store(s, "foo", "x");
        }
        s.removeMessage(2);
        s.truncate(tseq);
        StreamState st = s.state();
        assertThat(st.numDeleted()).isZero();
        assertThat(st.firstSeq()).isEqualTo(Math.min(1, tseq));
        assertThat(st.lastSeq()).isEqualTo(tseq);
    }

    @Test
    void truncateReset() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 1000; i++) {
            store(s, "foo", "x");
        }
        s.truncate(0);
        StreamState st = s.state();
        assertThat(st.msgs()).isZero();
        assertThat(st.bytes()).isZero();
        assertThat(st.firstSeq()).isZero();
        assertThat(st.lastSeq()).isZero();
        assertThat(st.numSubjects()).isZero();
        for (int i = 0; i < 1000; i++) {
            store(s, "foo", "x");
        }
        st = s.state();
        assertThat(st.msgs()).isEqualTo(1000);
        assertThat(st.firstSeq()).isEqualTo(1);
        assertThat(st.lastSeq()).isEqualTo(1000);
    }

    @Test
    void eraseMsg() {
        StreamStore s = open(cfg("foo"));
        store(s, "foo", "Hello World");
        assertThat(s.eraseMessage(1)).isTrue();
        assertThat(s.loadMessage(1, null)).isNull();
        assertThat(s.eraseMessage(1)).isFalse();
        assertThat(s.state().msgs()).isZero();
    }

    @Test
    void deleteAllFirstSequenceCheck() {
        StreamStore s = open(cfg("foo"));
        for (int i = 1; i <= 10; i++) {
            store(s, "foo", "abc");
        }
        for (long seq = 1; seq <= 10; seq++) {
            s.removeMessage(seq);
        }
        StreamState st = s.fastState();
        assertThat(st.firstSeq()).isEqualTo(11);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.msgs()).isZero();
    }

    // ---- state -------------------------------------------------------------------------------------------------

    @Test
    void streamStateDeleted() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "x");
        }
        assertThat(s.state().deleted()).isNull();
        for (long seq = 2; seq < 10; seq += 2) {
            s.removeMessage(seq);
        }
        StreamState st = s.state();
        assertThat(st.deleted()).containsExactly(2, 4, 6, 8);
        assertThat(st.numDeleted()).isEqualTo(4);
        s.removeMessage(1);
        s.removeMessage(3);
        assertThat(s.state().deleted()).containsExactly(6, 8);
        s = restart(s);
        assertThat(s.state().deleted()).containsExactly(6, 8);
        assertThat(s.state().firstSeq()).isEqualTo(5);
    }

    @Test
    void initialFirstSeq() {
        StreamStore s = open(cfg("foo").firstSeq(1000));
        StreamState st = s.state();
        assertThat(st.firstSeq()).isEqualTo(1000);
        assertThat(st.lastSeq()).isEqualTo(999);
        assertThat(store(s, "foo", "x")).isEqualTo(1000);
        st = s.state();
        assertThat(st.firstSeq()).isEqualTo(1000);
        assertThat(st.lastSeq()).isEqualTo(1000);
        assertThat(st.msgs()).isEqualTo(1);
    }

    @Test
    void subjectStateConsistency() {
        StreamStore s = open(cfg("foo"));
        SubjectFilter foo = SubjectFilter.of("foo");
        java.util.function.BiConsumer<long[], String> check = (exp, what) -> {
            SimpleState ss = s.subjectsState("foo").get("foo");
            assertThat(ss).as(what).isEqualTo(new SimpleState(exp[0], exp[1], exp[2]));
            assertThat(s.loadNextMessage(foo, 0, null).sequence()).as(what).isEqualTo(exp[1]);
            assertThat(s.loadLastMessage("foo", null).sequence()).as(what).isEqualTo(exp[2]);
        };
        for (int i = 0; i < 4; i++) {
            s.storeMessage("foo", null, null, 0);
        }
        check.accept(new long[] {4, 1, 4}, "initial");
        s.removeMessage(1);
        check.accept(new long[] {3, 2, 4}, "first removed");
        s.removeMessage(4);
        check.accept(new long[] {2, 2, 3}, "last removed");
        s.removeMessage(2);
        check.accept(new long[] {1, 3, 3}, "one left");
        for (int i = 0; i < 3; i++) {
            s.storeMessage("foo", null, null, 0);
        }
        check.accept(new long[] {4, 3, 7}, "more");
        s.removeMessage(7);
        s.removeMessage(3);
        s.removeMessage(5);
        check.accept(new long[] {1, 6, 6}, "both stale");
        s.storeMessage("foo", null, null, 0);
        s.removeMessage(8);
        s.storeMessage("foo", null, null, 0);
        check.accept(new long[] {2, 6, 9}, "new last");
    }

    @Test
    void updateMaxMsgsPerSubject() {
        StoreConfig.Builder b = cfg("foo").maxMsgsPerSubject(10);
        StreamStore s = open(b);
        s.updateConfig(b.maxMsgsPerSubject(50).build());
        for (int i = 0; i < 100; i++) {
            store(s, "foo", "x");
        }
        assertThat(s.state().msgs()).isEqualTo(50);
        s.updateConfig(b.maxMsgsPerSubject(10).build());
        assertThat(s.state().msgs()).isEqualTo(10);
        assertThat(s.state().firstSeq()).isEqualTo(91);
    }

    @Test
    void maxMsgsPerUpdateFromUnlimited() {
        StoreConfig.Builder b = cfg("foo");
        StreamStore s = open(b);
        for (int i = 0; i < 5; i++) {
            s.storeMessage("foo", null, null, 0);
        }
        s.updateConfig(b.maxMsgsPerSubject(1).build());
        StreamState st = s.state();
        assertThat(st.msgs()).isEqualTo(1);
        assertThat(st.firstSeq()).isEqualTo(5);
        assertThat(st.lastSeq()).isEqualTo(5);
    }

    @Test
    void subjectsTotalsAndState() {
        StreamStore s = open(cfg("*.*"));
        Map<String, Long> expected = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            String subject = (r.nextBoolean() ? "foo." : "bar.") + r.nextInt(20);
            store(s, subject, "x");
            expected.merge(subject, 1L, Long::sum);
        }
        assertThat(s.subjectsTotals("")).isEqualTo(expected);
        Map<String, Long> foo = s.subjectsTotals("foo.*");
        expected.keySet().stream().filter(k -> k.startsWith("foo.")).forEach(
                k -> assertThat(foo).containsEntry(k, expected.get(k)));
        assertThat(foo.keySet()).allMatch(k -> k.startsWith("foo."));
        assertThat(s.subjectsTotals("*.1")).containsOnlyKeys("foo.1", "bar.1");
        assertThat(s.subjectsTotals("baz.*")).isEmpty();
        assertThat(s.subjectsState(">")).hasSize(expected.size());
        assertThat(s.state().numSubjects()).isEqualTo(expected.size());
    }

    @Test
    void numPendingMatchesScan() {
        StreamStore s = open(cfg("*.*.*.*"));
        String[] tokens = {"foo", "bar", "baz"};
        Random r = new Random(42);
        for (int i = 0; i < 5000; i++) {
            String subj = tokens[r.nextInt(3)] + "." + tokens[r.nextInt(3)] + "." + tokens[r.nextInt(3)] + "."
                    + tokens[r.nextInt(3)];
            store(s, subj, "Hello World");
        }
        for (long seq = 3; seq < 5000; seq += 7) {
            s.removeMessage(seq);
        }
        long last = s.state().lastSeq();
        long[] starts = {0, 1, 2, 200, 444, 555, 2222, 3333, 4000, 4999};
        String[] filters = {"foo.>", "*.bar.>", "foo.bar.*.baz", "*.foo.bar.*", "foo.foo.bar.baz", ">"};
        for (String filter : filters) {
            for (long start : starts) {
                SimpleState expected = scan(s, start, filter, last);
                assertThat(s.filteredState(start, filter)).as(filter + "@" + start).isEqualTo(expected);
                assertThat(s.numPending(start, SubjectFilter.of(filter), false)).as(filter + "@" + start)
                        .isEqualTo(expected.msgs());
                assertThat(s.numPending(start, SubjectFilter.of(filter), true)).as("last " + filter + "@" + start)
                        .isEqualTo(scanLast(s, start, filter, last));
            }
        }
        SubjectFilter multi = SubjectFilter.of(List.of("foo.>", "*.bar.>"));
        for (long start : starts) {
            long expected = scan(s, start, "foo.>", last).msgs() + scan(s, start, "*.bar.>", last).msgs()
                    - scan(s, start, "foo.bar.>", last).msgs();
            assertThat(s.numPending(start, multi, false)).isEqualTo(expected);
        }
    }

    private static SimpleState scan(StreamStore s, long start, String filter, long last) {
        long n = 0;
        long first = 0;
        long l = 0;
        StoredMessage sm = new StoredMessage();
        for (long seq = Math.max(1, start); seq <= last; seq++) {
            if (s.loadMessage(seq, sm) != null && SubjectMatch.matches(sm.subject(), filter)) {
                n++;
                if (first == 0) {
                    first = seq;
                }
                l = seq;
            }
        }
        return n == 0 ? SimpleState.EMPTY : new SimpleState(n, first, l);
    }

    private static long scanLast(StreamStore s, long start, String filter, long last) {
        Set<String> seen = new HashSet<>();
        StoredMessage sm = new StoredMessage();
        for (long seq = last; seq >= Math.max(1, start); seq--) {
            if (s.loadMessage(seq, sm) != null && SubjectMatch.matches(sm.subject(), filter)) {
                seen.add(sm.subject());
            }
        }
        return seen.size();
    }

    @Test
    void numPendingLastPerSubjectExcludeOvercount() {
        StreamStore s = open(cfg("foo.*"));
        for (int i = 0; i < 10; i++) {
            store(s, "foo.A", "x");
        }
        store(s, "foo.B", "x");
        store(s, "foo.C", "x");
        s.skipMessages(13, 87);
        store(s, "foo.B", "x");
        s.skipMessages(101, 899);
        store(s, "foo.C", "x");
        assertThat(s.numPending(13, SubjectFilter.of("foo.*"), true)).isEqualTo(2);
        assertThat(s.numPending(13, SubjectFilter.of(List.of("foo.*")), true)).isEqualTo(2);
    }

    @Test
    void encodedStreamStateRoundTrip() {
        StreamStore s = open(cfg("foo"));
        for (int i = 0; i < 20; i++) {
            store(s, "foo", "x");
        }
        s.removeMessage(3);
        s.removeMessage(4);
        s.removeMessage(10);
        StreamStateCodec.Decoded d = StreamStateCodec.decode(s.encodedStreamState(7));
        StreamState st = s.state();
        assertThat(d.msgs()).isEqualTo(17);
        assertThat(d.bytes()).isEqualTo(st.bytes());
        assertThat(d.first()).isEqualTo(1);
        assertThat(d.last()).isEqualTo(20);
        assertThat(d.failed()).isEqualTo(7);
        assertThat(d.deleted()).containsExactly(3, 4, 10);
    }

    // ---- loading -----------------------------------------------------------------------------------------------

    @Test
    void loadNextMsgMulti() {
        StreamStore s = open(cfg("foo.*"));
        for (int i = 0; i < 1000; i++) {
            store(s, "foo." + i, "ZZZ");
        }
        StoredMessage sm = new StoredMessage();
        SubjectFilter wc = SubjectFilter.of(List.of("foo.>"));
        for (long seq = 1; seq <= 1000; seq++) {
            assertThat(s.loadNextMessage(wc, seq, sm).subject()).isEqualTo("foo." + (seq - 1));
            assertThat(sm.sequence()).isEqualTo(seq);
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add("foo." + i);
        }
        SubjectFilter literals = SubjectFilter.of(all);
        for (long seq = 1; seq <= 1000; seq += 37) {
            assertThat(s.loadNextMessage(literals, seq, sm).sequence()).isEqualTo(seq);
        }
        SubjectFilter three = SubjectFilter.of(List.of("foo.2", "foo.222", "foo.999"));
        assertThat(s.loadNextMessage(three, 1, sm).sequence()).isEqualTo(3);
        assertThat(s.loadNextMessage(three, 4, sm).sequence()).isEqualTo(223);
        assertThat(s.loadNextMessage(three, 224, sm).sequence()).isEqualTo(1000);
        assertThat(s.loadNextMessage(three, 1001, sm)).isNull();
    }

    @Test
    void loadNextMsgWildcardStartBeforeFirstMatch() {
        StreamStore s = open(cfg("bar.*", "foo.*"));
        for (int i = 0; i < 100; i++) {
            s.storeMessage("bar." + i, null, null, 0);
        }
        assertThat(s.storeMessage("foo.1", null, null, 0)).isEqualTo(101);
        StoredMessage sm = s.loadNextMessage(SubjectFilter.of("foo.*"), 1, null);
        assertThat(sm.subject()).isEqualTo("foo.1");
        assertThat(sm.sequence()).isEqualTo(101);
        assertThat(s.loadNextMessage(SubjectFilter.of("foo.*"), 102, null)).isNull();
    }

    @Test
    void loadPrevMsg() {
        StreamStore s = open(cfg("foo.*", "bar.*"));
        for (String subj : List.of("foo.1", "bar.1", "foo.2", "bar.2", "foo.3")) {
            store(s, subj, "ZZZ");
        }
        StoredMessage sm = new StoredMessage();
        assertThat(s.loadPrevMessage(SubjectFilter.ALL, 5, sm).subject()).isEqualTo("foo.3");
        assertThat(s.loadPrevMessage(SubjectFilter.of("foo.2"), 5, sm).sequence()).isEqualTo(3);
        assertThat(s.loadPrevMessage(SubjectFilter.of("foo.*"), 5, sm).sequence()).isEqualTo(5);
        assertThat(s.loadPrevMessage(SubjectFilter.of("baz.*"), 5, sm)).isNull();
        SubjectFilter multi = SubjectFilter.of(List.of("foo.1", "bar.2"));
        assertThat(s.loadPrevMessage(multi, 5, sm).sequence()).isEqualTo(4);
        assertThat(s.loadPrevMessage(multi, 3, sm).sequence()).isEqualTo(1);
        assertThat(s.loadPrevMessage(multi, 0, sm)).isNull();
    }

    @Test
    void loadLastMsg() {
        StreamStore s = open(cfg("foo.*", "bar.*"));
        for (String subj : List.of("foo.1", "bar.1", "foo.2", "bar.2", "foo.1")) {
            store(s, subj, "ZZZ");
        }
        assertThat(s.loadLastMessage("foo.1", null).sequence()).isEqualTo(5);
        assertThat(s.loadLastMessage("bar.*", null).sequence()).isEqualTo(4);
        assertThat(s.loadLastMessage("", null).sequence()).isEqualTo(5);
        assertThat(s.loadLastMessage(">", null).sequence()).isEqualTo(5);
        assertThat(s.loadLastMessage("baz", null)).isNull();
        assertThat(s.subjectForSequence(2)).isEqualTo("bar.1");
        assertThat(s.subjectForSequence(9)).isNull();
    }

    @Test
    void sequenceFromTime() {
        StreamStore s = open(cfg("foo"));
        long start = 0;
        for (int i = 0; i < 10; i++) {
            store(s, "foo", "x");
            if (i == 1) {
                start = s.loadMessage(2, null).timestampNanos();
            }
        }
        for (long seq = 4; seq <= 7; seq++) {
            s.removeMessage(seq);
        }
        assertThat(s.sequenceFromTime(start)).isEqualTo(2);
        assertThat(s.sequenceFromTime(0)).isEqualTo(1);
        assertThat(s.sequenceFromTime(Long.MAX_VALUE)).isEqualTo(11);
        long t8 = s.loadMessage(8, null).timestampNanos();
        assertThat(s.sequenceFromTime(t8 - 1)).isEqualTo(8);
        s.removeMessage(10);
        long t9 = s.loadMessage(9, null).timestampNanos();
        assertThat(s.sequenceFromTime(t9)).isEqualTo(9);
    }

    @Test
    void skipMsgs() {
        StreamStore s = open(cfg("foo"));
        s.skipMessages(1, 10);
        StreamState st = s.state();
        assertThat(st.firstSeq()).isEqualTo(11);
        assertThat(st.lastSeq()).isEqualTo(10);
        assertThat(st.msgs()).isZero();
        assertThatThrownBy(() -> s.skipMessages(5, 1)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.SEQUENCE_MISMATCH));
        s.skipMessages(11, 90);
        assertThat(s.state().lastSeq()).isEqualTo(100);
        assertThat(store(s, "foo", "x")).isEqualTo(101);
        s.skipMessages(0, 10);
        st = s.state();
        assertThat(st.firstSeq()).isEqualTo(101);
        assertThat(st.lastSeq()).isEqualTo(111);
        assertThat(st.numDeleted()).isEqualTo(10);
        assertThat(s.skipMessage(0)).isEqualTo(112);
        StreamStore r = restart(s);
        st = r.state();
        assertThat(st.firstSeq()).isEqualTo(101);
        assertThat(st.lastSeq()).isEqualTo(112);
        assertThat(st.msgs()).isEqualTo(1);
    }

    @Test
    void skipMsgsCarryForwardLastTime() {
        StreamStore s = open(cfg("foo"));
        long old = clock.peek() - 30L * 24 * 3600 * 1_000_000_000L;
        s.storeRawMessage("foo", null, null, 1, old, 0, false);
        assertThat(s.fastState().lastTimeNanos()).isEqualTo(old);
        s.skipMessages(2, 10);
        assertThat(s.fastState().lastSeq()).isEqualTo(11);
        assertThat(s.fastState().lastTimeNanos()).isEqualTo(old);
        assertThat(s.skipMessage(12)).isEqualTo(12);
        assertThat(s.fastState().lastTimeNanos()).isEqualTo(old);
        s.skipMessages(13, 5);
        assertThat(s.fastState().lastSeq()).isEqualTo(17);
        assertThat(s.fastState().lastTimeNanos()).isEqualTo(old);
        long newer = old + 15L * 24 * 3600 * 1_000_000_000L;
        s.storeRawMessage("foo", null, null, 18, newer, 0, false);
        assertThatThrownBy(() -> s.storeRawMessage("foo", null, null, 18, newer, 0, false))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.SEQUENCE_MISMATCH));
        assertThat(s.sequenceFromTime(old)).isEqualTo(1);
        assertThat(s.sequenceFromTime(old + 5L * 24 * 3600 * 1_000_000_000L)).isEqualTo(18);
        assertThat(s.sequenceFromTime(newer)).isEqualTo(18);
    }

    @Test
    void skipMsgNoInterestAdvancesLastTime() {
        StreamStore s = open(cfg("foo"));
        assertThat(s.skipMessageNoInterest(0)).isEqualTo(1);
        long first = s.fastState().lastTimeNanos();
        assertThat(first).isPositive();
        clock.advance(1_000_000);
        assertThat(s.skipMessage(0)).isEqualTo(2);
        assertThat(s.fastState().lastTimeNanos()).isEqualTo(first);
        assertThat(s.skipMessageNoInterest(0)).isEqualTo(3);
        assertThat(s.fastState().lastTimeNanos()).isGreaterThan(first);
    }

    @Test
    void multiLastSeqs() {
        StreamStore s = open(cfg("foo.*", "bar.*"));
        for (int i = 0; i < 33; i++) {
            store(s, "foo.foo", "abc");
            store(s, "foo.bar", "abc");
            store(s, "foo.baz", "abc");
        }
        for (int i = 0; i < 33; i++) {
            store(s, "bar.foo", "abc");
            store(s, "bar.bar", "abc");
            store(s, "bar.baz", "abc");
        }
        assertThat(s.multiLastSequences(List.of("foo.*"), 3, -1)).containsExactly(1, 2, 3);
        assertThat(s.multiLastSequences(List.of("foo.*"), 0, -1)).containsExactly(97, 98, 99);
        assertThat(s.multiLastSequences(List.of("bar.*"), 0, -1)).containsExactly(196, 197, 198);
        assertThat(s.multiLastSequences(List.of("bar.*"), 99, -1)).isEmpty();
        assertThat(s.multiLastSequences(List.of("foo.foo", "foo.bar", "foo.baz"), 3, -1)).containsExactly(1, 2, 3);
        assertThat(s.multiLastSequences(List.of("foo.foo"), 3, -1)).containsExactly(1);
        assertThat(s.multiLastSequences(List.of("foo.*", "foo.bar"), 3, -1)).containsExactly(1, 2, 3);
        assertThat(s.multiLastSequences(List.of("bar.>", "bar.bar", "bar.baz"), 0, -1))
                .containsExactly(196, 197, 198);
        assertThat(s.multiLastSequences(List.of(">"), 0, -1)).containsExactly(97, 98, 99, 196, 197, 198);
        assertThat(s.multiLastSequences(List.of(">"), 99, -1)).containsExactly(97, 98, 99);
        assertThat(s.allLastSequences()).containsExactly(97, 98, 99, 196, 197, 198);
    }

    @Test
    void multiLastSeqsMaxAllowed() {
        StreamStore s = open(cfg("foo.*"));
        for (int i = 1; i <= 100; i++) {
            store(s, "foo." + i, "abc");
        }
        assertThatThrownBy(() -> s.multiLastSequences(List.of("foo.*"), 0, 10))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.TOO_MANY_RESULTS));
    }

    // ---- discard new -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"MaxMsgs", "MaxBytes", "MaxMsgsPer", "MaxMsgsPer_DiscardNewPer", "MaxMsgsPer_MaxMsgs",
        "MaxMsgsPer_MaxBytes", "MaxMsgsPer_MaxMsgs_DiscardNewPer", "MaxMsgsPer_MaxBytes_DiscardNewPer"})
    void discardNew(String variant) {
        StoreConfig.Builder b = cfg("foo").discard(DiscardPolicy.NEW);
        long oneMsg = sizeOf("foo", null, null);
        StoreError expected = switch (variant) {
            case "MaxMsgs" -> {
                b.maxMsgs(1);
                yield StoreError.MAX_MSGS;
            }
            case "MaxBytes" -> {
                b.maxBytes(oneMsg + 1);
                yield StoreError.MAX_BYTES;
            }
            case "MaxMsgsPer" -> {
                b.maxMsgsPerSubject(1);
                yield null;
            }
            case "MaxMsgsPer_DiscardNewPer" -> {
                b.maxMsgsPerSubject(1).discardNewPerSubject(true);
                yield StoreError.MAX_MSGS_PER_SUBJECT;
            }
            case "MaxMsgsPer_MaxMsgs" -> {
                b.maxMsgsPerSubject(1).maxMsgs(1);
                yield null;
            }
            case "MaxMsgsPer_MaxBytes" -> {
                b.maxMsgsPerSubject(1).maxBytes(oneMsg + 1);
                yield null;
            }
            case "MaxMsgsPer_MaxMsgs_DiscardNewPer" -> {
                b.maxMsgsPerSubject(1).maxMsgs(1).discardNewPerSubject(true);
                yield StoreError.MAX_MSGS_PER_SUBJECT;
            }
            default -> {
                b.maxMsgsPerSubject(1).maxBytes(oneMsg + 1).discardNewPerSubject(true);
                yield StoreError.MAX_MSGS_PER_SUBJECT;
            }
        };
        StoreConfig cfg = b.build();
        StreamStore s = open(b);
        long ts = clock.peek();
        long[] expectedSeq = {1};
        Runnable requireState = () -> {
            StreamState st = s.state();
            assertThat(st.msgs()).isEqualTo(1);
            assertThat(st.firstSeq()).isEqualTo(expectedSeq[0]);
            assertThat(st.lastSeq()).isEqualTo(expectedSeq[0]);
        };
        s.storeMessage("foo", null, null, 0);
        if (expected == null) {
            s.storeRawMessage("foo", null, null, 0, ts, 0, true);
            expectedSeq[0]++;
        } else {
            assertThatThrownBy(() -> s.storeRawMessage("foo", null, null, 0, ts, 0, true))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.error()).isEqualTo(expected));
        }
        requireState.run();
        s.storeRawMessage("foo", null, null, 0, ts, 0, false);
        expectedSeq[0]++;
        if (cfg.maxMsgsPerSubject() > 0) {
            requireState.run();
        } else {
            StreamState st = s.state();
            assertThat(st.msgs()).isEqualTo(2);
            assertThat(st.firstSeq()).isEqualTo(expectedSeq[0] - 1);
            assertThat(st.lastSeq()).isEqualTo(expectedSeq[0]);
        }
    }

    @Test
    void discardNewPerSubjectAllowsRollup() {
        StreamStore s = open(cfg("foo").discard(DiscardPolicy.NEW).maxMsgsPerSubject(1).discardNewPerSubject(true));
        s.storeMessage("foo", null, null, 0);
        assertThat(s.storeMessage("foo", bytes("NATS/1.0\r\nNats-Rollup: sub\r\n\r\n"), null, 0)).isEqualTo(2);
        assertThat(s.state().msgs()).isEqualTo(1);
    }

    // ---- interior delete accounting ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"remove", "erase", "skip", "skips"})
    void interiorDeleteAccounting(String action) {
        for (boolean empty : new boolean[] {false, true}) {
            StreamStore s = open(StoreConfig.builder("zzz" + action + empty, storage()).subjects("foo"));
            long lseq = 0;
            if (!empty) {
                lseq = s.storeMessage("foo", null, null, 0);
            }
            lseq++;
            switch (action) {
                case "remove", "erase" -> {
                    assertThat(s.storeMessage("foo", null, null, 0)).isEqualTo(lseq);
                    assertThat(action.equals("remove") ? s.removeMessage(lseq) : s.eraseMessage(lseq)).isTrue();
                    s.truncate(lseq);
                }
                case "skip" -> s.skipMessage(0);
                default -> s.skipMessages(lseq, 1);
            }
            StreamState before = s.state();
            if (empty) {
                assertThat(before.msgs()).isZero();
                assertThat(before.firstSeq()).isEqualTo(2);
                assertThat(before.lastSeq()).isEqualTo(1);
            } else {
                assertThat(before.msgs()).isEqualTo(1);
                assertThat(before.firstSeq()).isEqualTo(1);
                assertThat(before.lastSeq()).isEqualTo(2);
            }
            StreamStore r = restart(s);
            StreamState after = r.state();
            assertThat(after.msgs()).isEqualTo(before.msgs());
            assertThat(after.firstSeq()).isEqualTo(before.firstSeq());
            assertThat(after.lastSeq()).isEqualTo(before.lastSeq());
            assertThat(after.numDeleted()).isEqualTo(before.numDeleted());
        }
    }

    // ---- callbacks ---------------------------------------------------------------------------------------------

    @Test
    void storageUpdatesAddUpToState() {
        StreamStore s = open(cfg("foo.*").maxMsgs(50).maxMsgsPerSubject(20));
        AtomicLong msgs = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        s.registerStorageUpdates((m, b, seq, subj) -> {
            msgs.addAndGet(m);
            bytes.addAndGet(b);
        });
        Random r = new Random(3);
        for (int i = 0; i < 500; i++) {
            store(s, "foo." + r.nextInt(5), "payload-" + i);
            if (i % 17 == 0) {
                s.removeMessage(s.state().firstSeq() + 3);
            }
        }
        s.purge("foo.1", 0, 2);
        s.compact(s.state().firstSeq() + 5);
        StreamState st = s.state();
        assertThat(msgs.get()).isEqualTo(st.msgs());
        assertThat(bytes.get()).isEqualTo(st.bytes());
        s.purge();
        assertThat(msgs.get()).isZero();
        assertThat(bytes.get()).isZero();
    }

    @Test
    void perSubjectLimitRemovesOldestOfSubject() {
        StreamStore s = open(cfg("kv.>").maxMsgsPerSubject(2));
        for (int i = 0; i < 5; i++) {
            store(s, "kv.a", "a" + i);
            store(s, "kv.b", "b" + i);
        }
        assertThat(s.state().msgs()).isEqualTo(4);
        assertThat(s.loadNextMessage(SubjectFilter.of("kv.a"), 0, null).payload()).isEqualTo(bytes("a3"));
        assertThat(s.filteredState(0, "kv.b")).isEqualTo(new SimpleState(2, 8, 10));
    }

    // ---- schedules ---------------------------------------------------------------------------------------------

    @Test
    void schedulesFireThroughHandler() {
        StreamStore s = open(cfg("sched.>", "target").allowMsgSchedules(true));
        List<String> fired = new ArrayList<>();
        long fireAt = clock.peek() + 5_000_000_000L;
        s.registerScheduleHandler(new ScheduleHandler() {
            @Override
            public long nextFireTimeNanos(byte[] header, int off, int len, long ts) {
                return NatsHeaders.value(header, off, len, NatsHeaders.SCHEDULE) != null ? fireAt : 0;
            }

            @Override
            public boolean onScheduleDue(StoredMessage schedule) {
                fired.add(schedule.subject() + "@" + schedule.sequence());
                return true;
            }
        });
        s.storeMessage("sched.a", bytes("NATS/1.0\r\nNats-Schedule: @every 5s\r\n\r\n"), null, 0);
        ((AbstractStreamStore<?>) s).runSchedules();
        assertThat(fired).isEmpty();
        clock.advance(6_000_000_000L);
        ((AbstractStreamStore<?>) s).runSchedules();
        assertThat(fired).containsExactly("sched.a@1");
        // in flight: not fired again until the produced message arrives
        ((AbstractStreamStore<?>) s).runSchedules();
        assertThat(fired).hasSize(1);
        String next = java.time.Instant.ofEpochSecond(0, clock.peek() + 10_000_000_000L).toString();
        s.storeMessage("target", bytes("NATS/1.0\r\nNats-Scheduler: sched.a\r\nNats-Schedule-Next: " + next
                + "\r\n\r\n"), null, 0);
        ((AbstractStreamStore<?>) s).runSchedules();
        assertThat(fired).hasSize(1);
        clock.advance(11_000_000_000L);
        ((AbstractStreamStore<?>) s).runSchedules();
        assertThat(fired).containsExactly("sched.a@1", "sched.a@1");
        // removing the schedule message drops the schedule
        s.removeMessage(1);
        clock.advance(60_000_000_000L);
        ((AbstractStreamStore<?>) s).runSchedules();
        assertThat(fired).hasSize(2);
    }

    // ---- closed --------------------------------------------------------------------------------------------------

    @Test
    void closedStoreRefusesWrites() {
        StreamStore s = open(cfg("foo"));
        store(s, "foo", "x");
        s.stop();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(() -> store(s, "foo", "x")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.CLOSED));
        s.stop();
    }

    @Test
    void closedStoreRefusesPurgesAndSkips() {
        StreamStore s = open(cfg("foo.*"));
        store(s, "foo.a", "x");
        store(s, "foo.b", "y");
        s.stop();
        for (Runnable op : List.<Runnable>of(() -> s.purge("foo.a", 0, 0), () -> s.purge(), () -> s.compact(2),
                () -> s.truncate(1), () -> s.skipMessage(0), () -> s.skipMessages(0, 2), () -> s.removeMessage(1))) {
            assertThatThrownBy(op::run).isInstanceOfSatisfying(StoreException.class,
                    e -> assertThat(e.error()).isEqualTo(StoreError.CLOSED));
        }
    }
}
