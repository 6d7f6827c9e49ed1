package io.jnatsd.server.jetstream.consumer;

import io.jnatsd.common.GoDigits;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.Nuid;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.InternalPublisher;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.jetstream.Advisories;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.StreamConsumer;
import io.jnatsd.server.jetstream.StreamInfo;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.ApiRequests;
import io.jnatsd.server.jetstream.api.ApiResponder;
import io.jnatsd.store.AckPolicy;
import io.jnatsd.store.ConsumerState;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.NatsHeaders;
import io.jnatsd.store.PendingAck;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.SimpleState;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.SubjectFilter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JetStream consumer on one server ({@code server/consumer.go consumer}): its configuration, its delivery and
 * acknowledgement state, and the loop that delivers.
 * <p>
 * Threads: each consumer has one virtual thread (its loop) that does all the work: it takes the acknowledgements,
 * pull requests and flow-control replies that internal subscriptions queue (the subscriptions' handlers run on the
 * publishers' event loops and only queue), applies them, runs the timers (ack wait and back-off redeliveries, pull
 * request expiry and heartbeats, idle heartbeats, pin and pause deadlines, inactivity), loads messages from the
 * stream's store and sends them through an {@link InternalPublisher} (one flush per receiver per batch), then parks
 * until something is queued, the stream stores a message ({@link #onStored}) or the next deadline. {@link #lock}
 * guards the state; API workers take it briefly (info, update, pause, reset). The loop never calls into the stream
 * while holding the lock (interest and work-queue acknowledgements are handed to the stream after it is released), so
 * stream callbacks (which only queue and signal) can never deadlock with it.
 */
// nats-server: consumer.go (consumer, loopAndGatherMsgs, getNextMsg, deliverMsg, processAck*, processNak,
// processTerm, checkPending, processNextMsgRequest, nextWaiting, processWaiting, sendIdleHeartbeat, flow control)
public final class Consumer implements StreamConsumer {

    private static final NatsLogger LOG = NatsLogger.get(Consumer.class);
    /** Flow control window ({@code JsFlowControlMaxPending}): 32 MiB. */
    static final int FLOW_CONTROL_MAX_PENDING = 32 * 1024 * 1024;
    /** Messages delivered per loop iteration before events are looked at again. */
    private static final int DELIVERY_BATCH = 256;
    /** How often an inactive push consumer looks for interest in its deliver subject. */
    private static final long INTEREST_POLL_NANOS = 50_000_000L;
    private static final long IDLE_PARK_NANOS = 1_000_000_000L;
    private static final long ACK_WAIT_DELAY_NANOS = 1_000_000L;
    static final String TERM_UNACKED_REASON = "Unacknowledged message was deleted";
    static final String TERM_LIMITS_REASON = "Message deleted by stream limits";
    private static final String NEXT_PREFIX = "$JS.API.CONSUMER.MSG.NEXT.";
    private static final String RESET_PREFIX = "$JS.API.CONSUMER.RESET.";
    private static final String RESET_RESPONSE = "io.nats.jetstream.api.v1.consumer_reset_response";
    private static final byte[] EMPTY = new byte[0];
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final Stream stream;
    private final JsAccount jsa;
    private final JetStream js;
    private final String streamName;
    private final String name;
    private final long createdNanos;
    private final Connection client;
    private final ConsumerStore store;
    private final String ackPrefix;
    private final byte[] ackPrefixBytes;
    private final byte[] ackReplyBytes;                // loop thread only: the ack reply being delivered
    private final String fcPrefix;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private volatile ConsumerConfig config;
    private volatile SubjectFilter filter;
    private volatile Thread loop;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong npcCounter = new java.util.concurrent.atomic.AtomicLong();

    // ---- state, guarded by lock --------------------------------------------------------------------------------
    private long sseq;                                 // next stream sequence to deliver
    private long dseq = 1;                             // next consumer sequence
    private long adflr;                                // ack floor, consumer sequence
    private long asflr;                                // ack floor, stream sequence
    private final TreeMap<Long, long[]> pending = new TreeMap<>();   // sseq -> {dseq, timestamp}
    private final Map<Long, Long> rdc = new HashMap<>();              // sseq -> redeliveries (deliveries - 1)
    private final LinkedHashSet<Long> rdq = new LinkedHashSet<>();    // redelivery queue, in order
    private long[] skipList;                           // deliver last per subject: the sequences still to deliver
    private int skipIndex;
    private long skipResume;
    private final List<Waiting> waiting = new ArrayList<>();
    private long waitingLastNanos;                     // last pull request or delivery (inactivity of pull)
    private long waitingCheckAtNanos;                  // next expiry, heartbeat or interest check of requests
    private boolean active = true;                     // push: the deliver subject has interest
    private long interestGeneration = -1;
    private long inactiveSinceNanos;                   // push: when interest went away
    private long lastDeliveredNanos;
    private long lastAckNanos;
    private long heartbeatAtNanos;                     // push: next idle heartbeat
    private long pendingCheckAtNanos;                  // next ack-wait check, 0 = none
    private int maxPendingBytes;                       // flow control window
    private int pendingBytes;
    private int fcSize;
    private String fcId = "";
    private long rateNextNanos;
    private long rateBytesPerSecond;
    private boolean replay;
    private long replayUntilSeq;
    private long lastReplayTs;
    private Held held;                                 // a message waiting for its replay or rate-limit time
    private String pinId = "";
    private long pinnedTsNanos;
    private long pinExpiresNanos;
    private boolean pauseAdvisoryDue;                  // send the "resumed" advisory when the pause ends
    private long thresholdNanos;                       // inactivity threshold in force (with jitter), 0 = none
    private boolean deleteForInactivity;
    private final List<Long> streamAcks = new ArrayList<>();
    private InternalPublisher out;                     // loop thread only
    private long loopNanos;                            // loop thread: the clock as read for this iteration's work
    private long deferredDseq;                         // a delivery (ack none) not handed to the store yet, 0 = none
    private long deferredSseq;
    private long deferredTs;
    private final StoredMessage sm = new StoredMessage();
    private final Held loaded = new Held();            // loop thread only: the message being delivered (a view)

    /** Something for the loop to do, queued by subscriptions and the stream. */
    private sealed interface Event {
    }

    private record Ack(String subject, String reply, byte[] payload) implements Event {
    }

    private record Next(String reply, byte[] header, byte[] body) implements Event {
    }

    private record FlowControlReply(String subject, byte[] header) implements Event {
    }

    private record Reset(String reply, byte[] header, byte[] body) implements Event {
    }

    private record Removed(long seq, String subject) implements Event {
    }

    private record Purged(long firstSeq, String subject) implements Event {
    }

    /**
     * A message loaded for delivery: the header block at {@code buffer[0, headerLength)}, the payload right after it.
     * {@link #nextMessage} fills the loop's one {@link #loaded} instance with a view of its {@link StoredMessage}
     * holder, valid until the next load; one kept for later (replay original or rate limit) is {@link #detached}.
     */
    private static final class Held {
        String subject;
        byte[] buffer;
        int headerLength;
        int payloadLength;
        long seq;
        long ts;
        long dc;

        Held set(String subject, byte[] buffer, int headerLength, int payloadLength, long seq, long ts, long dc) {
            this.subject = subject;
            this.buffer = buffer;
            this.headerLength = headerLength;
            this.payloadLength = payloadLength;
            this.seq = seq;
            this.ts = ts;
            this.dc = dc;
            return this;
        }

        String subject() {
            return subject;
        }

        byte[] buffer() {
            return buffer;
        }

        int headerLength() {
            return headerLength;
        }

        int payloadLength() {
            return payloadLength;
        }

        long seq() {
            return seq;
        }

        long ts() {
            return ts;
        }

        long dc() {
            return dc;
        }

        /** The header block, copied, or null when there is none. */
        byte[] headerCopy() {
            return headerLength == 0 ? null : Arrays.copyOf(buffer, headerLength);
        }

        /** This message in a new instance with bytes of its own. */
        Held detached() {
            return new Held().set(subject, Arrays.copyOf(buffer, headerLength + payloadLength), headerLength,
                    payloadLength, seq, ts, dc);
        }
    }

    /** A waiting pull request ({@code waitingRequest}). */
    private static final class Waiting {
        final String reply;
        int n;
        int d;
        int b;
        final long expiresNanos;
        final long receivedNanos;
        final long heartbeatNanos;
        long heartbeatAtNanos;
        final boolean noWait;
        final String group;
        final long minPending;
        final long minAckPending;
        String id;
        final int priority;
        final boolean hasPriorityGroup;

        Waiting(String reply, ApiRequests.NextRequest r, long now, boolean hasGroup) {
            this.reply = reply;
            this.n = r.batch();
            this.b = r.maxBytes();
            this.expiresNanos = r.expiresNanos() > 0 ? now + r.expiresNanos() : 0;
            this.receivedNanos = now;
            this.heartbeatNanos = r.heartbeatNanos();
            this.heartbeatAtNanos = r.heartbeatNanos() > 0 ? now + r.heartbeatNanos() : 0;
            this.noWait = r.noWait();
            this.group = r.group() == null ? "" : r.group();
            this.minPending = r.minPending();
            this.minAckPending = r.minAckPending();
            this.id = r.id() == null ? "" : r.id();
            this.priority = r.priority();
            this.hasPriorityGroup = hasGroup;
        }

        int priorityOrder() {
            return hasPriorityGroup ? priority : Integer.MAX_VALUE;
        }
    }

    Consumer(Stream stream, String name, ConsumerConfig config, long createdNanos, ConsumerStore store) {
        this.stream = stream;
        this.jsa = stream.account();
        this.js = jsa.jetStream();
        this.streamName = stream.name();
        this.name = name;
        this.config = config;
        this.createdNanos = createdNanos;
        this.store = store;
        this.client = js.host().createInternalClient(jsa.account());
        this.ackPrefix = "$JS.ACK." + streamName + "." + name + ".";
        this.ackPrefixBytes = ackPrefix.getBytes(StandardCharsets.UTF_8);
        this.ackReplyBytes = new byte[ackPrefixBytes.length + 5 * 20 + 4];
        this.fcPrefix = "$JS.FC." + streamName + "." + name + ".";
        applyConfig(config);
    }

    private void applyConfig(ConsumerConfig c) {
        List<String> f = c.filters();
        filter = f.isEmpty() ? SubjectFilter.ALL : SubjectFilter.of(f);
        rateBytesPerSecond = c.rateLimitBps() / 8;
        if (c.flowControl() && maxPendingBytes == 0) {
            maxPendingBytes = Math.max(1, FLOW_CONTROL_MAX_PENDING / 16);
        }
        // nats-server: consumer.go updateInactiveThreshold (up to a second of jitter for ephemerals and pulls)
        long t = c.inactiveThresholdNanos();
        long jitter = 100_000_000L + ThreadLocalRandom.current().nextLong(900) * 1_000_000L;
        if (!c.isDurable() && t <= 0) {
            t = ConsumerConfigChecks.DELETE_WAIT_DEFAULT_NANOS + jitter;
        } else if (t > 0 && c.isPull()) {
            t += jitter;
        }
        thresholdNanos = Math.max(t, 0);
    }

    // ---- life cycle --------------------------------------------------------------------------------------------

    /** Picks the starting sequence (or restores the stored state), subscribes and starts the loop. */
    // nats-server: consumer.go addConsumerWithAssignmentAndMode (from the store on), setLeader
    void start(boolean restored) {
        lock.lock();
        try {
            if (restored && store != null && store.hasState()) {
                applyStoredState(store.state());
            } else {
                selectStartingSeqNo();
            }
            long now = now();
            waitingLastNanos = now;
            inactiveSinceNanos = now;
            heartbeatAtNanos = config.heartbeatNanos() > 0 ? now + config.heartbeatNanos() : 0;
            replay = config.replayPolicy() == ReplayPolicy.ORIGINAL;
            replayUntilSeq = stream.store().fastState().lastSeq();
            if (config.isPush()) {
                active = hasDeliveryInterest();
                interestGeneration = jsa.account().sublist().generation();
            }
            if (!pending.isEmpty()) {
                pendingCheckAtNanos = now + ackWaitFor(0);
            }
            if (isPaused(now)) {
                pauseAdvisoryDue = true;
            }
            npcCounter.set(computeNumPending());
        } finally {
            lock.unlock();
        }
        subscriptions.add(client.subscribeInternal(ackPrefix + ">", null, this::onAck));
        subscriptions.add(client.subscribeInternal(NEXT_PREFIX + streamName + "." + name, null, this::onNext));
        subscriptions.add(client.subscribeInternal(fcPrefix + "*", null, this::onFlowControlReply));
        subscriptions.add(client.subscribeInternal(RESET_PREFIX + streamName + "." + name, null,
                (sub, pub, subject, reply, header, payload) -> {
                    if (reply != null && !reply.isEmpty()) {
                        events.add(new Reset(reply, header, payload));
                        signal();
                    }
                }));
        loop = Thread.ofVirtual().name("jnatsd-js-consumer-" + jsa.account().name() + "-" + streamName + "-" + name)
                .start(this::run);
    }

    private void applyStoredState(ConsumerState s) {
        sseq = s.delivered.stream() + 1;
        dseq = s.delivered.consumer() + 1;
        adflr = s.ackFloor.consumer();
        asflr = s.ackFloor.stream();
        for (Map.Entry<Long, PendingAck> e : s.pending.entrySet()) {
            pending.put(e.getKey(), new long[] {e.getValue().consumerSeq(), e.getValue().timestampNanos()});
        }
        rdc.putAll(s.redelivered);
        long last = stream.store().fastState().lastSeq();
        if (sseq - 1 > last) {
            LOG.warn("JetStream consumer '" + jsa.account().name() + " > " + streamName + " > " + name
                    + "' delivered sequence " + (sseq - 1) + " past last stream sequence of " + last);
            reconcileWithStream(last);
        }
    }

    // nats-server: consumer.go reconcileStateWithStream
    private void reconcileWithStream(long last) {
        if (asflr > last) {
            asflr = last;
            adflr = Math.max(0, dseq - 1);
            pending.clear();
            rdc.clear();
        }
        pending.keySet().removeIf(seq -> seq > last);
        rdc.keySet().removeIf(seq -> seq > last);
        if (pending.isEmpty()) {
            sseq = asflr + 1;
            dseq = adflr + 1;
        } else {
            long maxS = pending.lastKey();
            long maxD = 0;
            for (long[] p : pending.values()) {
                maxD = Math.max(maxD, p[0]);
            }
            sseq = maxS + 1;
            dseq = maxD + 1;
        }
        ConsumerState st = snapshotState();
        try {
            store.forceUpdate(st);
        } catch (StoreException e) {
            LOG.error("JetStream consumer '" + jsa.account().name() + " > " + streamName + " > " + name
                    + "' errored while updating state: " + e.getMessage());
        }
    }

    private ConsumerState snapshotState() {
        ConsumerState st = new ConsumerState();
        st.delivered = new io.jnatsd.store.SequencePair(dseq - 1, sseq - 1);
        st.ackFloor = new io.jnatsd.store.SequencePair(adflr, asflr);
        for (Map.Entry<Long, long[]> e : pending.entrySet()) {
            st.pending.put(e.getKey(), new PendingAck(e.getValue()[0], e.getValue()[1]));
        }
        st.redelivered.putAll(rdc);
        return st;
    }

    // nats-server: consumer.go selectStartingSeqNo
    private void selectStartingSeqNo() {
        StreamStore ss = stream.store();
        StreamState state = ss.fastState();
        ConsumerConfig c = config;
        if (c.optStartSeq() == 0) {
            switch (c.deliverPolicy()) {
                case ALL -> sseq = state.firstSeq();
                case LAST -> {
                    if (filter.isAll()) {
                        sseq = state.lastSeq();
                    } else {
                        for (String f : filter.filters()) {
                            SimpleState fs = ss.filteredState(1, f);
                            if (fs.last() > sseq) {
                                sseq = fs.last();
                            }
                        }
                    }
                }
                case LAST_PER_SUBJECT -> {
                    if (stream.config().maxMsgsPerSubject() == 1) {
                        sseq = state.firstSeq();
                    } else {
                        long[] seqs = ss.multiLastSequences(filter.filters(), 0, 0);
                        skipResume = state.lastSeq();
                        if (seqs.length == 0) {
                            sseq = state.lastSeq();
                        } else {
                            sseq = seqs[0];
                            skipList = seqs;
                            skipIndex = 0;
                        }
                    }
                }
                case BY_START_TIME -> {
                    Instant t = io.jnatsd.server.jetstream.api.GoTimeParse.parse(c.optStartTime());
                    sseq = ss.sequenceFromTime(t.getEpochSecond() * 1_000_000_000L + t.getNano());
                    if (!filter.isAll()) {
                        long nseq = state.lastSeq();
                        for (String f : filter.filters()) {
                            SimpleState fs = ss.filteredState(state.firstSeq(), f);
                            if (fs.first() >= sseq && fs.first() < nseq) {
                                nseq = fs.first();
                            }
                        }
                        if (nseq > sseq && nseq < state.lastSeq()) {
                            sseq = nseq;
                        }
                    }
                }
                default -> sseq = state.lastSeq() + 1;
            }
        } else {
            sseq = c.optStartSeq();
        }
        if (state.firstSeq() == 0 && c.optStartSeq() == 0) {
            sseq = 1;
        } else if (sseq > state.lastSeq() && c.optStartSeq() == 0) {
            sseq = state.lastSeq() + 1;
        } else if (sseq < state.firstSeq()) {
            sseq = state.firstSeq();
        }
        dseq = 1;
        adflr = 0;
        asflr = sseq - 1;
        if (store != null && sseq > 0) {
            store.setStarting(sseq - 1);
        }
    }

    /**
     * Stops the consumer: unsubscribes, stops the loop and, with {@code deleteState}, removes its stored state
     * ({@code streamDeleted}: the stream's store removes everything itself).
     */
    // nats-server: consumer.go stopWithFlags
    void stop(boolean deleteState, boolean streamDeleted) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        for (Subscription s : subscriptions) {
            client.unsubscribeInternal(s);
        }
        signal();
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (store != null) {
            if (streamDeleted) {
                store.streamDelete();
            } else if (deleteState) {
                store.delete();
            } else {
                store.stop();
            }
        }
    }

    // ---- accessors ---------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    /** The configuration in force. */
    public ConsumerConfig config() {
        return config;
    }

    /** The stream. */
    public Stream stream() {
        return stream;
    }

    /** When it was created, nanoseconds since the epoch. */
    public long createdNanos() {
        return createdNanos;
    }

    /** Whether it was stopped or deleted. */
    public boolean isClosed() {
        return closed;
    }

    private long now() {
        return js.storeEnvironment().nowNanos();
    }

    // ---- stream seam -------------------------------------------------------------------------------------------

    @Override
    public boolean wants(String subject) {
        SubjectFilter f = filter;
        return f.isAll() || f.matches(subject);
    }

    @Override
    public void onStored(long seq, String subject) {
        if (wants(subject)) {
            npcCounter.incrementAndGet();
            signal();
        }
    }

    @Override
    public void onRemoved(long seq, String subject) {
        events.add(new Removed(seq, subject));
        signal();
    }

    @Override
    public void onPurged(long firstSeq, long lastSeq, String subject) {
        events.add(new Purged(firstSeq, subject == null ? "" : subject));
        signal();
    }

    @Override
    public void onStreamStopped(boolean deleted) {
        Consumers.streamStopped(this, deleted);
    }

    /**
     * Whether this consumer still needs the message at {@code seq} on {@code subject} (interest and work-queue
     * retention keep a message while any consumer needs it).
     */
    // nats-server: consumer.go needAck
    @Override
    public boolean needAck(long seq, String subject) {
        if (subject != null && !wants(subject)) {
            return false;
        }
        lock.lock();
        try {
            boolean need = switch (config.ackPolicy()) {
                case EXPLICIT -> seq > asflr && (seq >= sseq || pending.containsKey(seq));
                default -> seq > asflr;
            };
            return need || rdc.containsKey(seq);
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        if (!signalled.getAndSet(true)) {
            Thread t = loop;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    // ---- subscriptions (publishers' threads: queue only) -------------------------------------------------------

    private void onAck(Subscription sub, Connection publisher, String subject, String reply, byte[] header,
                       byte[] payload) {
        events.add(new Ack(subject, reply, payload));
        signal();
    }

    private void onNext(Subscription sub, Connection publisher, String subject, String reply, byte[] header,
                        byte[] payload) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        events.add(new Next(reply, header, payload));
        signal();
    }

    private void onFlowControlReply(Subscription sub, Connection publisher, String subject, String reply,
                                    byte[] header, byte[] payload) {
        events.add(new FlowControlReply(subject, header));
        signal();
    }

    // ---- the loop ----------------------------------------------------------------------------------------------

    private void run() {
        out = InternalPublisher.pooled(client);
        try {
            runLoop();
        } finally {
            out.close();
        }
    }

    private void runLoop() {
        while (true) {
            signalled.set(false);
            long waitNanos;
            boolean delete;
            List<Long> acks = null;
            lock.lock();
            try {
                if (closed) {
                    break;
                }
                try {
                    loopNanos = now();
                    processEvents();
                    long now = now();
                    loopNanos = now;
                    runTimers(now);
                    boolean more = deliver(now);
                    waitNanos = more ? 0 : nextWakeup(now());
                } catch (RuntimeException e) {
                    LOG.error("JetStream consumer '" + jsa.account().name() + " > " + streamName + " > " + name
                            + "' failed: " + e, e);
                    waitNanos = IDLE_PARK_NANOS;
                } finally {
                    storeDeferredDelivered();
                }
                if (!streamAcks.isEmpty()) {
                    acks = new ArrayList<>(streamAcks);
                    streamAcks.clear();
                }
                delete = deleteForInactivity;
            } finally {
                lock.unlock();
            }
            out.flush();
            if (acks != null) {
                for (long seq : acks) {
                    stream.ackMessage(this, seq);
                }
            }
            if (delete) {
                Consumers.deleteInactive(this);
                break;
            }
            if (waitNanos > 0 && !signalled.get()) {
                LockSupport.parkNanos(waitNanos);
            }
        }
    }

    private void processEvents() {
        Event e;
        int n = 0;
        while (n++ < 4096 && (e = events.poll()) != null) {
            switch (e) {
                case Ack a -> processAck(a.subject(), a.reply(), a.payload());
                case Next r -> processNextRequest(r.reply(), r.header(), r.body(), true);
                case FlowControlReply f -> processFlowControlReply(f.subject(), f.header());
                case Reset r -> processReset(r.reply(), r.header(), r.body());
                case Removed r -> processRemoved(r.seq(), r.subject());
                case Purged p -> processPurged(p.firstSeq(), p.subject());
            }
        }
        if (n > 4096) {
            signalled.set(true);
        }
    }

    private long nextWakeup(long now) {
        long at = Long.MAX_VALUE;
        at = min(at, pendingCheckAtNanos);
        at = min(at, heartbeatAtNanos);
        if (!waiting.isEmpty()) {
            at = min(at, waitingCheckAtNanos);
        }
        at = min(at, pinExpiresNanos);
        String pu = config.pauseUntil();
        if (pu != null) {
            long p = pauseNanos(pu);
            if (p > now) {
                at = min(at, p);
            }
        }
        if (held != null) {
            at = min(at, rateNextNanos);
        }
        if (thresholdNanos > 0) {
            at = min(at, (config.isPush() ? inactiveSinceNanos : waitingLastNanos) + thresholdNanos);
        }
        long wait = at == Long.MAX_VALUE ? IDLE_PARK_NANOS : Math.max(at - now, 1);
        if (config.isPush() && !active) {
            wait = Math.min(wait, INTEREST_POLL_NANOS);
        }
        return Math.min(wait, IDLE_PARK_NANOS);
    }

    private static long min(long current, long candidate) {
        return candidate > 0 && candidate < current ? candidate : current;
    }

    // ---- timers ------------------------------------------------------------------------------------------------

    private void runTimers(long now) {
        ConsumerConfig c = config;
        if (c.isPush()) {
            refreshInterest(now);
        }
        if (pendingCheckAtNanos > 0 && now >= pendingCheckAtNanos) {
            checkPending(now);
        }
        if (c.isPull() && !waiting.isEmpty() && now >= waitingCheckAtNanos) {
            processWaiting(false, now);
        }
        if (heartbeatAtNanos > 0 && now >= heartbeatAtNanos) {
            if (active) {
                sendIdleHeartbeat(c.deliverSubject());
                if (c.ackPolicy() == AckPolicy.FLOW_CONTROL && !pending.isEmpty() && fcId.isEmpty()) {
                    sendFlowControl();
                }
            }
            heartbeatAtNanos = now + c.heartbeatNanos();
        }
        if (pinExpiresNanos > 0 && now >= pinExpiresNanos && !pinId.isEmpty()) {
            String group = c.priorityGroups() == null || c.priorityGroups().isEmpty() ? ""
                    : c.priorityGroups().get(0);
            unassignPin();
            unpinnedAdvisory(group, "timeout");
        }
        if (pauseAdvisoryDue && !isPaused(now)) {
            pauseAdvisoryDue = false;
            pauseAdvisory(c);
        }
        if (thresholdNanos > 0 && !deleteForInactivity) {
            if (c.isPush()) {
                if (!active && now - inactiveSinceNanos >= thresholdNanos) {
                    deleteForInactivity = true;
                }
            } else if (now - waitingLastNanos >= thresholdNanos) {
                processWaiting(true, now);
                if (waiting.isEmpty()) {
                    deleteForInactivity = true;
                } else {
                    waitingLastNanos = now;
                }
            }
        }
    }

    private void refreshInterest(long now) {
        long gen = jsa.account().sublist().generation();
        if (gen == interestGeneration) {
            return;
        }
        interestGeneration = gen;
        boolean interest = hasDeliveryInterest();
        if (interest != active) {
            active = interest;
            if (!interest) {
                inactiveSinceNanos = now;
            }
        }
    }

    private boolean hasDeliveryInterest() {
        byte[] d = config.deliverSubject().getBytes(StandardCharsets.UTF_8);
        return jsa.account().sublist().hasInterest(d, 0, d.length);
    }

    /** Whether the push deliver subject has interest ({@code push_bound}). */
    public boolean isActive() {
        lock.lock();
        try {
            return config.isPush() && active;
        } finally {
            lock.unlock();
        }
    }

    private boolean isPaused(long now) {
        String pu = config.pauseUntil();
        return pu != null && pauseNanos(pu) > now;
    }

    private static long pauseNanos(String time) {
        Instant t = io.jnatsd.server.jetstream.api.GoTimeParse.parse(time);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private long ackWaitFor(long backoff) {
        return (backoff > 0 ? backoff : config.ackWaitNanos()) + ACK_WAIT_DELAY_NANOS;
    }

    // nats-server: consumer.go checkPending
    private void checkPending(long now) {
        ConsumerConfig c = config;
        long ttl = c.ackWaitNanos();
        if (ttl == 0 || pending.isEmpty()) {
            pendingCheckAtNanos = 0;
            if (pending.isEmpty()) {
                rdq.clear();
            }
            return;
        }
        long fseq = stream.store().fastState().firstSeq();
        List<Long> backoff = c.backoffNanos();
        long next = ackWaitFor(0);
        if (backoff != null && !backoff.isEmpty()) {
            next = backoff.get(backoff.size() - 1);
        }
        List<Long> expired = new ArrayList<>();
        Iterator<Map.Entry<Long, long[]>> it = pending.entrySet().iterator();
        List<Long> maxed = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<Long, long[]> e = it.next();
            long seq = e.getKey();
            long[] p = e.getValue();
            if (seq < fseq || seq <= asflr) {
                it.remove();
                rdc.remove(seq);
                rdq.remove(seq);
                asflr = Math.max(asflr, seq);
                adflr = Math.max(adflr, p[0]);
                continue;
            }
            long elapsed = now - p[1];
            long deadline = ttl;
            if (backoff != null && !backoff.isEmpty()) {
                int dc = (int) Math.max(0, rdc.getOrDefault(seq, 0L));
                int nbi = dc + 1;
                if (dc + 1 >= backoff.size()) {
                    dc = backoff.size() - 1;
                    nbi = dc;
                }
                deadline = backoff.get(dc);
                next = Math.min(next, backoff.get(nbi));
            }
            if (elapsed >= deadline) {
                if (!rdq.contains(seq)) {
                    if (reachedMaxDeliveries(seq)) {
                        maxed.add(seq);
                    } else {
                        expired.add(seq);
                    }
                }
            } else if (deadline - elapsed < next) {
                next = deadline - elapsed;
            }
        }
        for (long seq : maxed) {
            dropMaxDelivered(seq);
        }
        if (!expired.isEmpty()) {
            long off = now - pending.get(expired.get(0))[1];
            for (long seq : expired) {
                rdq.add(seq);
                long[] p = pending.get(seq);
                if (p != null) {
                    p[1] += off;
                }
            }
        }
        if (!pending.isEmpty()) {
            pendingCheckAtNanos = now + Math.max(next, 1_000_000L);
        } else {
            pendingCheckAtNanos = 0;
            rdq.clear();
            adflr = dseq - 1;
            asflr = sseq - 1;
        }
    }

    /** Whether {@code seq} has been delivered max_deliver times ({@code hasMaxDeliveries}'s test). */
    private boolean reachedMaxDeliveries(long seq) {
        int maxdc = Math.max(config.maxDeliver(), 0);
        return maxdc > 0 && deliveryCount(seq) >= maxdc;
    }

    // nats-server: consumer.go hasMaxDeliveries (the removal)
    private void dropMaxDelivered(long seq) {
        long dc = deliveryCount(seq);
        if (dc == Math.max(config.maxDeliver(), 0)) {
            maxDeliveriesAdvisory(seq, dc);
        }
        long[] p = pending.remove(seq);
        if (p != null) {
            storeDelivered(p[0], seq, dc + 1, p[1]);
            moveAckFloor(p[0], seq);
        }
        rdc.put(seq, dc);
    }

    private long deliveryCount(long seq) {
        Long dc = rdc.get(seq);
        return dc == null || dc < 1 ? 1 : dc;
    }

    // ---- delivery ----------------------------------------------------------------------------------------------

    /** Delivers what can be delivered now. Returns whether it stopped with more to do. */
    // nats-server: consumer.go loopAndGatherMsgs
    private boolean deliver(long now) {
        ConsumerConfig c = config;
        if (isPaused(now)) {
            return false;
        }
        for (int i = 0; i < DELIVERY_BATCH; i++) {
            if (c.isPush()) {
                if (!active || (maxPendingBytes > 0 && c.flowControl() && pendingBytes > maxPendingBytes)) {
                    return false;
                }
            } else if (waiting.isEmpty()) {
                return false;
            }
            Held m = held;
            if (m != null) {
                if (rateNextNanos > now()) {
                    return false;
                }
                held = null;
            } else {
                m = nextMessage();
                if (m == null) {
                    if (c.isPull()) {
                        endOfStream();
                    }
                    return false;
                }
                if (m.dc() == 1) {
                    npcCounter.decrementAndGet();
                }
                long delay = 0;
                if (replay) {
                    if (lastReplayTs > 0) {
                        delay = m.ts() - lastReplayTs;
                    }
                    lastReplayTs = m.ts();
                    if (sseq > replayUntilSeq) {
                        replay = false;
                    }
                }
                if (delay > 1_000_000L) {
                    held = m.detached();
                    rateNextNanos = now() + delay;
                    return false;
                }
            }
            if (!dispatch(c, m)) {
                return false;
            }
        }
        return true;
    }

    /** The next message to deliver (redeliveries first), or null. */
    // nats-server: consumer.go getNextMsg
    private Held nextMessage() {
        StreamStore ss = stream.store();
        while (!rdq.isEmpty()) {
            Iterator<Long> it = rdq.iterator();
            long seq = it.next();
            it.remove();
            long dc = rdc.getOrDefault(seq, 0L) + 1;
            rdc.put(seq, dc);
            dc++;
            int maxdc = Math.max(config.maxDeliver(), 0);
            if (maxdc > 0 && dc > maxdc) {
                if (dc == maxdc + 1) {
                    maxDeliveriesAdvisory(seq, dc - 1);
                }
                long[] p = pending.remove(seq);
                if (p != null) {
                    storeDelivered(p[0], seq, dc, p[1]);
                    moveAckFloor(p[0], seq);
                }
                continue;
            }
            StoredMessage m = ss.loadMessage(seq, sm);
            if (m == null) {
                rdc.put(seq, rdc.get(seq) - 1);
                long[] p = pending.get(seq);
                if (p != null) {
                    processTerm(seq, p[0], dc - 1, TERM_UNACKED_REASON, null);
                }
                continue;
            }
            return held(m, dc);
        }
        int maxp = config.maxAckPending();
        if (maxp > 0 && pending.size() >= maxp) {
            return null;
        }
        if (skipList != null && skipIndex < skipList.length) {
            long seq = skipList[skipIndex++];
            if (skipIndex >= skipList.length) {
                sseq = skipResume;
                skipList = null;
            } else {
                sseq = seq;
            }
            StoredMessage m = ss.loadMessage(seq, sm);
            sseq++;
            return m == null ? null : held(m, 1);
        }
        StoredMessage m = ss.loadNextMessage(filter, sseq, sm);
        if (m == null) {
            long last = ss.lastSequence();
            if (sseq <= last) {
                sseq = last + 1;
            }
            npcCounter.set(0);
            return null;
        }
        if (m.sequence() >= sseq) {
            sseq = m.sequence() + 1;
        }
        return held(m, 1);
    }

    /** A view of the holder's message (no copy: delivered before the holder is filled again). */
    private Held held(StoredMessage m, long dc) {
        return loaded.set(m.subject(), m.buffer(), m.headerLength(), m.payloadLength(), m.sequence(),
                m.timestampNanos(), dc);
    }

    /** Sends {@code m} to the push subject or a waiting request; false when nobody could take it. */
    private boolean dispatch(ConsumerConfig c, Held m) {
        // header at hdr[0, hdrLength) (null: none), payload at body[bodyOffset, bodyOffset + bodyLength)
        byte[] hdr = m.headerLength() == 0 ? null : m.buffer();
        int hdrLength = m.headerLength();
        byte[] body = m.buffer();
        int bodyOffset = m.headerLength();
        int bodyLength = m.payloadLength();
        if (c.headersOnly()) {
            hdr = headersOnly(m.headerCopy(), bodyLength);
            hdrLength = hdr.length;
            body = EMPTY;
            bodyOffset = 0;
            bodyLength = 0;
        }
        int ackReplyLength = ackReply(m.seq(), dseq, m.dc(), m.ts(), Math.max(npcCounter.get(), 0));
        int sz = m.subject().length() + ackReplyLength + hdrLength + bodyLength;
        String to;
        int wrn = 0;
        int wrb = 0;
        if (c.isPush()) {
            to = c.deliverSubject();
        } else {
            Waiting w = nextWaiting(sz);
            if (w == null) {
                putBack(m);
                return false;
            }
            to = w.reply;
            wrn = w.n;
            wrb = w.b;
            if (c.priorityPolicyOrNone() == PriorityPolicy.PINNED_CLIENT) {
                hdr = io.jnatsd.server.jetstream.JsHeaders.append(hdr == null ? null
                        : Arrays.copyOf(hdr, hdrLength), "Nats-Pin-Id", pinId);
                hdrLength = hdr.length;
                sz = m.subject().length() + ackReplyLength + hdrLength + bodyLength;
            }
            if (w.n > 0 && w.heartbeatNanos > 0) {
                w.heartbeatAtNanos = loopNanos + w.heartbeatNanos;
            }
        }
        if (rateBytesPerSecond > 0) {
            long now = now();
            if (rateNextNanos > now) {
                held = m == loaded ? m.detached() : m;
                if (c.isPull()) {
                    putBackWaiting(to);
                }
                return false;
            }
            rateNextNanos = Math.max(rateNextNanos, now) + sz * 1_000_000_000L / rateBytesPerSecond;
        }
        deliverMsg(c, to, ackReplyLength, m, hdr, hdrLength, body, bodyOffset, bodyLength, sz);
        if (c.isPull() && wrn <= 0 && wrb > 0) {
            status(to, "409 Batch Completed", wrn, wrb);
        }
        if (c.heartbeatNanos() > 0) {
            heartbeatAtNanos = loopNanos + c.heartbeatNanos();
        }
        return true;
    }

    private void putBackWaiting(String reply) {
        for (Waiting w : waiting) {
            if (w.reply.equals(reply)) {
                w.n++;
                w.d--;
                return;
            }
        }
    }

    private void putBack(Held m) {
        if (m.dc() == 1 && m.seq() == sseq - 1) {
            sseq--;
            npcCounter.incrementAndGet();
        } else if (!rdq.contains(m.seq())) {
            Long dc = rdc.get(m.seq());
            if (dc != null) {
                rdc.put(m.seq(), dc - 1);
            }
            rdq.add(m.seq());
        }
    }

    // nats-server: consumer.go deliverMsg
    private void deliverMsg(ConsumerConfig c, String to, int ackReplyLength, Held m, byte[] hdr, int hdrLength,
                            byte[] body, int bodyOffset, int bodyLength, int sz) {
        long d = dseq++;
        if (maxPendingBytes > 0 && c.flowControl()) {
            pendingBytes += sz;
        }
        long now = loopNanos;
        if (c.ackPolicy() == AckPolicy.NONE && m.dc() == 1) {
            deferDelivered(d, m.seq(), m.ts());
        } else {
            storeDeferredDelivered();
            storeDelivered(d, m.seq(), m.dc(), m.ts());
        }
        lastDeliveredNanos = now;
        if (c.ackPolicy() == AckPolicy.NONE) {
            adflr = d;
            asflr = m.seq();
        } else {
            trackPending(m.seq(), d, now);
        }
        boolean delivered = out.deliver(to, m.subject(), ackReplyBytes, ackReplyLength, hdr, 0, hdrLength, body,
                bodyOffset, bodyLength);
        if (!delivered) {
            didNotDeliver(m.seq(), to);
        }
        if (maxPendingBytes > 0 && c.flowControl() && needFlowControl(sz)) {
            sendFlowControl();
        }
        if (c.isPull()) {
            waitingLastNanos = now;
        }
        if (c.ackPolicy() == AckPolicy.NONE && stream.config().retentionOrDefault() != RetentionPolicy.LIMITS) {
            streamAcks.add(m.seq());
        }
    }

    // nats-server: consumer.go didNotDeliver
    private void didNotDeliver(long seq, String to) {
        Long dc = rdc.get(seq);
        if (dc != null) {
            rdc.put(seq, dc - 1);
        }
        if (config.isPush()) {
            active = false;
            inactiveSinceNanos = now();
            interestGeneration = -1;
        } else if (pending.containsKey(seq) && !rdq.contains(seq)) {
            rdq.add(seq);
        }
    }

    /**
     * Without acks the stored state after a run of first deliveries is that of the last one (delivered and ack floor
     * both move to it), so the loop hands the store only the last of each iteration ({@link #storeDeferredDelivered},
     * before it releases {@link #lock}) instead of taking the store's lock per message.
     */
    private void deferDelivered(long d, long s, long ts) {
        deferredDseq = d;
        deferredSseq = s;
        deferredTs = ts;
    }

    private void storeDeferredDelivered() {
        if (deferredDseq != 0) {
            long d = deferredDseq;
            deferredDseq = 0;
            storeDelivered(d, deferredSseq, 1, deferredTs);
        }
    }

    private void storeDelivered(long d, long s, long dc, long ts) {
        if (store == null) {
            return;
        }
        try {
            store.updateDelivered(d, s, dc, ts);
        } catch (StoreException e) {
            LOG.debug("Consumer '" + streamName + " > " + name + "' delivered update: " + e.getMessage());
        }
    }

    // nats-server: consumer.go trackPending
    private void trackPending(long seq, long d, long now) {
        long[] p = pending.get(seq);
        if (p != null) {
            p[1] = now;
        } else {
            pending.put(seq, new long[] {d, now});
        }
        long delay = ackWaitFor(0);
        List<Long> backoff = config.backoffNanos();
        if (backoff != null && !backoff.isEmpty()) {
            int bi = (int) Math.min(Math.max(rdc.getOrDefault(seq, 0L), 0), backoff.size() - 1);
            delay = ackWaitFor(backoff.get(bi));
        }
        long deadline = now + delay;
        if (pendingCheckAtNanos == 0 || pendingCheckAtNanos > deadline) {
            pendingCheckAtNanos = deadline;
        }
    }

    /**
     * Writes the v1 ack reply subject ({@code $JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<dseq>.<ts>.<pending>}) into
     * {@link #ackReplyBytes} and returns its length: built in place, as a {@code String} per message cost more than
     * anything else a delivery without acks does.
     */
    // nats-server: consumer.go ackReply (v1 format, js_ack_fc_v2 off)
    private int ackReply(long seq, long d, long dc, long ts, long numPending) {
        byte[] b = ackReplyBytes;
        int at = ackPrefixBytes.length;
        System.arraycopy(ackPrefixBytes, 0, b, 0, at);
        at = putDecimal(b, at, dc);
        b[at++] = '.';
        at = putDecimal(b, at, seq);
        b[at++] = '.';
        at = putDecimal(b, at, d);
        b[at++] = '.';
        at = putDecimal(b, at, ts);
        b[at++] = '.';
        return putDecimal(b, at, numPending);
    }

    /** Writes {@code v} in decimal ASCII at {@code b[at]}; returns the index after it. */
    static int putDecimal(byte[] b, int at, long v) {
        if (v < 0) {
            b[at++] = '-';
            if (v == Long.MIN_VALUE) {
                at = putDecimal(b, at, -(v / 10));
                b[at] = (byte) ('0' - (int) (v % 10));
                return at + 1;
            }
            v = -v;
        }
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        int i = at + digits;
        while (v >= Integer.MAX_VALUE) {              // two digits per long division, then int arithmetic
            long q = v / 100;
            int r = (int) (v - q * 100);
            b[--i] = (byte) ('0' + r % 10);
            b[--i] = (byte) ('0' + r / 10);
            v = q;
        }
        int n = (int) v;
        while (n >= 10) {
            int q = n / 10;
            b[--i] = (byte) ('0' + n - q * 10);
            n = q;
        }
        b[--i] = (byte) ('0' + n);
        return at + digits;
    }

    // nats-server: consumer.go convertToHeadersOnly
    private static byte[] headersOnly(byte[] hdr, int size) {
        String add = "Nats-Msg-Size: " + size + "\r\n\r\n";
        byte[] a = add.getBytes(StandardCharsets.US_ASCII);
        if (hdr == null || hdr.length == 0) {
            byte[] line = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] out = Arrays.copyOf(line, line.length + a.length);
            System.arraycopy(a, 0, out, line.length, a.length);
            return out;
        }
        byte[] out = Arrays.copyOf(hdr, hdr.length - 2 + a.length);
        System.arraycopy(a, 0, out, hdr.length - 2, a.length);
        return out;
    }

    // ---- statuses ----------------------------------------------------------------------------------------------

    private void status(String to, String line, int pendingMsgs, int pendingBytesLeft) {
        String h = "NATS/1.0 " + line + "\r\nNats-Pending-Messages: " + pendingMsgs + "\r\nNats-Pending-Bytes: "
                + pendingBytesLeft + "\r\n\r\n";
        sendHeaderOnly(to, null, h);
    }

    private void status(String to, String line) {
        sendHeaderOnly(to, null, "NATS/1.0 " + line + "\r\n\r\n");
    }

    private void sendHeaderOnly(String to, String reply, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        out.publish(to, reply, h, 0, h.length, EMPTY, 0, 0);
    }

    // nats-server: consumer.go sendIdleHeartbeat
    private void sendIdleHeartbeat(String to) {
        String h = "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: " + (dseq - 1) + "\r\nNats-Last-Stream: "
                + (sseq - 1) + "\r\n";
        if (!fcId.isEmpty()) {
            h += "Nats-Consumer-Stalled: " + fcId + "\r\n";
        }
        sendHeaderOnly(to, null, h + "\r\n");
    }

    // ---- flow control ------------------------------------------------------------------------------------------

    // nats-server: consumer.go needFlowControl
    private boolean needFlowControl(int sz) {
        if (fcId.isEmpty() && pendingBytes > maxPendingBytes / 2) {
            return true;
        }
        int maxp = config.maxAckPending();
        if (fcId.isEmpty() && config.ackPolicy() == AckPolicy.FLOW_CONTROL && maxp > 0 && pending.size() >= maxp) {
            return true;
        }
        if (!fcId.isEmpty() && pendingBytes - fcSize >= maxPendingBytes) {
            fcSize += sz;
        }
        return false;
    }

    // nats-server: consumer.go sendFlowControl, fcReply
    private void sendFlowControl() {
        if (!config.isPush()) {
            return;
        }
        char[] r = new char[4];
        long rn = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            r[i] = DIGITS.charAt((int) (rn % 62));
            rn /= 62;
        }
        String reply = fcPrefix + new String(r);
        fcSize = pendingBytes;
        fcId = reply;
        sendHeaderOnly(config.deliverSubject(), reply, "NATS/1.0 100 FlowControl Request\r\n\r\n");
    }

    // nats-server: consumer.go processFlowControl
    private void processFlowControlReply(String subject, byte[] header) {
        if (!subject.equals(fcId)) {
            return;
        }
        int limit = FLOW_CONTROL_MAX_PENDING;
        if (maxPendingBytes < limit) {
            maxPendingBytes = Math.min(maxPendingBytes * 2, limit);
        }
        pendingBytes = Math.max(0, pendingBytes - fcSize);
        fcId = "";
        fcSize = 0;
        if (config.ackPolicy() == AckPolicy.FLOW_CONTROL && header != null) {
            long ld = parseLong(NatsHeaders.value(header, "Nats-Last-Consumer"));
            long ls = parseLong(NatsHeaders.value(header, "Nats-Last-Stream"));
            if (ls > 0) {
                processAckMsg(ls, Math.max(ld, 0), 1, false);
            }
        }
    }

    private static long parseLong(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- acknowledgements --------------------------------------------------------------------------------------

    // nats-server: consumer.go processAck
    private void processAck(String subject, String reply, byte[] msg) {
        long[] info = ackReplyInfo(subject);
        long seq = info[0];
        long d = info[1];
        long dc = info[2];
        boolean skipReply = seq == 0;
        if (thresholdNanos > 0) {
            suppressDeletion();
        }
        if (msg.length == 0 || equalsAscii(msg, "+ACK") || equalsAscii(msg, "+OK")) {
            if (!processAckMsg(seq, d, dc, true)) {
                skipReply = true;
            }
        } else if (startsWithAscii(msg, "+NXT")) {
            processAckMsg(seq, d, dc, true);
            processNextRequest(reply, null, Arrays.copyOfRange(msg, 4, msg.length), false);
            skipReply = true;
        } else if (startsWithAscii(msg, "-NAK")) {
            processNak(seq, d, dc, msg);
        } else if (equalsAscii(msg, "+WPI")) {
            long[] p = pending.get(seq);
            if (p != null) {
                p[1] = now();
                storeDelivered(p[0], seq, 1, p[1]);
            }
        } else if (startsWithAscii(msg, "+TERM")) {
            String reason = new String(msg, 5, msg.length - 5, StandardCharsets.UTF_8).trim();
            if (!processTerm(seq, d, dc, reason, reply)) {
                skipReply = true;
            }
        }
        if (reply != null && !reply.isEmpty() && !skipReply) {
            out.publish(reply, null, null, 0, 0, EMPTY, 0, 0);
        }
    }

    private void suppressDeletion() {
        if (config.isPush()) {
            inactiveSinceNanos = loopNanos;
        } else {
            waitingLastNanos = loopNanos;
        }
    }

    private static boolean equalsAscii(byte[] b, String s) {
        return b.length == s.length() && startsWithAscii(b, s);
    }

    private static boolean startsWithAscii(byte[] b, String s) {
        if (b.length < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The sequences an ack subject carries: {stream seq, consumer seq, delivery count, timestamp, pending}; zeros
     * unless it has 9 tokens (v1) or at least 11 (v2). Parses in place, without regular expressions.
     */
    // nats-server: consumer.go ackReplyInfo, parseAckReplyNum
    static long[] ackReplyInfo(String subject) {
        long[] outInfo = new long[5];
        int tokens = 1;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                tokens++;
            }
        }
        if ((tokens != 9 && tokens < 11) || !subject.startsWith("$JS.ACK.")) {
            return outInfo;
        }
        int offset = tokens >= 11 ? 4 : 2;
        int start = 0;
        int token = 0;
        long dc = 0;
        long s = 0;
        long d = 0;
        long ts = 0;
        long pend = 0;
        for (int i = 0; i <= subject.length(); i++) {
            if (i == subject.length() || subject.charAt(i) == '.') {
                int rel = token - offset;
                if (rel >= 2 && rel <= 6) {
                    long n = GoDigits.parse(subject, start, i);
                    switch (rel) {
                        case 2 -> dc = n;
                        case 3 -> s = n;
                        case 4 -> d = n;
                        case 5 -> ts = n;
                        default -> pend = n;
                    }
                }
                token++;
                start = i + 1;
            }
        }
        outInfo[0] = Math.max(s, 0);
        outInfo[1] = Math.max(d, 0);
        outInfo[2] = Math.max(dc, 0);
        outInfo[3] = ts;
        outInfo[4] = Math.max(pend, 0);
        if (s < 0 || d < 0) {
            outInfo[0] = s < 0 ? 0 : outInfo[0];
        }
        return outInfo;
    }

    /** Applies an ack; returns whether the ack reply may be sent ({@code processAckMsg}). */
    // nats-server: consumer.go processAckMsgLocked
    private boolean processAckMsg(long seq, long d, long dc, boolean sample) {
        if (closed) {
            return false;
        }
        ConsumerConfig c = config;
        if (seq >= sseq && !c.flowControl()) {
            long last = stream.store().lastSequence();
            if (seq > last) {
                LOG.warn("JetStream consumer '" + jsa.account().name() + " > " + streamName + " > " + name
                        + "' ACK sequence " + seq + " past last stream sequence of " + last);
            }
            return false;
        }
        boolean interestRetention = stream.config().retentionOrDefault() != RetentionPolicy.LIMITS;
        switch (c.ackPolicy()) {
            case EXPLICIT -> {
                long[] p = pending.remove(seq);
                if (p != null) {
                    if (sample) {
                        sampleAck(seq, d, dc, p[1]);
                    }
                    d = p[0];
                    moveAckFloor(d, seq);
                }
                if (!rdc.isEmpty()) {
                    rdc.remove(seq);
                }
                if (!rdq.isEmpty()) {
                    rdq.remove(seq);
                }
                if (interestRetention) {
                    streamAcks.add(seq);
                }
            }
            case ALL, FLOW_CONTROL -> {
                if (d <= adflr || seq <= asflr) {
                    return true;
                }
                adflr = d;
                asflr = seq;
                Iterator<Map.Entry<Long, long[]>> it = pending.headMap(seq, true).entrySet().iterator();
                while (it.hasNext()) {
                    long s = it.next().getKey();
                    if (interestRetention) {
                        streamAcks.add(s);
                    }
                    it.remove();
                    rdc.remove(s);
                    rdq.remove(s);
                }
                rdc.keySet().removeIf(s -> s <= seq);
                rdq.removeIf(s -> s <= seq);
                if (interestRetention && !streamAcks.contains(seq)) {
                    streamAcks.add(seq);
                }
            }
            default -> {
                return interestRetention;
            }
        }
        if (store != null) {
            try {
                store.updateAcks(d, seq);
            } catch (StoreException e) {
                LOG.trace("Consumer '" + streamName + " > " + name + "' ack update: " + e.getMessage());
            }
        }
        lastAckNanos = loopNanos;
        if (pending.isEmpty()) {
            pendingCheckAtNanos = 0;
        }
        return true;
    }

    // nats-server: consumer.go moveAckFloor
    private void moveAckFloor(long d, long seq) {
        if (pending.isEmpty()) {
            adflr = dseq - 1;
            asflr = sseq - 1;
        } else if (d == adflr + 1) {
            adflr = d;
            asflr = seq;
            Map.Entry<Long, long[]> next = pending.higherEntry(seq);
            if (next != null && next.getKey() < sseq && next.getValue()[0] > 0) {
                adflr = next.getValue()[0] - 1;
                asflr = next.getKey() - 1;
            }
        }
    }

    // nats-server: consumer.go sampleAck, shouldSample
    private void sampleAck(long seq, long d, long dc, long deliveredAt) {
        String f = config.sampleFreq();
        if (f == null || f.isEmpty()) {
            return;
        }
        int freq;
        try {
            freq = Integer.parseInt(f.endsWith("%") ? f.substring(0, f.length() - 1) : f);
        } catch (NumberFormatException e) {
            return;
        }
        if (freq <= 0 || (freq < 100 && ThreadLocalRandom.current().nextInt(100) > freq)) {
            return;
        }
        String subject = ConsumerAdvisories.ACK_METRIC + streamName + "." + name;
        if (!js.advisories().hasInterest(jsa.account(), subject)) {
            return;
        }
        String[] h = Advisories.head(ConsumerAdvisories.AckMetric.TYPE);
        js.advisories().publish(jsa.account(), subject, new ConsumerAdvisories.AckMetric(h[0], h[1], h[2],
                streamName, name, d, seq, now() - deliveredAt, dc, js.domain()));
    }

    // nats-server: consumer.go processNak
    private void processNak(long seq, long d, long dc, byte[] nak) {
        if (d <= adflr || d >= dseq) {
            return;
        }
        long[] p = pending.get(seq);
        if (p == null) {
            return;
        }
        advise(ConsumerAdvisories.MSG_NAKED, h -> new ConsumerAdvisories.Nak(h[0], h[1], h[2], streamName, name,
                d, seq, dc, js.domain()), ConsumerAdvisories.Nak.TYPE);
        if (nak.length > 4) {
            String arg = new String(nak, 4, nak.length - 4, StandardCharsets.UTF_8).trim();
            if (!arg.isEmpty()) {
                long delay = -1;
                try {
                    if (arg.charAt(0) == '{') {
                        com.fasterxml.jackson.databind.JsonNode node = ApiJson.mapper().readTree(arg);
                        com.fasterxml.jackson.databind.JsonNode dn = node.get("delay");
                        delay = dn == null ? 0 : dn.asLong();
                        if (dn != null && !dn.canConvertToLong()) {
                            delay = -1;
                        }
                    } else {
                        delay = io.jnatsd.config.GoDuration.parse(arg).toNanos();
                    }
                } catch (Exception e) {
                    delay = -1;
                }
                if (delay < 0) {
                    LOG.warn("JetStream consumer '" + jsa.account().name() + " > " + streamName + " > " + name
                            + "' bad NAK delay value: " + io.jnatsd.common.GoQuote.quote(arg));
                } else {
                    rdq.remove(seq);
                    p[1] = now() - config.ackWaitNanos() + delay;
                    storeDelivered(p[0], seq, dc, p[1]);
                    pendingCheckAtNanos = Math.min(pendingCheckAtNanos == 0 ? Long.MAX_VALUE : pendingCheckAtNanos,
                            now() + 10_000_000L);
                    return;
                }
            }
        }
        rdq.add(seq);
    }

    /** Terminates redelivery of {@code seq}; returns whether the ack reply may be sent. */
    // nats-server: consumer.go processTermLocked
    private boolean processTerm(long seq, long d, long dc, String reason, String reply) {
        boolean ok = processAckMsg(seq, d, dc, false);
        advise(ConsumerAdvisories.MSG_TERMINATED, h -> new ConsumerAdvisories.Terminated(h[0], h[1], h[2],
                streamName, name, d, seq, dc, reason, js.domain()), ConsumerAdvisories.Terminated.TYPE);
        return ok;
    }

    private void advise(String prefix, java.util.function.Function<String[], Object> advisory, String type) {
        String subject = prefix + streamName + "." + name;
        Account acc = jsa.account();
        if (!js.advisories().hasInterest(acc, subject)) {
            return;
        }
        js.advisories().publish(acc, subject, advisory.apply(Advisories.head(type)));
    }

    private void maxDeliveriesAdvisory(long seq, long dc) {
        advise(ConsumerAdvisories.MAX_DELIVERIES, h -> new ConsumerAdvisories.MaxDeliver(h[0], h[1], h[2],
                streamName, name, seq, dc, js.domain()), ConsumerAdvisories.MaxDeliver.TYPE);
    }

    /** Sends the pause advisory for {@code c} ({@code sendPauseAdvisoryLocked}). */
    void pauseAdvisory(ConsumerConfig c) {
        boolean paused = c.pauseUntil() != null && pauseNanos(c.pauseUntil()) > now();
        String until = paused ? c.pauseUntil() : GoTime.ZERO;
        advise(ConsumerAdvisories.PAUSE, h -> new ConsumerAdvisories.Pause(h[0], h[1], h[2], streamName, name,
                paused, until, js.domain()), ConsumerAdvisories.Pause.TYPE);
    }

    private void pinnedAdvisory(String group) {
        advise(ConsumerAdvisories.PINNED, h -> new ConsumerAdvisories.Pinned(h[0], h[1], h[2], jsa.account().name(),
                streamName, name, js.domain(), group, pinId), ConsumerAdvisories.Pinned.TYPE);
    }

    private void unpinnedAdvisory(String group, String reason) {
        advise(ConsumerAdvisories.UNPINNED, h -> new ConsumerAdvisories.Unpinned(h[0], h[1], h[2],
                jsa.account().name(), streamName, name, js.domain(), group, reason),
                ConsumerAdvisories.Unpinned.TYPE);
    }

    // ---- stream changes ----------------------------------------------------------------------------------------

    // nats-server: consumer.go decStreamPending
    private void processRemoved(long seq, String subject) {
        if (seq >= sseq && wants(subject)) {
            npcCounter.decrementAndGet();
        }
        long[] p = pending.get(seq);
        if (p != null) {
            processTerm(seq, p[0], deliveryCount(seq), TERM_UNACKED_REASON, null);
        }
    }

    // nats-server: consumer.go purge
    private void processPurged(long firstSeq, String subject) {
        if (subject.isEmpty()) {
            if (firstSeq > sseq) {
                sseq = firstSeq;
                skipList = null;
            }
            if (asflr < firstSeq - 1) {
                asflr = firstSeq - 1;
                Map.Entry<Long, long[]> first = pending.ceilingEntry(firstSeq);
                adflr = first == null ? dseq - 1 : first.getValue()[0] - 1;
            }
            Iterator<Long> it = pending.headMap(firstSeq, false).keySet().iterator();
            while (it.hasNext()) {
                long s = it.next();
                it.remove();
                rdq.remove(s);
            }
            rdc.keySet().removeIf(s -> s < firstSeq);
            rdq.removeIf(s -> s < firstSeq);
        } else {
            StreamStore ss = stream.store();
            Iterator<Map.Entry<Long, long[]>> it = pending.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, long[]> e = it.next();
                if (ss.subjectForSequence(e.getKey()) == null) {
                    it.remove();
                    rdc.remove(e.getKey());
                    rdq.remove(e.getKey());
                }
            }
            if (pending.isEmpty()) {
                adflr = dseq - 1;
                asflr = sseq - 1;
            }
        }
        if (store != null) {
            try {
                store.forceUpdate(snapshotState());
            } catch (StoreException e) {
                LOG.debug("Consumer '" + streamName + " > " + name + "' purge update: " + e.getMessage());
            }
        }
        npcCounter.set(computeNumPending());
        if (pending.isEmpty()) {
            pendingCheckAtNanos = 0;
        }
    }

    private long computeNumPending() {
        long n = stream.store().numPending(sseq, filter,
                config.deliverPolicy() == DeliverPolicy.LAST_PER_SUBJECT);
        if (skipList != null) {
            n = skipList.length - skipIndex;
        }
        return n;
    }

    // ---- pull requests -----------------------------------------------------------------------------------------

    // nats-server: consumer.go processNextMsgReq, processNextMsgRequest
    private void processNextRequest(String reply, byte[] header, byte[] body, boolean fromSubject) {
        if (reply == null || reply.isEmpty()) {
            return;
        }
        ConsumerConfig c = config;
        if (c.isPush()) {
            status(reply, "409 Consumer is push based");
            return;
        }
        if (fromSubject && ApiResponder.errorOnRequiredApiLevel(header)) {
            status(reply, "412 Required Api Level");
            return;
        }
        waitingLastNanos = now();
        ApiRequests.NextRequest r;
        boolean hasGroup = false;
        byte[] trimmed = trim(body);
        if (trimmed.length == 0) {
            r = new ApiRequests.NextRequest(0, 1, 0, false, 0, null, 0, 0, null, 0);
        } else if (trimmed[0] == '{') {
            try {
                r = ApiRequests.decodeNext(trimmed);
            } catch (ApiJson.DecodeException e) {
                // json.Unmarshal (not a json.Decoder) words a truncated document this way
                String why = e.getMessage().equals("unexpected EOF") ? "unexpected end of JSON input" : e.getMessage();
                status(reply, "400 Bad Request - " + why);
                return;
            }
            if (r.heartbeatNanos() > 0 && r.heartbeatNanos() * 2 > r.expiresNanos()) {
                status(reply, "400 Bad Request - heartbeat value too large");
                return;
            }
            hasGroup = true;
        } else {
            int n = 1;
            try {
                n = Integer.parseInt(new String(trimmed, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                n = 1;
            }
            r = new ApiRequests.NextRequest(0, n, 0, false, 0, null, 0, 0, null, 0);
        }
        if (c.maxBatch() > 0 && r.batch() > c.maxBatch()) {
            status(reply, "409 Exceeded MaxRequestBatch of " + c.maxBatch());
            return;
        }
        if (r.expiresNanos() > 0 && c.maxExpiresNanos() > 0 && r.expiresNanos() > c.maxExpiresNanos()) {
            status(reply, "409 Exceeded MaxRequestExpires of "
                    + io.jnatsd.config.GoDuration.formatNanos(c.maxExpiresNanos()));
            return;
        }
        if (r.maxBytes() > 0 && c.maxBytes() > 0 && r.maxBytes() > c.maxBytes()) {
            status(reply, "409 Exceeded MaxRequestMaxBytes of " + c.maxBytes());
            return;
        }
        PriorityPolicy pp = c.priorityPolicyOrNone();
        String group = r.group() == null ? "" : r.group();
        String id = r.id() == null ? "" : r.id();
        if (hasGroup) {
            if ((r.minPending() != 0 || r.minAckPending() != 0) && pp != PriorityPolicy.OVERFLOW) {
                status(reply, "400 Bad Request - Not a Overflow Priority consumer");
                return;
            }
            if (!id.isEmpty() && pp != PriorityPolicy.PINNED_CLIENT) {
                status(reply, "400 Bad Request - Not a Pinned Client Priority consumer");
                return;
            }
            if (r.priority() < 0 || r.priority() > 9) {
                status(reply, "400 Bad Request - Priority must be between 0 and 9");
                return;
            }
        }
        if (hasGroup && pp != PriorityPolicy.NONE) {
            if (group.isEmpty()) {
                status(reply, "400 Bad Request - Priority Group missing");
                return;
            }
            if (c.priorityGroups() == null || !c.priorityGroups().contains(group)) {
                status(reply, "400 Bad Request - Invalid Priority Group");
                return;
            }
            if (!pinId.isEmpty()) {
                if (id.equals(pinId)) {
                    pinExpiresNanos = now() + c.pinnedTtlNanos();
                } else if (!id.isEmpty()) {
                    status(reply, "423 Nats-Pin-Id mismatch");
                    return;
                }
            }
        }
        long now = now();
        if (waiting.size() >= c.maxWaiting()) {
            processWaiting(false, now);
        }
        if (r.noWait()) {
            long msgsPending = Math.max(npcCounter.get(), 0) + rdq.size();
            if (msgsPending == 0 && r.expiresNanos() == 0) {
                status(reply, "404 No Messages");
                return;
            }
            if (msgsPending > 0) {
                long batchPending = 0;
                for (Waiting w : waiting) {
                    batchPending += w.n;
                }
                if (msgsPending < batchPending) {
                    status(reply, "408 Requests Pending");
                    return;
                }
            }
        }
        if (waiting.size() >= c.maxWaiting()) {
            if (r.heartbeatNanos() == 0) {
                status(reply, "409 Exceeded MaxWaiting");
            }
            return;
        }
        Waiting w = new Waiting(reply, r, now, hasGroup);
        long check = waitingCheckAtNanos == 0 || waitingCheckAtNanos > now + IDLE_PARK_NANOS
                ? now + IDLE_PARK_NANOS : waitingCheckAtNanos;
        waitingCheckAtNanos = min(min(check, w.expiresNanos), w.heartbeatAtNanos);
        if (pp == PriorityPolicy.PRIORITIZED) {
            insertByPriority(w);
        } else {
            waiting.add(w);
        }
    }

    private void insertByPriority(Waiting w) {
        int i = 0;
        while (i < waiting.size() && waiting.get(i).priorityOrder() <= w.priorityOrder()) {
            i++;
        }
        waiting.add(i, w);
    }

    private static byte[] trim(byte[] b) {
        int s = 0;
        int e = b.length;
        while (s < e && b[s] <= ' ') {
            s++;
        }
        while (e > s && b[e - 1] <= ' ') {
            e--;
        }
        return s == 0 && e == b.length ? b : Arrays.copyOfRange(b, s, e);
    }

    private boolean hasInterest(String reply) {
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        return jsa.account().sublist().hasInterest(b, 0, b.length);
    }

    /** The request the next message of {@code sz} bytes goes to, or null ({@code nextWaiting}). */
    // nats-server: consumer.go nextWaiting
    private Waiting nextWaiting(int sz) {
        ConsumerConfig c = config;
        PriorityPolicy pp = c.priorityPolicyOrNone();
        boolean needNewPin = pinId.isEmpty() && pp == PriorityPolicy.PINNED_CLIENT;
        int cycled = 0;
        long now = now();
        while (!waiting.isEmpty()) {
            Waiting w = waiting.get(0);
            if (w.expiresNanos == 0 || now < w.expiresNanos) {
                boolean assignedPin = false;
                if (needNewPin) {
                    if (w.id.isEmpty()) {
                        assignPin(w, c);
                        assignedPin = true;
                        needNewPin = false;
                    } else {
                        status(w.reply, "423 Nats-Wrong-Pin-Id", w.n, w.b);
                        waiting.remove(0);
                        continue;
                    }
                } else if (!pinId.isEmpty()) {
                    if (!w.id.equals(pinId)) {
                        if (w.id.isEmpty()) {
                            waiting.add(waiting.remove(0));
                            if (++cycled >= waiting.size()) {
                                return null;
                            }
                            continue;
                        }
                        status(w.reply, "423 Nats-Wrong-Pin-Id", w.n, w.b);
                        waiting.remove(0);
                        continue;
                    }
                }
                if (pp == PriorityPolicy.OVERFLOW && w.hasPriorityGroup && (w.minPending > 0 || w.minAckPending > 0)
                        && !((w.minPending > 0 && w.minPending <= npcCounter.get() + 1)
                        || (w.minAckPending > 0 && w.minAckPending <= pending.size()))) {
                    waiting.add(waiting.remove(0));
                    if (++cycled >= waiting.size()) {
                        return null;
                    }
                    continue;
                }
                if (w.b > 0) {
                    if (sz <= w.b) {
                        w.b -= sz;
                        if (w.b == 0) {
                            w.n = 1;
                        }
                    } else {
                        status(w.reply, "409 Message Size Exceeds MaxBytes", w.n, w.b);
                        if (assignedPin) {
                            unassignPin();
                        }
                        waiting.remove(0);
                        continue;
                    }
                }
                if (hasInterest(w.reply)) {
                    return pop(pp);
                }
            } else {
                status(w.reply, "408 Request Timeout", w.n, w.b);
                waiting.remove(0);
                continue;
            }
            waiting.remove(0);
        }
        return null;
    }

    private Waiting pop(PriorityPolicy pp) {
        Waiting w = waiting.get(0);
        w.d++;
        w.n--;
        if (w.n <= 0) {
            waiting.remove(0);
        } else if (waiting.size() > 1) {
            waiting.remove(0);
            if (pp == PriorityPolicy.PRIORITIZED) {
                insertByPriority(w);
            } else {
                waiting.add(w);
            }
        }
        return w;
    }

    // nats-server: consumer.go assignNewPinId
    private void assignPin(Waiting w, ConsumerConfig c) {
        if (!w.hasPriorityGroup || w.group.isEmpty()) {
            return;
        }
        pinId = Nuid.next();
        pinnedTsNanos = now();
        w.id = pinId;
        pinExpiresNanos = now() + c.pinnedTtlNanos();
        pinnedAdvisory(w.group);
    }

    private void unassignPin() {
        pinId = "";
        pinnedTsNanos = 0;
        pinExpiresNanos = 0;
    }

    /** Expires and drops requests; sends heartbeats ({@code processWaiting}). */
    // nats-server: consumer.go processWaiting
    private void processWaiting(boolean endOfStream, long now) {
        long next = now + IDLE_PARK_NANOS;
        Iterator<Waiting> it = waiting.iterator();
        while (it.hasNext()) {
            Waiting w = it.next();
            boolean expired = w.expiresNanos > 0 && now >= w.expiresNanos;
            if ((endOfStream && w.noWait) || expired) {
                if (expired) {
                    status(w.reply, "408 Request Timeout", w.n, w.b);
                    it.remove();
                    continue;
                } else if (w.expiresNanos == 0 || w.d > 0) {
                    status(w.reply, "404 No Messages");
                    it.remove();
                    continue;
                }
            }
            if (!hasInterest(w.reply)) {
                it.remove();
                continue;
            }
            if (w.heartbeatAtNanos > 0 && now >= w.heartbeatAtNanos) {
                sendIdleHeartbeat(w.reply);
                w.heartbeatAtNanos = now + w.heartbeatNanos;
            }
            next = min(next, w.heartbeatAtNanos);
            next = min(next, w.expiresNanos);
        }
        waitingCheckAtNanos = next;
    }

    /** The stream has nothing more for the waiting requests: no-wait requests end ({@code processWaiting(true)}). */
    private void endOfStream() {
        Iterator<Waiting> it = waiting.iterator();
        while (it.hasNext()) {
            Waiting w = it.next();
            if (!w.noWait) {
                continue;
            }
            if (w.expiresNanos > 0 && now() >= w.expiresNanos) {
                status(w.reply, "408 Request Timeout", w.n, w.b);
                it.remove();
            } else if (w.expiresNanos == 0 || w.d > 0) {
                status(w.reply, "404 No Messages");
                it.remove();
            }
        }
    }

    // ---- API operations (API workers) --------------------------------------------------------------------------

    /** The consumer's info ({@code infoWithSnapAndReply}). */
    // nats-server: consumer.go infoWithSnapAndReply
    public ConsumerInfo info() {
        lock.lock();
        try {
            long now = now();
            ConsumerConfig c = config;
            List<ConsumerInfo.PriorityGroupState> groups = List.of();
            if (c.priorityGroups() != null && !c.priorityGroups().isEmpty()) {
                groups = List.of(new ConsumerInfo.PriorityGroupState(c.priorityGroups().get(0), pinId,
                        StreamInfo.time(pinnedTsNanos)));
            }
            long np = computeNumPending();
            long d = dseq - 1;
            long s = sseq - 1;
            if (store != null && store.hasState()) {
                ConsumerState st = store.state();
                d = st.delivered.consumer();
                s = st.delivered.stream();
            }
            boolean paused = isPaused(now);
            long remaining = paused ? pauseNanos(c.pauseUntil()) - now : 0;
            if (c.isPull()) {
                processWaitingForInfo(now);
            }
            return new ConsumerInfo(streamName, name, StreamInfo.time(createdNanos), c,
                    new ConsumerInfo.SequenceInfo(d, Math.max(s, 0),
                            lastDeliveredNanos == 0 ? null : StreamInfo.time(lastDeliveredNanos)),
                    new ConsumerInfo.SequenceInfo(adflr, asflr,
                            lastAckNanos == 0 ? null : StreamInfo.time(lastAckNanos)),
                    pending.size(), c.maxDeliver() == 1 ? 0 : rdc.size(), waiting.size(), np,
                    new StreamInfo.ClusterInfo(null, js.host().serverName()), c.isPush() && active, paused,
                    remaining, StreamInfo.now(), groups);
        } finally {
            lock.unlock();
        }
    }

    private void processWaitingForInfo(long now) {
        waiting.removeIf(w -> (w.expiresNanos > 0 && now >= w.expiresNanos && !w.noWait) || !hasInterest(w.reply));
    }

    /**
     * Applies an allowed update ({@code updateConfig}); the caller checked it with
     * {@link ConsumerConfigChecks#checkUpdate}.
     */
    // nats-server: consumer.go updateConfig
    void update(ConsumerConfig next) {
        lock.lock();
        try {
            ConsumerConfig old = config;
            config = next;
            applyConfig(next);
            if (!old.filters().equals(next.filters())) {
                npcCounter.set(computeNumPending());
            }
            if (old.isPush() && !old.deliverSubject().equals(next.deliverSubject())) {
                interestGeneration = -1;
            }
            if (store != null) {
                store.updateConfig(Consumers.storeConfig(next));
            }
        } finally {
            lock.unlock();
        }
        signal();
    }

    /** Pauses until {@code pauseUntil} (null resumes) and sends the advisory. */
    public void pause(String pauseUntil) {
        ConsumerConfig c;
        lock.lock();
        try {
            ConsumerConfig.Builder b = config.toBuilder();
            b.pauseUntil = pauseUntil;
            c = ConsumerConfigChecks.withStaticMetadata(b.build());
            config = c;
            pauseAdvisoryDue = isPaused(now());
            if (store != null) {
                store.updateConfig(Consumers.storeConfig(c));
            }
        } finally {
            lock.unlock();
        }
        pauseAdvisory(c);
        signal();
    }

    /** Unpins {@code group} when it is this consumer's; false when the group is unknown. */
    public boolean unpin(String group) {
        lock.lock();
        try {
            List<String> groups = config.priorityGroups();
            if (groups == null || !groups.contains(group)) {
                return false;
            }
            if (!pinId.isEmpty()) {
                unassignPin();
                unpinnedAdvisory(group, "admin");
            }
        } finally {
            lock.unlock();
        }
        signal();
        return true;
    }

    /**
     * Resets to {@code seq} (0: the ack floor + 1).
     *
     * @return the sequence reset to
     * @throws IllegalArgumentException with the reason the reset is refused
     */
    // nats-server: consumer.go resetStartingSeqLocked
    long reset(long seq) {
        lock.lock();
        try {
            ConsumerConfig c = config;
            if (seq == 0) {
                seq = asflr + 1;
            } else if (c.deliverPolicy() == DeliverPolicy.BY_START_SEQUENCE) {
                if (seq < c.optStartSeq()) {
                    throw new IllegalArgumentException("below start seq");
                }
            } else if (c.deliverPolicy() == DeliverPolicy.BY_START_TIME) {
                long t = pauseNanos(c.optStartTime());
                if (seq < stream.store().sequenceFromTime(t)) {
                    throw new IllegalArgumentException("below start time");
                }
            } else if (c.deliverPolicy() != DeliverPolicy.ALL) {
                throw new IllegalArgumentException("not allowed");
            }
            if (seq <= 0) {
                seq = 1;
            }
            sseq = seq;
            dseq = adflr + 1;
            asflr = seq - 1;
            pending.clear();
            rdc.clear();
            rdq.clear();
            skipList = null;
            held = null;
            pendingCheckAtNanos = 0;
            if (store != null) {
                store.reset(seq - 1);
                try {
                    store.forceUpdate(snapshotState());
                } catch (StoreException e) {
                    LOG.debug("Consumer reset update: " + e.getMessage());
                }
            }
            npcCounter.set(computeNumPending());
            return seq;
        } finally {
            lock.unlock();
            signal();
        }
    }

    /** {@code seq} of a reset response. */
    private record ResetSeq(@com.fasterxml.jackson.annotation.JsonProperty("reset_seq") long resetSeq) {
    }

    // nats-server: consumer.go processResetReq
    private void processReset(String reply, byte[] header, byte[] body) {
        byte[] response;
        if (ApiResponder.errorOnRequiredApiLevel(header)) {
            response = ApiJson.response(RESET_RESPONSE,
                    io.jnatsd.server.jetstream.api.JsApiError.REQUIRED_API_LEVEL.error());
        } else {
            long seq = 0;
            String error = null;
            if (body.length > 0) {
                try {
                    com.fasterxml.jackson.databind.JsonNode n = ApiJson.mapper().readTree(body);
                    if (n == null || !n.isObject()) {
                        error = n == null ? "unexpected end of JSON input"
                                : "json: cannot unmarshal " + (n.isArray() ? "array" : n.isTextual() ? "string"
                                : n.isBoolean() ? "bool" : "number") + " into Go value of type "
                                + "server.JSApiConsumerResetRequest";
                    } else if (n.has("seq")) {
                        if (!n.get("seq").canConvertToLong() || n.get("seq").asLong() < 0) {
                            error = "json: cannot unmarshal " + n.get("seq").getNodeType().name().toLowerCase()
                                    + " into Go struct field JSApiConsumerResetRequest.seq of type uint64";
                        } else {
                            seq = n.get("seq").asLong();
                        }
                    }
                } catch (java.io.IOException e) {
                    error = "invalid character in JSON";
                }
            }
            if (error != null) {
                response = ApiJson.response(RESET_RESPONSE,
                        io.jnatsd.server.jetstream.api.JsApiError.INVALID_JSON.error(error));
            } else {
                try {
                    long at = reset(seq);
                    ConsumerInfo info = info();
                    response = ApiJson.response(RESET_RESPONSE, null, ApiJson.tree(info.withConfig(
                            ConsumerConfigChecks.withDynamicMetadata(info.config()))), new ResetSeq(at));
                } catch (IllegalArgumentException e) {
                    response = ApiJson.response(RESET_RESPONSE,
                            io.jnatsd.server.jetstream.api.JsApiError.CONSUMER_INVALID_RESET.error(e.getMessage()));
                }
            }
        }
        out.publish(reply, null, null, 0, 0, response, 0, response.length);
    }

    /** Ends waiting pull requests with {@code 409 <reason>} as the consumer goes away (loop thread gone). */
    void endWaiting(String reason, boolean withPending) {
        lock.lock();
        try {
            for (Waiting w : waiting) {
                String h = withPending ? "NATS/1.0 409 " + reason + "\r\nNats-Pending-Messages: " + w.n
                        + "\r\nNats-Pending-Bytes: " + w.b + "\r\n\r\n" : "NATS/1.0 409 " + reason + "\r\n\r\n";
                client.publishInternal(w.reply, null, h.getBytes(StandardCharsets.US_ASCII), EMPTY);
            }
            waiting.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Consumer[" + streamName + " > " + name + "]";
    }
}
