package io.jnatsd.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consumer state rules shared by both consumer stores (nats-server's consumerMemStore / consumerFileStore). */
public abstract class ConsumerStoreContractTest {

    protected final List<StreamStore> streams = new ArrayList<>();

    /** A stream store to create consumer stores on. */
    protected abstract StreamStore newStream();

    /** Stops the stream (and its consumers) and opens it again; memory stores cannot, so they return null. */
    protected StreamStore reopen(StreamStore stream) {
        return null;
    }

    @AfterEach
    void stopAll() {
        for (StreamStore s : streams) {
            s.stop();
        }
    }

    private ConsumerStore consumer(StreamStore s, AckPolicy ack) {
        return s.consumerStore("dlc", 1, new ConsumerStoreConfig(ack, 0, "{\"durable_name\":\"dlc\"}"));
    }

    @Test
    void explicitAcksMoveFloors() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        assertThat(c.hasState()).isFalse();
        for (long i = 1; i <= 5; i++) {
            c.updateDelivered(i, i + 10, 1, 1_000_000_000L * i);
        }
        ConsumerState st = c.state();
        assertThat(st.delivered).isEqualTo(new SequencePair(5, 15));
        assertThat(st.ackFloor).isEqualTo(SequencePair.ZERO);
        assertThat(st.pending).hasSize(5).containsEntry(11L, new PendingAck(1, 1_000_000_000L));
        c.updateAcks(2, 12);
        assertThat(c.state().ackFloor).isEqualTo(SequencePair.ZERO);
        c.updateAcks(1, 11);
        assertThat(c.state().ackFloor).isEqualTo(new SequencePair(2, 12));
        c.updateAcks(4, 14);
        c.updateAcks(3, 13);
        assertThat(c.state().ackFloor).isEqualTo(new SequencePair(4, 14));
        c.updateAcks(5, 15);
        st = c.state();
        assertThat(st.ackFloor).isEqualTo(new SequencePair(5, 15));
        assertThat(st.pending).isEmpty();
        assertThatThrownBy(() -> c.updateAcks(7, 17)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.MSG_NOT_FOUND));
        assertThat(c.hasState()).isTrue();
    }

    @Test
    void redeliveriesAreCounted() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        c.updateDelivered(1, 1, 1, 1);
        c.updateDelivered(2, 1, 2, 2);
        c.updateDelivered(3, 1, 3, 3);
        ConsumerState st = c.state();
        assertThat(st.redelivered).containsEntry(1L, 2L);
        assertThat(st.pending.get(1L).consumerSeq()).isEqualTo(1);
        c.updateAcks(3, 1);
        st = c.state();
        assertThat(st.redelivered).isEmpty();
        assertThat(st.pending).isEmpty();
        assertThat(st.ackFloor).isEqualTo(new SequencePair(3, 1));
    }

    @Test
    void ackAllAcknowledgesEverythingBelow() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.ALL);
        for (long i = 1; i <= 10; i++) {
            c.updateDelivered(i, i, 1, i);
        }
        c.updateAcks(7, 7);
        ConsumerState st = c.state();
        assertThat(st.ackFloor).isEqualTo(new SequencePair(7, 7));
        assertThat(st.pending).containsOnlyKeys(8L, 9L, 10L);
    }

    @Test
    void ackNoneMovesFloorOnDelivery() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.NONE);
        c.updateDelivered(1, 5, 1, 1);
        assertThat(c.state().ackFloor).isEqualTo(new SequencePair(1, 5));
        assertThatThrownBy(() -> c.updateDelivered(2, 5, 2, 1)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.NO_ACK_POLICY));
        assertThatThrownBy(() -> c.updateAcks(1, 5)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.NO_ACK_POLICY));
    }

    @Test
    void updateChecksConsistencyAndAge() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        ConsumerState st = new ConsumerState();
        st.delivered = new SequencePair(10, 20);
        st.ackFloor = new SequencePair(5, 15);
        st.pending.put(18L, new PendingAck(8, 3_000_000_000L));
        st.redelivered.put(18L, 2L);
        c.update(st);
        assertThat(c.state()).isEqualTo(st);

        ConsumerState older = new ConsumerState();
        older.delivered = new SequencePair(9, 19);
        older.ackFloor = new SequencePair(5, 15);
        assertThatThrownBy(() -> c.update(older)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.OLD_UPDATE));
        c.forceUpdate(older);
        assertThat(c.state().delivered).isEqualTo(new SequencePair(9, 19));

        ConsumerState bad = new ConsumerState();
        bad.delivered = new SequencePair(1, 1);
        bad.ackFloor = new SequencePair(2, 1);
        assertThatThrownBy(() -> c.update(bad)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.BAD_REQUEST));
        ConsumerState badPending = new ConsumerState();
        badPending.delivered = new SequencePair(10, 20);
        badPending.ackFloor = new SequencePair(5, 15);
        badPending.pending.put(21L, new PendingAck(1, 1));
        assertThatThrownBy(() -> c.forceUpdate(badPending)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.BAD_REQUEST));
    }

    @Test
    void encodedStateRoundTrips() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        c.updateDelivered(1, 100, 1, 1_700_000_000_000_000_000L);
        c.updateDelivered(2, 101, 1, 1_700_000_001_000_000_000L);
        c.updateDelivered(3, 100, 2, 1_700_000_002_000_000_000L);
        ConsumerState decoded = ConsumerStateCodec.decode(c.encodedState());
        ConsumerState st = c.state();
        assertThat(decoded.delivered).isEqualTo(st.delivered);
        assertThat(decoded.ackFloor).isEqualTo(st.ackFloor);
        assertThat(decoded.pending.keySet()).isEqualTo(st.pending.keySet());
        assertThat(decoded.pending.get(101L)).isEqualTo(new PendingAck(2, 1_700_000_001_000_000_000L));
        assertThat(decoded.redelivered).isEqualTo(st.redelivered);
    }

    @Test
    void resetAndStarting() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        c.setStarting(22);
        assertThat(c.state().delivered).isEqualTo(new SequencePair(0, 22));
        assertThat(c.state().ackFloor).isEqualTo(new SequencePair(0, 22));
        c.updateStarting(30);
        assertThat(c.state().delivered.stream()).isEqualTo(30);
        assertThat(c.state().ackFloor.stream()).isEqualTo(22);
        c.updateDelivered(1, 31, 1, 1);
        c.reset(40);
        ConsumerState st = c.state();
        assertThat(st.pending).isEmpty();
        assertThat(st.delivered).isEqualTo(new SequencePair(0, 40));
        c.updateDelivered(1, 41, 1, 1);
        c.updateDelivered(2, 42, 3, 1);
        c.removeRedeliveredBelow(43);
        assertThat(c.state().redelivered).isEmpty();
    }

    @Test
    void stoppedConsumerIsForgotten() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        assertThat(s.consumers()).containsExactly(c);
        assertThat(s.fastState().consumers()).isEqualTo(1);
        c.stop();
        assertThat(s.consumers()).isEmpty();
        assertThatThrownBy(c::state).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.error()).isEqualTo(StoreError.CLOSED));
    }

    @Test
    void stateSurvivesRestart() {
        StreamStore s = newStream();
        ConsumerStore c = consumer(s, AckPolicy.EXPLICIT);
        for (long i = 1; i <= 4; i++) {
            c.updateDelivered(i, i, 1, i * 1_000_000_000L);
        }
        c.updateAcks(1, 1);
        c.updateAcks(3, 3);
        ConsumerState before = c.state();
        StreamStore r = reopen(s);
        if (r == null) {
            return;                                 // memory stores do not survive a restart
        }
        ConsumerStore again = consumer(r, AckPolicy.EXPLICIT);
        ConsumerState after = again.state();
        assertThat(after.delivered).isEqualTo(before.delivered);
        assertThat(after.ackFloor).isEqualTo(before.ackFloor);
        assertThat(after.pending).isEqualTo(before.pending);
        assertThat(again.config().configJson()).isEqualTo("{\"durable_name\":\"dlc\"}");
    }
}
