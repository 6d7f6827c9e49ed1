package io.jnatsd.server.jetstream;

import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.ApiResponder;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StreamState;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fast batch publish ({@code allow_batched}, API level 4): a publisher streams messages whose reply subject carries
 * the batch ({@link FastBatchReply}); each one is checked and stored at once, as a single publish would be, and the
 * server answers on that reply subject with flow messages instead of one PubAck per message
 * ({@code server/jetstream_batching.go fastBatch}, {@code server/stream.go processJetStreamFastBatchMsg}):
 * <pre>
 *   {"type":"ack","seq":N,"msgs":M}        messages up to batch sequence N stored; acknowledge every M from now on
 *                                          (sent with N = 0 after the first message, then every M stored messages)
 *   {"type":"gap","last_seq":A,"seq":B}    batch sequences A .. B-1 never arrived
 *   {"type":"err","seq":N,"error":{...}}   the message N was refused (the checks of a single publish)
 *   {"stream":"S","seq":L,"batch":"id","count":C}
 *                                          the final PubAck: the batch is over, L the last stream sequence stored
 * </pre>
 * With gap mode {@code fail} a gap, a refused message or a sequence going backwards ends the batch with the final
 * PubAck of what was stored so far; with {@code ok} gaps and refused messages are reported and the batch goes on.
 * A ping repeats the last flow acknowledgement (after reporting a gap if the ping's sequence is ahead). The flow
 * starts at the client's value capped at 500, or at 1 while other batches are in flight on the stream, and doubles
 * or halves at each acknowledgement toward {@code 500 / batches in flight} (never above the client's value).
 * <p>
 * A batch lives until its commit or {@code batch.timeout} (10 s) without a message; limits are
 * {@code batch.max_inflight_per_stream} (default 1000 for fast batches) and {@code batch.max_inflight_total} (default
 * 50 000 per server), both error 10211. No advisory is sent for abandoned fast batches, as in nats-server. Only the
 * standalone path exists (no clustering in jnatsd): a message is stored before the next one is looked at, so the
 * final PubAck always goes out with the commit.
 * <p>
 * Used by the stream's writer (or the publisher storing inline) under the stream's lock; the inactivity timers run
 * on the host's timers and take the same lock. Thread-safe.
 */
// nats-server: jetstream_batching.go fastBatch, newFastBatch, fastBatchInit, fastBatchRegisterSequences,
// checkFlowControl, sendFlowControl, fastBatchCommit, cleanupLocked; stream.go processJetStreamFastBatchMsg
final class FastBatches {

    private static final NatsLogger LOG = NatsLogger.get(FastBatches.class);
    /** Default fast batches in flight per stream ({@code streamDefaultMaxFastBatchInflightPerStream}). */
    static final int DEFAULT_MAX_INFLIGHT_PER_STREAM = 1000;
    /** Default fast batches in flight per server ({@code streamDefaultMaxFastBatchInflightTotal}). */
    static final int DEFAULT_MAX_INFLIGHT_TOTAL = 50_000;
    /** Largest batch id, in bytes. */
    static final int MAX_ID_BYTES = 64;
    /** The flow ceiling shared by the batches of one stream. */
    static final int MAX_STREAM_FLOW = 500;

    private final Stream stream;
    private final Map<String, Batch> batches = new HashMap<>();   // guarded by the stream's lock

    /** One batch in flight. Sequences are unsigned. */
    static final class Batch {
        final String id;
        final boolean gapOk;
        final int maxAckMessages;     // the client's flow, the ceiling of ackMessages
        ScheduledFuture<?> timer;     // null once cleaned up
        long lastSeq;                 // highest batch sequence accepted
        long streamSeq;               // stream sequence of the last message stored
        long persistedSeq;            // last batch sequence stored (at most lastSeq)
        long flowSeq;                 // batch sequence of the last flow acknowledgement (at most persistedSeq)
        int pending;                  // messages accepted but not stored yet
        int ackMessages;              // acknowledge every this many messages
        boolean commit;

        Batch(String id, boolean gapOk, int maxAckMessages) {
            this.id = id;
            this.gapOk = gapOk;
            this.maxAckMessages = maxAckMessages;
        }
    }

    FastBatches(Stream stream) {
        this.stream = stream;
    }

    /** Batches in flight on this stream. Caller holds the stream's lock. */
    int size() {
        return batches.size();
    }

    /** The batch {@code id}, or null. Caller holds the stream's lock. */
    Batch get(String id) {
        return batches.get(id);
    }

    /** Drops every batch (the stream stops, or fast batch publish was turned off). Caller holds the stream's lock. */
    // nats-server: stream.go deleteFastBatches
    void clear() {
        for (Batch b : batches.values().toArray(Batch[]::new)) {
            cleanup(b);
        }
        batches.clear();
    }

    // nats-server: jetstream_batching.go fastBatch.cleanupLocked
    private void cleanup(Batch b) {
        if (b.timer == null) {
            return;
        }
        inflight().decrementAndGet();
        b.timer.cancel(false);
        b.timer = null;
        batches.remove(b.id, b);
    }

    private AtomicInteger inflight() {
        return stream.jetStream().fastBatchesInflight();
    }

    // ---- one message -------------------------------------------------------------------------------------------

    /**
     * Handles one message published with a fast batch reply subject. Caller holds the stream's lock.
     *
     * @param fastReply the reply subject carrying the batch (the message's own, or the one a service import kept)
     */
    // nats-server: stream.go processJetStreamFastBatchMsg (standalone)
    void process(String fastReply, IngestQueue.Message m) {
        StreamConfig cfg = stream.config();
        String reply = m.reply();
        byte[] hdr = m.header();
        byte[] msg = m.payload() == null ? new byte[0] : m.payload();
        JetStream js = stream.jetStream();
        boolean canRespond = !cfg.noAck() && reply != null && !reply.isEmpty();
        ApiError refused = stream.batchEntryError(m, true);
        if (refused != null) {
            fail(reply, refused);
            return;
        }
        if (!cfg.allowBatched()) {
            fail(reply, JsApiError.BATCH_PUBLISH_DISABLED.error());
            return;
        }
        FastBatchReply batch = FastBatchReply.parse(fastReply);
        if (batch == null) {
            LOG.debug("Fast batch publish on '" + stream.account().account().name() + " > " + stream.name()
                    + "' with an invalid reply subject " + GoQuote.quote(fastReply));
            fail(reply, JsApiError.BATCH_PUBLISH_INVALID_PATTERN.error());
            return;
        }
        if (batch.id().length() > MAX_ID_BYTES
                || batch.id().getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            fail(reply, JsApiError.BATCH_PUBLISH_INVALID_BATCH_ID.error());
            return;
        }
        Batch b = batches.get(batch.id());
        if (b == null) {
            if (batch.seq() != 1) {
                fail(reply, JsApiError.BATCH_PUBLISH_UNKNOWN_BATCH_ID.error());
                return;
            }
            if (batches.size() + 1 > maxInflightPerStream()) {
                fail(reply, JsApiError.BATCH_PUBLISH_TOO_MANY_INFLIGHT.error());
                return;
            }
            if (inflight().incrementAndGet() > maxInflightTotal()) {
                inflight().decrementAndGet();
                fail(reply, JsApiError.BATCH_PUBLISH_TOO_MANY_INFLIGHT.error());
                return;
            }
            b = newBatch(batch.id(), batch.gapOk(), batch.flow());
        }
        String level = JsHeaders.get(hdr, JsHeaders.REQUIRED_API_LEVEL);
        if (level != null && !level.isEmpty()) {
            if (ApiResponder.errorOnRequiredApiLevel(hdr)) {
                cleanup(b);
                fail(reply, JsApiError.REQUIRED_API_LEVEL.error());
                return;
            }
            hdr = JsHeaders.remove(hdr, JsHeaders.REQUIRED_API_LEVEL);
        }
        boolean expired = !resetTimer(b);
        if (batch.ping()) {
            ping(b, batch, reply, expired);
            return;
        }
        if (b.commit) {
            return;                                 // the batch ends; its PubAck follows its last store
        }
        b.lastSeq++;
        if (b.lastSeq != batch.seq() || expired) {
            boolean forward = Long.compareUnsigned(batch.seq(), b.lastSeq) > 0;
            if (forward) {
                send(reply, gap(b.lastSeq, batch.seq()));
            }
            if (b.gapOk && !expired && forward) {
                b.lastSeq = batch.seq();
            } else {
                b.lastSeq--;                        // a backward sequence, an expired batch, or gap mode fail
                if (commit(b, reply)) {
                    cleanup(b);
                }
                return;
            }
        }
        if (batch.commit()) {
            if (batch.commitEob()) {
                b.lastSeq--;
                if (b.pending == 0) {
                    b.persistedSeq = b.lastSeq;
                }
            }
            boolean done = commit(b, reply);
            if (batch.commitEob()) {
                if (done) {
                    cleanup(b);
                }
                return;
            }
        }
        if (batch.seq() == 1 && canRespond && !batch.commit()) {
            send(reply, flowAck(0, b.ackMessages));
        }
        store(b, batch, m.subject(), reply, hdr, msg);
    }

    /** Checks and stores one message of the batch, then acknowledges as its sequences say. */
    private void store(Batch b, FastBatchReply batch, String subject, String reply, byte[] hdr, byte[] msg) {
        Stream.Prepared p;
        ApiError refused = null;
        long duplicateOf = 0;
        try {
            p = stream.prepare(subject, reply, hdr, msg, false, null);
            if (p.duplicateOf() > 0) {
                duplicateOf = p.duplicateOf();
            } else {
                refused = checkDiscardNew(p);
            }
        } catch (Stream.Refused r) {
            if (r.error.is(JsApiError.STREAM_WRONG_LAST_MSG_ID)) {
                // nats-server checks the expected last message id only when storing (stream.go
                // processJetStreamMsgWithBatch): the publisher gets the plain error PubAck, as for a store failure
                storeFailed(b);
                stream.respond(reply, stream.errorAck(r.error));
                return;
            }
            p = null;
            refused = r.error;
        }
        boolean duplicate = duplicateOf > 0;
        if (duplicate || refused != null) {
            if (duplicate) {
                if (b.pending == 0) {
                    b.persistedSeq = batch.seq();
                    checkFlowControl(b, reply);
                }
                if (!batch.commit()) {
                    return;                         // a duplicate is skipped
                }
            }
            if (!batch.gapOk() && b.lastSeq == 1) {
                // the first message fails: answered as a single publish would be
                byte[] response = duplicate ? stream.pubAck(duplicateOf, ",\"duplicate\": true,\"batch\":"
                        + GoQuote.quote(batch.id()) + ",\"count\":" + Long.toUnsignedString(batch.seq()))
                        : stream.errorAck(refused);
                cleanup(b);
                send(reply, response);
                return;
            }
            if (!duplicate) {
                send(reply, flowError(batch.seq(), refused));
            }
            if (batch.gapOk() && !batch.commit()) {
                return;
            }
            if (!duplicate) {
                b.lastSeq--;
                if (b.pending == 0) {
                    b.persistedSeq = b.lastSeq;
                }
            }
            if (commit(b, reply)) {
                cleanup(b);
            }
            return;
        }
        b.pending++;
        stream.isolation().writeLock().lock();
        long seq;
        try {
            seq = stream.apply(p, null, false);
        } finally {
            stream.isolation().writeLock().unlock();
        }
        if (seq == 0) {
            b.pending--;
            storeFailed(b);                         // the store refused it and answered
            return;
        }
        if (registerStored(b, reply, seq, batch)) {
            stream.respond(reply, stream.pubAck(seq, ",\"batch\":" + GoQuote.quote(batch.id()) + ",\"count\":"
                    + Long.toUnsignedString(batch.seq())));
        }
    }

    /**
     * A message failed where nats-server fails it only when storing, after counting it as pending and without ever
     * registering it: the plain error PubAck was the answer. nats-server then keeps the message pending, so a commit
     * waiting for it never completes and the batch stays, without a timer, until the stream stops. jnatsd does not
     * count it as pending, and drops a batch whose commit it was.
     */
    private void storeFailed(Batch b) {
        if (b.commit) {
            cleanup(b);
        }
    }

    /**
     * Discard-new limits checked before storing, so that a full stream refuses a batch message as the other checks
     * do ({@code checkMsgHeadersPreClusteredProposal}, the discard-new block).
     */
    private ApiError checkDiscardNew(Stream.Prepared p) {
        StreamConfig cfg = stream.config();
        if (cfg.discardOrDefault() != DiscardPolicy.NEW) {
            return null;
        }
        StoreError error = null;
        if (cfg.maxMsgs() > 0 || cfg.maxBytes() > 0) {
            StreamState state = stream.store().fastState();
            int hl = p.hdr() == null ? 0 : p.hdr().length;
            long size = cfg.storage() == StorageType.MEMORY ? JsHeaders.memStoreMsgSize(p.subject(), hl,
                    p.msg().length) : JsHeaders.fileStoreMsgSize(p.subject(), hl, p.msg().length);
            if (cfg.maxMsgs() > 0 && state.msgs() + 1 > cfg.maxMsgs()) {
                error = StoreError.MAX_MSGS;
            } else if (cfg.maxBytes() > 0 && state.bytes() + size > cfg.maxBytes()) {
                error = StoreError.MAX_BYTES;
            }
        }
        if (error == null && cfg.discardNewPerSubject() && cfg.maxMsgsPerSubject() > 0
                && JsHeaders.get(p.hdr(), JsHeaders.ROLLUP) == null) {
            Long total = stream.store().subjectsTotals(p.subject()).get(p.subject());
            if ((total == null ? 0 : total) + 1 > cfg.maxMsgsPerSubject()) {
                error = StoreError.MAX_MSGS_PER_SUBJECT;
            }
        }
        return error == null ? null : JsApiError.STREAM_STORE_FAILED.error(error.text());
    }

    /** A ping: report a gap up to the ping's sequence, then repeat (or send a new) flow acknowledgement. */
    private void ping(Batch b, FastBatchReply batch, String reply, boolean expired) {
        boolean sendFlow = true;
        if (Long.compareUnsigned(batch.seq(), b.lastSeq) > 0 || expired) {
            send(reply, gap(b.lastSeq + 1, batch.seq() + 1));
            if (b.gapOk && !expired) {
                b.lastSeq = batch.seq();
                if (b.pending == 0) {
                    b.persistedSeq = b.lastSeq;
                }
                sendFlow = !checkFlowControl(b, reply);
            } else if (commit(b, reply)) {
                cleanup(b);
                sendFlow = false;
            }
        }
        if (sendFlow) {
            send(reply, flowAck(b.flowSeq, b.ackMessages));
        }
    }

    // ---- batch state -------------------------------------------------------------------------------------------

    // nats-server: jetstream_batching.go newFastBatch, fastBatchInit
    private Batch newBatch(String id, boolean gapOk, int flow) {
        Batch b = new Batch(id, gapOk, flow);
        batches.put(id, b);
        b.ackMessages = batches.size() > 1 ? 1 : Math.min(MAX_STREAM_FLOW, flow);
        b.timer = schedule(b);
        return b;
    }

    /**
     * Records that the message {@code batch} was stored at {@code streamSeq}; sends the final PubAck when it
     * completes a commit, else a flow acknowledgement when one is due.
     *
     * @return whether the caller sends the final PubAck (a commit waited for this message)
     */
    // nats-server: jetstream_batching.go fastBatchRegisterSequences (leader)
    private boolean registerStored(Batch b, String reply, long streamSeq, FastBatchReply batch) {
        if (b.pending > 0) {
            b.pending--;
        }
        b.streamSeq = streamSeq;
        boolean skipped = b.pending == 0;           // nothing else pending: duplicates may have been skipped
        b.persistedSeq = skipped ? b.lastSeq : batch.seq();
        if (b.lastSeq == b.persistedSeq && b.commit) {
            cleanup(b);
            if (skipped) {
                send(reply, finalAck(b));
                return false;
            }
            return true;
        }
        checkFlowControl(b, reply);
        return false;
    }

    /**
     * Sends a flow acknowledgement when {@code ackMessages} more messages were stored since the last one, adjusting
     * the flow toward this stream's share.
     *
     * @return whether one was sent
     */
    // nats-server: jetstream_batching.go checkFlowControl
    private boolean checkFlowControl(Batch b, String reply) {
        long am = b.ackMessages;
        if (Long.compareUnsigned(b.persistedSeq, b.flowSeq + am) < 0) {
            return false;
        }
        long steps = Long.divideUnsigned(b.persistedSeq - b.flowSeq, am);
        b.flowSeq += steps * am;
        int max = Math.max(1, MAX_STREAM_FLOW / Math.max(1, batches.size()));
        max = Math.min(max, b.maxAckMessages);
        if (b.ackMessages < max) {
            b.ackMessages = Math.min(b.ackMessages * 2, max);
        } else if (b.ackMessages > max) {
            b.ackMessages = Math.max(b.ackMessages / 2, max);
        }
        send(reply, flowAck(b.flowSeq, b.ackMessages));
        return true;
    }

    /**
     * Ends the batch: the final PubAck goes out now when every accepted message is stored.
     *
     * @return whether the batch is over (the caller cleans it up)
     */
    // nats-server: jetstream_batching.go fastBatchCommit
    private boolean commit(Batch b, String reply) {
        if (b.timer == null || !b.commit && !b.timer.cancel(false)) {
            return true;                            // timed out meanwhile: nothing to acknowledge
        }
        b.commit = true;
        if (b.lastSeq == b.persistedSeq) {
            cleanup(b);
            send(reply, finalAck(b));
            return true;
        }
        return false;
    }

    private byte[] finalAck(Batch b) {
        return stream.pubAck(b.streamSeq, ",\"batch\":" + GoQuote.quote(b.id) + ",\"count\":"
                + Long.toUnsignedString(b.lastSeq));
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    private Duration timeout() {
        Duration t = stream.jetStream().options().limits().batchTimeout();
        return t.isPositive() ? t : AtomicBatches.DEFAULT_TIMEOUT;
    }

    /** Restarts the inactivity timer; false when it already fired (the batch is as good as gone). */
    // nats-server: jetstream_batching.go fastBatch.resetCleanupTimer
    private boolean resetTimer(Batch b) {
        if (b.commit) {
            return true;
        }
        if (b.timer == null || !b.timer.cancel(false)) {
            return false;
        }
        b.timer = schedule(b);
        return true;
    }

    private ScheduledFuture<?> schedule(Batch b) {
        return stream.jetStream().host().timers().schedule(() -> Thread.ofVirtual().start(() -> {
            stream.lock().lock();
            try {
                cleanup(b);
            } finally {
                stream.lock().unlock();
            }
        }), timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private int maxInflightPerStream() {
        int v = stream.jetStream().options().limits().batchMaxInflightPerStream();
        return v > 0 ? v : DEFAULT_MAX_INFLIGHT_PER_STREAM;
    }

    private int maxInflightTotal() {
        int v = stream.jetStream().options().limits().batchMaxInflightTotal();
        return v > 0 ? v : DEFAULT_MAX_INFLIGHT_TOTAL;
    }

    // ---- messages ----------------------------------------------------------------------------------------------

    /** The error PubAck, when acknowledgements are on ({@code respondError}). */
    private void fail(String reply, ApiError error) {
        stream.respond(reply, stream.errorAck(error));
    }

    /** Flow messages and the final PubAck go out even on a {@code no_ack} stream, as in nats-server. */
    private void send(String reply, byte[] body) {
        stream.send(reply, body);
    }

    /** {@code {"type":"ack","seq":N,"msgs":M}} ({@code BatchFlowAck}). */
    static byte[] flowAck(long seq, int msgs) {
        return ("{\"type\":\"ack\",\"seq\":" + Long.toUnsignedString(seq) + ",\"msgs\":" + msgs + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"type":"gap","last_seq":A,"seq":B}} ({@code BatchFlowGap}). */
    static byte[] gap(long expected, long current) {
        return ("{\"type\":\"gap\",\"last_seq\":" + Long.toUnsignedString(expected) + ",\"seq\":"
                + Long.toUnsignedString(current) + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"type":"err","seq":N,"error":{...}}} ({@code BatchFlowErr}). */
    static byte[] flowError(long seq, ApiError error) {
        return ("{\"type\":\"err\",\"seq\":" + Long.toUnsignedString(seq) + ",\"error\":" + ApiJson.writeString(error)
                + "}").getBytes(StandardCharsets.UTF_8);
    }
}
