package io.jnatsd.server.jetstream;

import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiResponder;
import io.jnatsd.server.jetstream.api.JsApiError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Atomic batch publish ({@code allow_atomic}): messages carrying {@code Nats-Batch-Id} and
 * {@code Nats-Batch-Sequence} are staged until the one with {@code Nats-Batch-Commit} ({@code 1}: store it too;
 * {@code eob}: do not), then every staged message is checked as one batch (message ids unique, expected sequences
 * only where they can hold, roll-ups not over the batch's own subjects, counters running) and stored together while
 * readers are kept out, or none is ({@code server/stream.go processJetStreamAtomicBatchMsg},
 * {@code server/jetstream_batching.go}). Batches are abandoned on a gap, on {@code batch.timeout} of inactivity
 * (10 s), when larger than {@code batch.max_msgs} (1000), and with an advisory saying why.
 * <p>
 * Used by the stream's writer thread (under the stream's lock); the inactivity timers run on the host's timers and
 * take the same lock. Thread-safe.
 */
// nats-server: stream.go processJetStreamAtomicBatchMsg; jetstream_batching.go atomicBatch
final class AtomicBatches {

    /** Default largest batch ({@code streamMaxAtomicBatchSize}). */
    static final int DEFAULT_MAX_SIZE = 1000;
    /** Default batches in flight per stream. */
    static final int DEFAULT_MAX_INFLIGHT_PER_STREAM = 50;
    /** Default batches in flight per server. */
    static final int DEFAULT_MAX_INFLIGHT_TOTAL = 1000;
    /** Default inactivity timeout. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger GLOBAL_INFLIGHT = new AtomicInteger();

    private final Stream stream;
    private final Map<String, Batch> batches = new HashMap<>();   // guarded by the stream's lock

    /** One batch being staged. */
    private static final class Batch {
        final List<IngestQueue.Message> staged = new ArrayList<>();
        long lastSeq;
        ScheduledFuture<?> timer;
        boolean expired;
    }

    AtomicBatches(Stream stream) {
        this.stream = stream;
    }

    /** Drops every batch (the stream stops, or atomic publish was turned off). Caller holds the stream's lock. */
    void clear() {
        for (Batch b : batches.values()) {
            release(b);
        }
        batches.clear();
    }

    private void release(Batch b) {
        if (b.timer != null) {
            b.timer.cancel(false);
            b.timer = null;
            GLOBAL_INFLIGHT.decrementAndGet();
        }
    }

    private void cleanup(String id, Batch b) {
        release(b);
        batches.remove(id, b);
    }

    private void abandon(String id, Batch b, String reason) {
        cleanup(id, b);
        stream.jetStream().advisories().batchAbandoned(stream.account().account(), stream.name(), id, reason);
    }

    /** Handles one batch message. Caller holds the stream's lock. */
    // nats-server: stream.go processJetStreamAtomicBatchMsg (standalone)
    void process(String batchId, IngestQueue.Message m) {
        StreamConfig cfg = stream.config();
        String reply = m.reply();
        byte[] hdr = m.header();
        byte[] msg = m.payload() == null ? new byte[0] : m.payload();
        JetStream js = stream.jetStream();
        ApiError refused = stream.batchEntryError(m, false);
        if (refused != null) {
            fail(reply, refused);
            return;
        }
        if (!cfg.allowAtomic()) {
            fail(reply, JsApiError.ATOMIC_PUBLISH_DISABLED.error());
            return;
        }
        if (batchId.length() > 64) {
            fail(reply, JsApiError.ATOMIC_PUBLISH_INVALID_BATCH_ID.error());
            return;
        }
        String seqText = JsHeaders.get(hdr, JsHeaders.BATCH_SEQ);
        if (seqText == null || seqText.isEmpty()) {
            fail(reply, JsApiError.ATOMIC_PUBLISH_MISSING_SEQ.error());
            return;
        }
        long batchSeq = JsHeaders.parseInt64(seqText);
        String commitValue = JsHeaders.get(hdr, JsHeaders.BATCH_COMMIT);
        boolean commit = commitValue != null;
        boolean commitEob = "eob".equals(commitValue);
        boolean commitInvalid = commit && !commitEob && !"1".equals(commitValue);
        int maxSize = js.options().limits().batchMaxMsgs() > 0 ? js.options().limits().batchMaxMsgs()
                : DEFAULT_MAX_SIZE;
        Batch b = batches.get(batchId);
        if (b == null) {
            if (batchSeq != 1) {
                long n = commitEob ? batchSeq - 1 : batchSeq;
                if (batchSeq < 0 || n > maxSize) {
                    fail(reply, JsApiError.ATOMIC_PUBLISH_TOO_LARGE_BATCH.error(maxSize));
                } else {
                    fail(reply, JsApiError.ATOMIC_PUBLISH_INCOMPLETE_BATCH.error());
                }
                return;
            }
            int perStream = js.options().limits().batchMaxInflightPerStream() > 0
                    ? js.options().limits().batchMaxInflightPerStream() : DEFAULT_MAX_INFLIGHT_PER_STREAM;
            int total = js.options().limits().batchMaxInflightTotal() > 0
                    ? js.options().limits().batchMaxInflightTotal() : DEFAULT_MAX_INFLIGHT_TOTAL;
            if (batches.size() + 1 > perStream) {
                fail(reply, JsApiError.ATOMIC_PUBLISH_TOO_MANY_INFLIGHT.error());
                return;
            }
            if (GLOBAL_INFLIGHT.incrementAndGet() > total) {
                GLOBAL_INFLIGHT.decrementAndGet();
                fail(reply, JsApiError.ATOMIC_PUBLISH_TOO_MANY_INFLIGHT.error());
                return;
            }
            b = new Batch();
            arm(batchId, b);
            batches.put(batchId, b);
        }
        if (commitInvalid) {
            cleanup(batchId, b);
            fail(reply, JsApiError.ATOMIC_PUBLISH_INVALID_BATCH_COMMIT.error());
            return;
        }
        if (JsHeaders.get(hdr, JsHeaders.REQUIRED_API_LEVEL) != null
                && !JsHeaders.get(hdr, JsHeaders.REQUIRED_API_LEVEL).isEmpty()) {
            if (ApiResponder.errorOnRequiredApiLevel(hdr)) {
                abandon(batchId, b, "unsupported");
                fail(reply, JsApiError.REQUIRED_API_LEVEL.error());
                return;
            }
            hdr = JsHeaders.remove(hdr, JsHeaders.REQUIRED_API_LEVEL);
        }
        boolean expired = !rearm(batchId, b);
        b.lastSeq++;
        if (b.lastSeq != batchSeq || expired || (batchSeq == 1 && commitEob)) {
            abandon(batchId, b, "incomplete");
            fail(reply, JsApiError.ATOMIC_PUBLISH_INCOMPLETE_BATCH.error());
            return;
        }
        long n = commitEob ? batchSeq - 1 : batchSeq;
        if (n > maxSize) {
            abandon(batchId, b, "large");
            fail(reply, JsApiError.ATOMIC_PUBLISH_TOO_LARGE_BATCH.error(maxSize));
            return;
        }
        if (!commitEob) {
            b.staged.add(new IngestQueue.Message(m.subject(), reply, hdr, msg, false));
        }
        if (!commit) {
            if (reply != null && !reply.isEmpty() && !cfg.noAck()) {
                stream.respond(reply, new byte[0]);
            }
            return;
        }
        if (b.timer != null) {
            b.timer.cancel(false);
        }
        if (b.expired) {
            abandon(batchId, b, "timeout");
            fail(reply, JsApiError.ATOMIC_PUBLISH_INCOMPLETE_BATCH.error());
            return;
        }
        commit(batchId, b, reply, commitEob);
    }

    /** Checks every staged message as one batch, then stores them all, readers kept out. */
    private void commit(String batchId, Batch b, String reply, boolean commitEob) {
        Stream.BatchDiff diff = new Stream.BatchDiff();
        List<Stream.Prepared> checked = new ArrayList<>(b.staged.size());
        int count = b.staged.size();
        stream.isolation().writeLock().lock();
        try {
            for (int i = 0; i < count; i++) {
                IngestQueue.Message sm = b.staged.get(i);
                byte[] h = sm.header();
                if (JsHeaders.has(h, JsHeaders.EXPECTED_LAST_MSG_ID)) {
                    cleanup(batchId, b);
                    fail(reply, JsApiError.ATOMIC_PUBLISH_UNSUPPORTED_HEADER_BATCH.error(
                            JsHeaders.EXPECTED_LAST_MSG_ID));
                    return;
                }
                boolean last = i == count - 1;
                if (last && commitEob) {
                    h = JsHeaders.append(h, JsHeaders.BATCH_COMMIT, "1");
                }
                try {
                    checked.add(stream.prepare(sm.subject(), last ? reply : null, h, sm.payload(), false, diff));
                } catch (Stream.Refused r) {
                    cleanup(batchId, b);
                    fail(reply, r.error);
                    return;
                }
            }
            cleanup(batchId, b);
            String extra = ",\"batch\":" + io.jnatsd.server.jetstream.api.ApiJson.writeString(batchId)
                    + ",\"count\":" + count;
            for (int i = 0; i < checked.size(); i++) {
                Stream.Prepared p = checked.get(i);
                if (stream.apply(p, i == checked.size() - 1 ? extra : null) == 0) {
                    return;
                }
            }
        } finally {
            stream.isolation().writeLock().unlock();
        }
    }

    private void fail(String reply, ApiError error) {
        if (reply != null && !reply.isEmpty()) {
            stream.respond(reply, stream.errorAck(error));
        }
    }

    private Duration timeout() {
        Duration t = stream.jetStream().options().limits().batchTimeout();
        return t.isPositive() ? t : DEFAULT_TIMEOUT;
    }

    private void arm(String id, Batch b) {
        b.timer = schedule(id, b);
    }

    /** Restarts the inactivity timer; false when it already fired. */
    private boolean rearm(String id, Batch b) {
        if (b.expired || b.timer == null) {
            return false;
        }
        b.timer.cancel(false);
        b.timer = schedule(id, b);
        return true;
    }

    private ScheduledFuture<?> schedule(String id, Batch b) {
        return stream.jetStream().host().timers().schedule(() -> Thread.ofVirtual().start(() -> {
            stream.lock().lock();
            try {
                if (batches.get(id) == b) {
                    b.expired = true;
                    abandon(id, b, "timeout");
                }
            } finally {
                stream.lock().unlock();
            }
        }), timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
