package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.InternalPublisher;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.NatsHeaders;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.ScheduleHandler;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreConfig;
import io.jnatsd.store.StoreError;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StoredMessage;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.StreamStore;
import io.jnatsd.store.file.FileStreamStore;
import io.jnatsd.store.memory.MemoryStreamStore;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.transform.SubjectTransform;
import io.jnatsd.subject.transform.SubjectTransformException;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A stream: its configuration, its store, the subscriptions that feed it and its writer ({@code server/stream.go
 * stream}).
 * <p>
 * Publishing: a publish on one of the stream's subjects reaches an internal subscription of the stream's own
 * {@code JETSTREAM} client on the publisher's thread, which puts the message on the stream's bounded ingest queue
 * ({@link IngestQueue}; when it is full the publisher gets {@code 429 Too Many Requests} with error 10167 at once) or,
 * when the stream is idle, stores it there and then ({@link #storeInline}: no thread hand-off for a synchronous
 * publisher). The writer, a virtual thread, drains the queue in batches: for each message it applies nats-server's
 * checks in nats-server's order (the {@code Nats-Expected-*} headers, dedupe, roll-ups, counters, TTLs, limits...),
 * stores it, and answers with the PubAck; acknowledgements of a batch go out with one flush per receiver
 * ({@link InternalPublisher}).
 * <p>
 * Threads and locks: {@link #lock} serializes everything that changes the stream (the writer's batches, purge, message
 * deletes, configuration updates, stop) and guards the last sequence, last message id, dedupe map and subscriptions.
 * {@link #isolate} keeps readers (message gets) from seeing half of an atomic batch. Order: {@link #lock}, then
 * {@link #isolate} (the writer stores under both), then the account's monitor, then the engine's; store callbacks run
 * without the store's lock and may take the account's monitor. Readers use the store directly (it is thread-safe).
 */
// nats-server: stream.go (stream, processJetStreamMsgWithBatch, queueInbound, internalLoop, purge, update, stop)
public final class Stream {

    private static final NatsLogger LOG = NatsLogger.get(Stream.class);
    /** Largest record the file store takes ({@code rlBadThresh}). */
    static final long MAX_FILE_RECORD = 32L * 1024 * 1024;
    private static final int BATCH = 256;
    /**
     * The system property that, set to {@code false} before a stream starts, makes it queue every publish to its writer
     * as nats-server's {@code queueInbound} does, instead of storing on the publisher's thread when idle
     * ({@link #storeInline}). A burst from one publisher then fills the ingest queue as it would in nats-server.
     */
    public static final String INLINE_PROPERTY = "jnatsd.js.inline";

    private final JetStream js;
    private final JsAccount jsa;
    private final String name;
    private final StreamStore store;
    private final long createdNanos;
    private final Connection client;
    private final IngestQueue queue;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantReadWriteLock isolate = new ReentrantReadWriteLock();
    private final Dedupe dedupe = new Dedupe();
    private final List<StreamConsumer> consumers = new CopyOnWriteArrayList<>();
    private final Object consumerOps = new Object();
    private final Map<String, Subscription> subjectSubscriptions = new HashMap<>();   // guarded by lock
    private final List<Subscription> directSubscriptions = new ArrayList<>();         // guarded by lock
    private final AtomicBatches batches;
    private final FastBatches fastBatches;
    private volatile StreamConfig config;
    private volatile String tier;
    private volatile SubjectTransform inputTransform;
    private volatile SubjectTransform republishTransform;
    private volatile byte[] pubAckPrefix;
    private volatile boolean closed;
    private long lastSeq;                  // guarded by lock
    private String lastMsgId = "";         // guarded by lock
    private Thread writer;
    private InternalPublisher out;         // under lock only
    private final boolean syncAlways;      // a file store fsyncing every write: never store on an event loop
    private final boolean inline = Boolean.parseBoolean(System.getProperty(INLINE_PROPERTY, "true"));

    private Stream(JsAccount jsa, StreamConfig config, String tier, long createdNanos, StreamStore store) {
        this.js = jsa.jetStream();
        this.jsa = jsa;
        this.name = config.name();
        this.config = config;
        this.tier = tier;
        this.createdNanos = createdNanos;
        this.store = store;
        this.client = js.host().createInternalClient(jsa.account());
        this.queue = new IngestQueue(js.options().effectiveMaxBufferedMsgs(),
                js.options().effectiveMaxBufferedSize());
        this.batches = new AtomicBatches(this);
        this.fastBatches = new FastBatches(this);
        this.syncAlways = config.storage() == StorageType.FILE && js.options().syncAlways();
    }

    // ---- creation ----------------------------------------------------------------------------------------------------

    /**
     * Creates (or, with {@code recovering}, reopens) the stream's store and starts the stream.
     *
     * @throws ApiException 10077 when the store cannot be created
     */
    // nats-server: stream.go addStreamWithAssignmentAndMode (from the store on), setupStore
    static Stream start(JsAccount jsa, StreamConfig config, String tier, long createdNanos) {
        return start(jsa, config, tier, createdNanos, openStore(jsa, config, createdNanos));
    }

    /** Starts a stream on a store already opened (and filled, for a restore) by {@link #openStore}. */
    static Stream start(JsAccount jsa, StreamConfig config, String tier, long createdNanos, StreamStore store) {
        Stream s = new Stream(jsa, config, tier, createdNanos, store);
        try {
            s.init();
        } catch (RuntimeException e) {
            s.stop(false);
            throw e;
        }
        return s;
    }

    /**
     * Creates (or reopens) the store of a stream with {@code config}.
     *
     * @throws ApiException 10077 when it cannot be created
     */
    static StreamStore openStore(JsAccount jsa, StreamConfig config, long createdNanos) {
        StoreConfig sc = storeConfig(config);
        try {
            if (config.storage() == StorageType.MEMORY) {
                return new MemoryStreamStore(sc, jsa.jetStream().storeEnvironment());
            }
            Path dir = jsa.storeDir().resolve(JsAccount.STREAMS_DIR).resolve(config.name());
            return FileStreamStore.open(dir, sc, jsa.jetStream().fileStoreOptions(jsa.account().name()),
                    metaJson(config, createdNanos), jsa.jetStream().storeEnvironment());
        } catch (StoreException | IllegalArgumentException e) {
            throw JsApiError.STREAM_STORE_FAILED.error(e.getMessage()).toException();
        }
    }

    /** The JSON kept in {@code meta.inf}: the creation time, then the configuration ({@code FileStreamInfo}). */
    static String metaJson(StreamConfig config, long createdNanos) {
        ObjectNode node = ApiJson.mapper().createObjectNode();
        node.put("created", StreamInfo.time(createdNanos));
        node.setAll(ApiJson.tree(config));
        return ApiJson.writeString(node);
    }

    /** What the store needs of {@code c}. */
    static StoreConfig storeConfig(StreamConfig c) {
        return StoreConfig.builder(c.name(), c.storageOrDefault()).subjects(c.subjectList())
                .retention(c.retentionOrDefault()).maxMsgs(c.maxMsgs()).maxBytes(c.maxBytes())
                .maxAgeNanos(c.maxAgeNanos()).maxMsgsPerSubject(c.maxMsgsPerSubject()).maxMsgSize(c.maxMsgSize())
                .discard(c.discardOrDefault()).discardNewPerSubject(c.discardNewPerSubject())
                .allowMsgTtl(c.allowMsgTtl()).subjectDeleteMarkerTtlNanos(c.subjectDeleteMarkerTtlNanos())
                .allowMsgSchedules(c.allowMsgSchedules()).compression(c.compressionOrDefault())
                .firstSeq(c.firstSeq()).replicas(c.replicas()).asyncPersist(c.asyncPersist()).build();
    }

    private void init() {
        StreamConfig cfg = config;
        store.registerStorageUpdates(this::onStorageUpdate);
        store.registerMessageRemover(seq -> store.removeMessage(seq));
        store.registerMessageProposer((subject, header, payload) -> queue.offerInternal(
                new IngestQueue.Message(subject, null, header, payload, true)));
        if (cfg.allowMsgSchedules()) {
            store.registerScheduleHandler(new Scheduler());
        }
        lock.lock();
        try {
            StreamState state = store.fastState();
            lastSeq = state.lastSeq();
            jsa.updateUsage(tier, cfg.storage(), state.bytes());
            rebuildDedupe(cfg);
            applyTransforms(cfg);
            pubAckPrefix = pubAckPrefix(cfg.name(), js.domain());
            for (String subject : cfg.subjectList()) {
                subscribeSubject(subject);
            }
            if (cfg.allowDirect()) {
                subscribeDirect();
            }
        } finally {
            lock.unlock();
        }
        writer = Thread.ofVirtual().name("jnatsd-js-" + jsa.account().name() + "-" + name).unstarted(this::write);
        out = new InternalPublisher(client);
        writer.start();
    }

    private static byte[] pubAckPrefix(String name, String domain) {
        String q = ApiJson.writeString(name);
        String s = domain.isEmpty() ? "{\"stream\":" + q + ",\"seq\":"
                : "{\"stream\":" + q + ",\"domain\":" + ApiJson.writeString(domain) + ",\"seq\":";
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void applyTransforms(StreamConfig cfg) {
        SubjectTransformConfig st = cfg.subjectTransform();
        inputTransform = st == null ? null : compile(st.source(), st.destination());
        RePublish rp = cfg.republish();
        republishTransform = rp == null ? null
                : compile(rp.source().isEmpty() ? ">" : rp.source(), rp.destination().isEmpty() ? ">"
                        : rp.destination());
    }

    private static SubjectTransform compile(String src, String dest) {
        try {
            return SubjectTransform.compile(src, dest);
        } catch (SubjectTransformException e) {
            throw JsApiError.STREAM_INVALID_CONFIG.error(e.getMessage()).toException();
        }
    }

    // nats-server: stream.go subscribeToStream, subscribeInternal
    private void subscribeSubject(String subject) {
        subjectSubscriptions.put(subject, client.subscribeInternal(subject, null, this::onInbound));
    }

    // nats-server: stream.go subscribeToDirect
    private void subscribeDirect() {
        if (!directSubscriptions.isEmpty()) {
            return;
        }
        DirectGet direct = new DirectGet(this);
        directSubscriptions.add(client.subscribeInternal(DirectGet.PREFIX + name, "_sys_", direct::onRequest));
        directSubscriptions.add(client.subscribeInternal(DirectGet.PREFIX + name + ".>", "_sys_",
                direct::onLastBySubject));
    }

    private void unsubscribeDirect() {
        for (Subscription s : directSubscriptions) {
            client.unsubscribeInternal(s);
        }
        directSubscriptions.clear();
    }

    // ---- accessors ---------------------------------------------------------------------------------------------------

    /** The stream name. */
    public String name() {
        return name;
    }

    /** The configuration in force (with the static metadata). */
    public StreamConfig config() {
        return config;
    }

    /** The store. */
    public StreamStore store() {
        return store;
    }

    /** The account. */
    public JsAccount account() {
        return jsa;
    }

    /** The engine. */
    JetStream jetStream() {
        return js;
    }

    /** The internal client of the stream. */
    Connection client() {
        return client;
    }

    /** When the stream was created, nanoseconds since the epoch. */
    public long createdNanos() {
        return createdNanos;
    }

    /** The limits tier the stream counts against. */
    String tier() {
        return tier;
    }

    /** Whether the stream was stopped or deleted. */
    public boolean isClosed() {
        return closed;
    }

    /** The lock readers take to not see half of an atomic batch. */
    public ReentrantReadWriteLock isolation() {
        return isolate;
    }

    /** The state without the deleted list. */
    public StreamInfo.State state() {
        return StreamInfo.State.of(store.fastState(), consumers.size());
    }

    /** The state with the deleted list. */
    public StreamInfo.State detailedState() {
        return StreamInfo.State.of(store.state(), consumers.size());
    }

    // ---- consumers seam ------------------------------------------------------------------------------------------

    /** Attaches a consumer (it then counts for interest retention and hears about messages). */
    public void attach(StreamConsumer consumer) {
        consumers.add(consumer);
    }

    /** Detaches a consumer. */
    public void detach(StreamConsumer consumer) {
        consumers.remove(consumer);
    }

    /** The attached consumers. */
    public List<StreamConsumer> consumers() {
        return List.copyOf(consumers);
    }

    /** What the attached consumers report of themselves, for monitoring ({@code getPublicConsumers}, {@code info}). */
    // nats-server: monitor.go accountDetail (consumer_detail)
    public List<Object> consumerInfos() {
        List<Object> infos = new ArrayList<>();
        for (StreamConsumer c : consumers) {
            Object info = c.info();
            if (info != null) {
                infos.add(info);
            }
        }
        return infos;
    }

    /** The monitor that serializes creating, updating and deleting this stream's consumers. */
    public Object consumerOps() {
        return consumerOps;
    }

    /**
     * A consumer ({@code from}; null when none in particular) no longer needs the message at {@code seq}: an
     * interest or work-queue stream removes it when no other consumer needs it. Called without any consumer's lock.
     *
     * @return whether the message was removed
     */
    // nats-server: stream.go ackMsg, checkForInterestWithSubject
    public boolean ackMessage(StreamConsumer from, long seq) {
        if (seq <= 0 || closed || config.retentionOrDefault() == RetentionPolicy.LIMITS) {
            return false;
        }
        lock.lock();
        try {
            StreamState state = store.fastState();
            if (seq < state.firstSeq() || seq > state.lastSeq()) {
                return false;
            }
            String subject = store.subjectForSequence(seq);
            if (subject == null) {
                return false;
            }
            for (StreamConsumer c : consumers) {
                if (c != from && c.needAck(seq, subject)) {
                    return false;
                }
            }
            return store.removeMessage(seq);
        } finally {
            lock.unlock();
        }
    }

    private boolean hasInterest(String subject) {
        for (StreamConsumer c : consumers) {
            if (c.wants(subject)) {
                return true;
            }
        }
        return false;
    }

    // nats-server: stream.go storeUpdates
    private void onStorageUpdate(long msgsDelta, long bytesDelta, long seq, String subject) {
        if (msgsDelta == -1 && seq > 0 && subject != null) {
            for (StreamConsumer c : consumers) {
                c.onRemoved(seq, subject);
            }
        }
        jsa.updateUsage(tier, config.storage(), bytesDelta);
    }

    // ---- ingest --------------------------------------------------------------------------------------------------

    /** A publish on one of the stream's subjects, on the publisher's thread: queue it. */
    // nats-server: stream.go processInboundJetStreamMsg, queueInbound
    private void onInbound(Subscription sub, Connection publisher, String subject, String reply, byte[] header,
                           byte[] payload) {
        if (closed) {
            return;
        }
        byte[] hdr = JsHeaders.removeStatus(header);
        IngestQueue.Message m = new IngestQueue.Message(subject, reply, hdr, payload, false);
        if (inline && storeInline(m)) {
            return;
        }
        if (!queue.offer(m)) {
            LOG.warn("Dropping messages due to excessive stream ingest rate on '" + jsa.account().name() + "' > '"
                    + name + "': " + queue.overflowReason());
            if (reply != null && !reply.isEmpty()) {
                byte[] status = JsHeaders.status(429, "Too Many Requests");
                client.publishInternal(reply, null, status,
                        errorAck(JsApiError.STREAM_TOO_MANY_REQUESTS.error()));
            }
        }
    }

    /**
     * Stores {@code m} at once on the publisher's thread when the stream is idle: nothing queued, the writer not
     * busy (its polls happen under {@link #lock}, so holding the lock with an empty queue means no message is between
     * the queue and the store), the store not fsyncing every write. A synchronous publisher then gets its PubAck
     * without any thread hand-off; the acknowledgement joins the publisher's outbound buffer and is flushed after the
     * event loop's current read, with the rest of that read's acknowledgements. Otherwise the message is queued, as
     * always, and order is kept: a publisher whose earlier message is still queued finds the queue non-empty.
     *
     * @return whether the message was handled
     */
    private boolean storeInline(IngestQueue.Message m) {
        if (queue.size() != 0 || syncAlways || lock.isHeldByCurrentThread() || !lock.tryLock()) {
            return false;                           // held here: a republish loop came back to this stream
        }
        try {
            if (closed || queue.size() != 0) {
                return false;
            }
            processSafely(m);
            out.flushDeferred();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The writer: drains the queue in batches, then flushes the acknowledgements (both under {@link #lock}). */
    // nats-server: stream.go internalLoop
    private void write() {
        while (!closed) {
            if (queue.size() == 0) {
                queue.awaitMessages();
                continue;
            }
            lock.lock();
            try {
                IngestQueue.Message m;
                for (int n = 0; n < BATCH && !closed && (m = queue.poll()) != null; n++) {
                    processSafely(m);
                }
                out.flush();
            } finally {
                lock.unlock();
            }
        }
    }

    private void processSafely(IngestQueue.Message m) {
        try {
            processMessage(m);
        } catch (RuntimeException e) {
            LOG.error("JetStream failed to process a message on stream '" + jsa.account().name() + " > " + name
                    + "': " + e, e);
        }
    }

    // nats-server: stream.go internalLoop (the choice between fast batch, atomic batch and single publish)
    private void processMessage(IngestQueue.Message m) {
        if (!m.internal()) {
            String fastReply = FastBatchReply.fastBatchReply(m.reply(), m.header());
            if (fastReply != null) {
                fastBatches.process(fastReply, m);
                return;
            }
            String batchId = JsHeaders.get(m.header(), JsHeaders.BATCH_ID);
            if (batchId != null) {
                batches.process(batchId, m);
                return;
            }
        }
        isolate.writeLock().lock();
        try {
            process(m.subject(), m.reply(), m.header(), m.payload(), m.internal());
        } finally {
            isolate.writeLock().unlock();
        }
    }

    /** Replies to {@code reply} (when acks are on). */
    void respond(String reply, byte[] response) {
        if (reply != null && !reply.isEmpty() && !config.noAck()) {
            out.publish(reply, response);
        }
    }

    /** Sends to {@code reply} whether acks are on or not (fast batch flow messages). */
    void send(String reply, byte[] body) {
        if (reply != null && !reply.isEmpty()) {
            out.publish(reply, body);
        }
    }

    /** The error PubAck: {@code {"error":{...},"stream":"S","seq":0}}. */
    byte[] errorAck(ApiError error) {
        return ("{\"error\":" + ApiJson.writeString(error) + ",\"stream\":" + ApiJson.writeString(name)
                + ",\"seq\":0}").getBytes(StandardCharsets.UTF_8);
    }

    private void fail(String reply, ApiError error) {
        respond(reply, errorAck(error));
    }

    /** The success PubAck with {@code extra} JSON fields (starting with a comma) or none. */
    byte[] pubAck(long seq, String extra) {
        byte[] prefix = pubAckPrefix;
        byte[] tail = (Long.toString(seq) + (extra == null ? "" : extra) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + tail.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(tail, 0, out, prefix.length, tail.length);
        return out;
    }

    /**
     * A message that passed the checks, ready to store.
     *
     * @param subject      the subject (after the stream's subject transform)
     * @param reply        where the PubAck goes, or null
     * @param hdr          the header block to store, or null
     * @param msg          the payload to store
     * @param msgId        {@code Nats-Msg-Id}, or empty
     * @param rollupSub    roll up the subject after storing
     * @param rollupAll    roll up the stream after storing
     * @param counterValue the counter's new total, or null
     * @param ttl          the TTL in seconds (0 none, -1 never)
     * @param duplicateOf  when positive: a duplicate of this sequence, not to store
     * @param received     a message a client published (its arrays were copied for the stream), not one the server
     *                     produced
     */
    record Prepared(String subject, String reply, byte[] hdr, byte[] msg, String msgId, boolean rollupSub,
                    boolean rollupAll, String counterValue, long ttl, long duplicateOf, boolean received) {
    }

    /**
     * What an atomic batch has staged so far while its messages are checked ({@code batchStagedDiff}): message ids,
     * subjects written, expected per-subject sequences and running counter totals.
     */
    static final class BatchDiff {
        final java.util.Set<String> msgIds = new java.util.HashSet<>();
        final java.util.Set<String> inflight = new java.util.HashSet<>();
        final Map<String, Long> expectedPerSubject = new HashMap<>();
        final Map<String, BigInteger> counters = new HashMap<>();
    }

    /** A refused message: the error, and whether it is answered. */
    static final class Refused extends RuntimeException {
        final transient ApiError error;

        Refused(ApiError error) {
            super(error.description(), null, false, false);
            this.error = error;
        }
    }

    /**
     * The checks a batch message (atomic or fast) passes first, in nats-server's order: sealed, the server's and the
     * account's resource limits, the message size. Caller holds {@link #lock}.
     *
     * @param log log the refusals (the fast batch path does, as nats-server)
     * @return the refusal, or null
     */
    // nats-server: stream.go processJetStreamAtomicBatchMsg / processJetStreamFastBatchMsg (their common start)
    ApiError batchEntryError(IngestQueue.Message m, boolean log) {
        StreamConfig cfg = config;
        if (cfg.sealed()) {
            return JsApiError.STREAM_SEALED.error();
        }
        if (js.wouldExceedLimits(cfg.storage(), 0)) {
            if (log) {
                LOG.error("JetStream " + cfg.storage().name().toLowerCase(java.util.Locale.ROOT)
                        + " resource limits exceeded for server");
            }
            return JsApiError.INSUFFICIENT_RESOURCES.error();
        }
        int hl = m.header() == null ? 0 : m.header().length;
        int pl = m.payload() == null ? 0 : m.payload().length;
        long size = cfg.storage() == StorageType.MEMORY ? JsHeaders.memStoreMsgSize(m.subject(), hl, pl)
                : JsHeaders.fileStoreMsgSize(m.subject(), hl, pl);
        Boolean exceeded = jsa.wouldExceedLimits(cfg.storage(), tier(), cfg.replicas(), size);
        if (exceeded == null || exceeded) {
            ApiError error = exceeded == null ? JsApiError.NO_LIMITS.error()
                    : JsApiError.ACCOUNT_RESOURCES_EXCEEDED.error();
            if (log) {
                LOG.warn("JetStream account limits exceeded for '" + jsa.account().name() + "': "
                        + error.description());
            }
            return error;
        }
        if (cfg.maxMsgSize() >= 0 && (hl > cfg.maxMsgSize() || pl > cfg.maxMsgSize() - hl)) {
            if (log) {
                LOG.warn("JetStream message size exceeds limits for '" + jsa.account().name() + " > " + name + "'");
            }
            return JsApiError.STREAM_MESSAGE_EXCEEDS_MAXIMUM.error();
        }
        return null;
    }

    /**
     * Stores one message with nats-server's checks, in nats-server's order, and answers it. Caller holds
     * {@link #lock} (and {@link #isolate} for writing).
     *
     * @param internal a message the server produced (subject delete marker, scheduled message): fewer checks
     * @return the stored sequence, or 0 when refused
     */
    // nats-server: stream.go processJetStreamMsgWithBatch (standalone)
    long process(String subject, String reply, byte[] hdr, byte[] msg, boolean internal) {
        Prepared p;
        try {
            p = prepare(subject, reply, hdr, msg, internal, null);
        } catch (Refused r) {
            fail(reply, r.error);
            return 0;
        }
        if (p.duplicateOf() > 0) {
            respond(reply, pubAck(p.duplicateOf(), ",\"duplicate\": true"));
            return 0;
        }
        return apply(p, p.counterValue() == null ? null : ",\"val\":\"" + p.counterValue() + "\"");
    }

    /**
     * The checks of one message, up to the store ({@code processJetStreamMsgWithBatch} before {@code StoreMsg}, and
     * {@code checkMsgHeadersPreClusteredProposal} for batches).
     *
     * @param diff the batch being checked, or null for a single message
     * @throws Refused with the error to answer
     */
    Prepared prepare(String subjectIn, String reply, byte[] hdrIn, byte[] msgIn, boolean internal, BatchDiff diff) {
        StreamConfig cfg = config;
        String subject = subjectIn;
        byte[] hdr = hdrIn;
        byte[] msg = msgIn == null ? new byte[0] : msgIn;
        SubjectTransform itr = inputTransform;
        if (itr != null) {
            String t = itr.match(subject);
            if (t != null) {
                subject = t;
            }
        }
        int hdrLength = hdr == null ? 0 : hdr.length;
        if (cfg.storage() == StorageType.FILE
                && JsHeaders.fileStoreMsgSize(subject, hdrLength, msg.length) > MAX_FILE_RECORD) {
            throw new Refused(JsApiError.STREAM_STORE_FAILED.error(StoreError.MSG_TOO_LARGE.text()));
        }
        if (cfg.sealed()) {
            throw new Refused(JsApiError.STREAM_SEALED.error());
        }
        if (hdr != null) {
            hdr = JsHeaders.remove(hdr, JsHeaders.REQUEST_INFO);
        }
        String msgId = "";
        BigInteger incr = null;
        boolean rollupSub = false;
        boolean rollupAll = false;
        if (hdr != null) {
            String incrText = JsHeaders.get(hdr, JsHeaders.INCR);
            if (incrText != null && !incrText.isEmpty()) {
                try {
                    incr = new BigInteger(incrText);
                } catch (NumberFormatException e) {
                    throw new Refused(JsApiError.MESSAGE_INCR_INVALID.error());
                }
                if (!internal) {
                    if (!cfg.allowMsgCounter()) {
                        throw new Refused(JsApiError.MESSAGE_INCR_DISABLED.error());
                    } else if (msg.length > 0) {
                        throw new Refused(JsApiError.MESSAGE_INCR_PAYLOAD.error());
                    } else if (JsHeaders.has(hdr, JsHeaders.ROLLUP) || JsHeaders.has(hdr, JsHeaders.EXPECTED_STREAM)
                            || JsHeaders.has(hdr, JsHeaders.EXPECTED_LAST_MSG_ID)
                            || JsHeaders.has(hdr, JsHeaders.EXPECTED_LAST_SUBJ_SEQ_SUBJ)
                            || JsHeaders.has(hdr, JsHeaders.EXPECTED_LAST_SEQ)
                            || JsHeaders.has(hdr, JsHeaders.EXPECTED_LAST_SUBJ_SEQ)) {
                        throw new Refused(JsApiError.MESSAGE_INCR_INVALID.error());
                    }
                }
            }
            String expectedStream = JsHeaders.get(hdr, JsHeaders.EXPECTED_STREAM);
            if (expectedStream != null && !expectedStream.isEmpty() && !expectedStream.equals(name)) {
                throw new Refused(JsApiError.STREAM_NOT_MATCH.error());
            }
            if (!internal && !cfg.allowMsgTtl() && ttlOf(hdr) != 0) {
                throw new Refused(JsApiError.MESSAGE_TTL_DISABLED.error());
            }
            String subjSeq = JsHeaders.get(hdr, JsHeaders.EXPECTED_LAST_SUBJ_SEQ);
            if (subjSeq != null && !subjSeq.isEmpty()) {
                long seq = JsHeaders.parseInt64(subjSeq);
                String seqSubj = subject;
                String optSubj = JsHeaders.get(hdr, JsHeaders.EXPECTED_LAST_SUBJ_SEQ_SUBJ);
                if (optSubj != null && !optSubj.isEmpty()) {
                    seqSubj = optSubj;
                }
                if (diff != null && diff.inflight.contains(seqSubj)) {
                    throw new Refused(JsApiError.STREAM_WRONG_LAST_SEQUENCE_CONSTANT.error());
                }
                Long staged = diff == null ? null : diff.expectedPerSubject.get(seqSubj);
                long fseq;
                if (staged != null) {
                    fseq = staged;
                } else {
                    StoredMessage last = store.loadLastMessage(seqSubj, null);
                    fseq = last == null ? 0 : last.sequence();
                }
                if (fseq != seq) {
                    throw new Refused(JsApiError.STREAM_WRONG_LAST_SEQUENCE.error(fseq));
                }
                if (diff != null) {
                    diff.expectedPerSubject.put(seqSubj, fseq);
                }
            } else if (JsHeaders.has(hdr, JsHeaders.EXPECTED_LAST_SUBJ_SEQ_SUBJ)) {
                throw new Refused(JsApiError.STREAM_EXPECTED_LAST_SEQ_PER_SUBJECT_INVALID.error());
            }
            String lastSeqText = JsHeaders.get(hdr, JsHeaders.EXPECTED_LAST_SEQ);
            if (lastSeqText != null && !lastSeqText.isEmpty()) {
                if (JsHeaders.parseInt64(lastSeqText) != lastSeq) {
                    throw new Refused(JsApiError.STREAM_WRONG_LAST_SEQUENCE.error(lastSeq));
                }
                if (diff != null && !diff.inflight.isEmpty()) {
                    throw new Refused(JsApiError.STREAM_WRONG_LAST_SEQUENCE_CONSTANT.error());
                }
            }
            if (!internal) {
                ApiError scheduleError = checkSchedule(cfg, subject, hdr);
                if (scheduleError != null) {
                    throw new Refused(scheduleError);
                }
                if (JsHeaders.has(hdr, JsHeaders.SCHEDULE) && !JsHeaders.has(hdr, JsHeaders.ROLLUP)) {
                    hdr = JsHeaders.append(hdr, JsHeaders.ROLLUP, JsHeaders.ROLLUP_SUBJECT);
                }
                ApiError schedulerError = checkScheduler(cfg, subject, hdr);
                if (schedulerError != null) {
                    throw new Refused(schedulerError);
                }
                if (JsHeaders.has(hdr, JsHeaders.STREAM_SOURCE)) {
                    throw new Refused(JsApiError.MESSAGE_SOURCE_HDR_NOT_ALLOWED.error());
                }
            }
            String id = JsHeaders.get(hdr, JsHeaders.MSG_ID);
            if (id != null && !id.isEmpty()) {
                msgId = id;
                long dup = dedupe.check(id, js.storeEnvironment().nowNanos(), cfg.duplicateWindowNanos());
                if (diff != null) {
                    if (dup > 0 || !diff.msgIds.add(id)) {
                        throw new Refused(JsApiError.ATOMIC_PUBLISH_CONTAINS_DUPLICATE_MESSAGE.error());
                    }
                } else if (dup > 0) {
                    return new Prepared(subject, reply, hdr, msg, msgId, false, false, null, 0, dup, !internal);
                }
            }
            String lastId = JsHeaders.get(hdr, JsHeaders.EXPECTED_LAST_MSG_ID);
            if (lastId != null && !lastId.isEmpty() && !lastId.equals(lastMsgId)) {
                throw new Refused(JsApiError.STREAM_WRONG_LAST_MSG_ID.error(lastMsgId));
            }
            String rollup = JsHeaders.get(hdr, JsHeaders.ROLLUP);
            if (rollup != null && !rollup.isEmpty()) {
                if (!internal && (!cfg.allowRollup() || cfg.denyPurge())) {
                    throw new Refused(JsApiError.STREAM_ROLLUP_FAILED.error("rollup not permitted"));
                }
                switch (rollup.toLowerCase(java.util.Locale.ROOT)) {
                    case JsHeaders.ROLLUP_SUBJECT -> {
                        if (diff != null && diff.inflight.contains(subject)) {
                            throw new Refused(JsApiError.STREAM_ROLLUP_FAILED.error("batch rollup sub invalid"));
                        }
                        rollupSub = true;
                    }
                    case JsHeaders.ROLLUP_ALL -> {
                        if (diff != null && !diff.inflight.isEmpty()) {
                            throw new Refused(JsApiError.STREAM_ROLLUP_FAILED.error("batch rollup all invalid"));
                        }
                        rollupAll = true;
                    }
                    default -> throw new Refused(JsApiError.STREAM_ROLLUP_FAILED.error("rollup value invalid: "
                            + io.jnatsd.common.GoQuote.quote(rollup.toLowerCase(java.util.Locale.ROOT))));
                }
            }
        }
        String counterValue = null;
        if (!internal && incr == null && cfg.allowMsgCounter()) {
            throw new Refused(JsApiError.MESSAGE_INCR_MISSING.error());
        }
        if (incr != null && cfg.allowMsgCounter()) {
            BigInteger total = diff == null ? null : diff.counters.get(subject);
            if (total == null) {
                total = BigInteger.ZERO;
                StoredMessage last = store.loadLastMessage(subject, null);
                if (last != null) {
                    BigInteger previous = Counters.value(last.payload());
                    if (previous == null) {
                        throw new Refused(JsApiError.MESSAGE_COUNTER_BROKEN.error());
                    }
                    total = previous;
                }
            }
            total = total.add(incr);
            if (diff != null) {
                diff.counters.put(subject, total);
            }
            counterValue = total.toString();
            msg = ("{\"val\":\"" + counterValue + "\"}").getBytes(StandardCharsets.UTF_8);
            long maxPayload = js.host().maxPayloadBytes();
            if (cfg.maxMsgSize() >= 0 && cfg.maxMsgSize() < maxPayload) {
                maxPayload = cfg.maxMsgSize();
            }
            long hl = hdr == null ? 0 : hdr.length;
            if (hl > maxPayload || msg.length > maxPayload - hl) {
                throw new Refused(JsApiError.STREAM_MESSAGE_EXCEEDS_MAXIMUM.error());
            }
        }
        hdrLength = hdr == null ? 0 : hdr.length;
        int maxMsgSize = cfg.maxMsgSize();
        if (maxMsgSize >= 0 && (hdrLength > maxMsgSize || msg.length > maxMsgSize - hdrLength)) {
            throw new Refused(JsApiError.STREAM_MESSAGE_EXCEEDS_MAXIMUM.error());
        }
        if (hdrLength > 65535) {
            throw new Refused(JsApiError.STREAM_HEADER_EXCEEDS_MAXIMUM.error());
        }
        if (js.wouldExceedLimits(cfg.storage(), 0)) {
            LOG.error("JetStream " + cfg.storage().name().toLowerCase(java.util.Locale.ROOT)
                    + " resource limits exceeded for server");
            throw new Refused(JsApiError.INSUFFICIENT_RESOURCES.error());
        }
        long size = cfg.storage() == StorageType.MEMORY ? JsHeaders.memStoreMsgSize(subject, hdrLength, msg.length)
                : JsHeaders.fileStoreMsgSize(subject, hdrLength, msg.length);
        Boolean exceeded = jsa.wouldExceedLimits(cfg.storage(), tier, cfg.replicas(), size);
        if (exceeded == null || exceeded) {
            throw new Refused(exceeded == null ? JsApiError.NO_LIMITS.error()
                    : JsApiError.ACCOUNT_RESOURCES_EXCEEDED.error());
        }
        long ttl;
        try {
            ttl = hdr == null ? 0 : parseTtl(hdr);
        } catch (IllegalArgumentException e) {
            throw new Refused(JsApiError.MESSAGE_TTL_INVALID.error());
        }
        if (ttl > 0 && cfg.subjectDeleteMarkerTtlNanos() > 0 && cfg.maxMsgsPerSubject() != 1) {
            long minTtl = cfg.subjectDeleteMarkerTtlNanos() / 1_000_000_000L;
            if (ttl < minTtl) {
                ttl = minTtl;
                hdr = JsHeaders.append(JsHeaders.remove(hdr, JsHeaders.TTL), JsHeaders.TTL, Long.toString(ttl));
            }
        }
        if (diff != null) {
            diff.inflight.add(subject);
        }
        return new Prepared(subject, reply, hdr, msg, msgId, rollupSub, rollupAll, counterValue, ttl, 0, !internal);
    }

    /**
     * Stores a checked message, then roll-up, republish, the PubAck (with {@code ackExtra} JSON fields) and the
     * consumers' signal. Caller holds {@link #lock}.
     *
     * @return the stored sequence, or 0 when the store refused it
     */
    long apply(Prepared p, String ackExtra) {
        return apply(p, ackExtra, true);
    }

    /**
     * {@link #apply(Prepared, String)}, answering with the PubAck only when {@code ack} (a fast batch acknowledges
     * on its own terms); refusals from the store are answered either way.
     */
    long apply(Prepared p, String ackExtra, boolean ack) {
        StreamConfig cfg = config;
        String subject = p.subject();
        String reply = p.reply();
        if (cfg.retention() == RetentionPolicy.INTEREST && !hasInterest(subject)) {
            lastSeq = store.skipMessageNoInterest(0);
            lastMsgId = p.msgId();
            if (!p.msgId().isEmpty()) {
                dedupe.store(p.msgId(), lastSeq, js.storeEnvironment().nowNanos(), cfg.duplicateWindowNanos());
            }
            if (cfg.allowRollup() && !cfg.denyPurge()) {
                rollup(subject, p.rollupSub(), p.rollupAll(), p.hdr(), 0);
            }
            if (ack) {
                respond(reply, pubAck(lastSeq, ackExtra));
            }
            return lastSeq;
        }
        String republishSubject = null;
        long republishLast = 0;
        SubjectTransform rtr = republishTransform;
        if (rtr != null) {
            republishSubject = rtr.match(subject);
            if (republishSubject != null && !Subjects.isValidPublishSubject(republishSubject)) {
                LOG.warn("Stream '" + jsa.account().name() + " > " + name
                        + "' suppressing republish with invalid subject " + io.jnatsd.common.GoQuote.quote(
                        republishSubject));
                republishSubject = null;
            }
            if (republishSubject != null) {
                StoredMessage prev = store.loadLastMessage(subject, null);
                republishLast = prev == null ? 0 : prev.sequence();
            }
        }
        long seq;
        long ts;
        try {
            // a received message's arrays are its own (the internal subscription copied them out of the read buffer):
            // the store may keep them, unless a republish still reads the payload after the store
            seq = p.received() && republishSubject == null
                    ? store.storeMessageHandedOver(subject, p.hdr(), p.msg(), p.ttl())
                    : store.storeMessage(subject, p.hdr(), p.msg(), p.ttl());
            ts = js.storeEnvironment().nowNanos();
        } catch (StoreException e) {
            switch (e.error()) {
                case MAX_MSGS, MAX_BYTES, MAX_MSGS_PER_SUBJECT, MSG_TOO_LARGE, CLOSED -> LOG.debug(
                        "JetStream failed to store a msg on stream '" + jsa.account().name() + " > " + name + "': "
                                + e.getMessage());
                default -> {
                    LOG.error("JetStream failed to store a msg on stream '" + jsa.account().name() + " > " + name
                            + "': " + e.getMessage());
                    return 0;
                }
            }
            fail(reply, JsApiError.STREAM_STORE_FAILED.error(e.getMessage()));
            return 0;
        }
        lastMsgId = p.msgId();
        lastSeq = seq;
        if (!p.msgId().isEmpty()) {
            dedupe.store(p.msgId(), seq, ts, cfg.duplicateWindowNanos());
        }
        if (cfg.allowRollup() && !cfg.denyPurge()) {
            rollup(subject, p.rollupSub(), p.rollupAll(), p.hdr(), 1);
        }
        if (republishSubject != null) {
            republish(cfg, republishSubject, subject, p.hdr(), p.msg(), seq, ts, republishLast);
        }
        if (ack) {
            respond(reply, pubAck(seq, ackExtra));
        }
        for (StreamConsumer c : consumers) {
            c.onStored(seq, subject);
        }
        return seq;
    }

    /** The last sequence (stored or skipped). Caller holds {@link #lock}. */
    long lastSeqLocked() {
        return lastSeq;
    }

    /** The stream's lock (the writer and every change take it). */
    ReentrantLock lock() {
        return lock;
    }

    /** {@code Nats-TTL} in seconds (0 none, -1 never); invalid counts as present. */
    private static long ttlOf(byte[] hdr) {
        String ttl = JsHeaders.get(hdr, JsHeaders.TTL);
        if (ttl == null || ttl.isEmpty()) {
            return 0;
        }
        try {
            return NatsHeaders.parseTtl(ttl);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private static long parseTtl(byte[] hdr) {
        String ttl = JsHeaders.get(hdr, JsHeaders.TTL);
        return ttl == null || ttl.isEmpty() ? 0 : NatsHeaders.parseTtl(ttl);
    }

    /** The schedule header checks; null when fine. */
    // nats-server: stream.go processJetStreamMsgWithBatch (message schedules)
    private ApiError checkSchedule(StreamConfig cfg, String subject, byte[] hdr) {
        MessageSchedules.Next next;
        try {
            next = MessageSchedules.next(hdr, js.storeEnvironment().nowNanos(), js.storeEnvironment().nowNanos());
        } catch (MessageSchedules.ScheduleException e) {
            return cfg.allowMsgSchedules() ? e.error() : JsApiError.MESSAGE_SCHEDULES_DISABLED.error();
        }
        if (next == null || next.epochNanos() == 0) {
            return null;
        }
        if (!cfg.allowMsgSchedules()) {
            return JsApiError.MESSAGE_SCHEDULES_DISABLED.error();
        }
        String ttl = MessageSchedules.ttl(hdr);
        if (ttl == null) {
            return JsApiError.MESSAGE_SCHEDULES_TTL_INVALID.error();
        }
        String scheduleRollup = JsHeaders.get(hdr, JsHeaders.SCHEDULE_ROLLUP);
        if (scheduleRollup != null && !scheduleRollup.isEmpty() && !scheduleRollup.equals(JsHeaders.ROLLUP_SUBJECT)) {
            return JsApiError.MESSAGE_SCHEDULES_ROLLUP_INVALID.error();
        }
        if (!ttl.isEmpty() && !cfg.allowMsgTtl()) {
            return JsApiError.MESSAGE_TTL_DISABLED.error();
        }
        String target = JsHeaders.get(hdr, JsHeaders.SCHEDULE_TARGET);
        if (target == null || target.isEmpty() || !Subjects.isValidPublishSubject(target) || target.equals(subject)) {
            return JsApiError.MESSAGE_SCHEDULES_TARGET_INVALID.error();
        }
        String source = JsHeaders.get(hdr, JsHeaders.SCHEDULE_SOURCE);
        if (source != null && !source.isEmpty() && (source.equals(target) || source.equals(subject)
                || !Subjects.isValidPublishSubject(source))) {
            return JsApiError.MESSAGE_SCHEDULES_SOURCE_INVALID.error();
        }
        if (cfg.subjectList().stream().noneMatch(s -> Subjects.subjectsCollide(s, target))) {
            return JsApiError.MESSAGE_SCHEDULES_TARGET_INVALID.error();
        }
        if (source != null && !source.isEmpty()
                && cfg.subjectList().stream().noneMatch(s -> Subjects.subjectsCollide(s, source))) {
            return JsApiError.MESSAGE_SCHEDULES_SOURCE_INVALID.error();
        }
        String rollup = JsHeaders.get(hdr, JsHeaders.ROLLUP);
        if (rollup != null && !rollup.isEmpty() && !rollup.toLowerCase(java.util.Locale.ROOT)
                .equals(JsHeaders.ROLLUP_SUBJECT)) {
            return JsApiError.MESSAGE_SCHEDULES_ROLLUP_INVALID.error();
        }
        return null;
    }

    /** The {@code Nats-Scheduler} / {@code Nats-Schedule-Next} checks of a client publish; null when fine. */
    private ApiError checkScheduler(StreamConfig cfg, String subject, byte[] hdr) {
        String next = JsHeaders.get(hdr, JsHeaders.SCHEDULE_NEXT);
        String scheduler = JsHeaders.get(hdr, JsHeaders.SCHEDULER);
        if (next != null && !next.isEmpty()) {
            if (!next.equals(NatsHeaders.SCHEDULE_NEXT_PURGE)) {
                return JsApiError.MESSAGE_SCHEDULES_SCHEDULER_INVALID.error();
            }
            if (scheduler == null || scheduler.isEmpty() || scheduler.equals(subject)
                    || !Subjects.isValidPublishSubject(scheduler)) {
                return JsApiError.MESSAGE_SCHEDULES_SCHEDULER_INVALID.error();
            }
            if (!cfg.allowMsgSchedules()) {
                return JsApiError.MESSAGE_SCHEDULES_DISABLED.error();
            }
            StoredMessage sm = store.loadLastMessage(scheduler, null);
            if (sm != null && !JsHeaders.has(sm.header(), JsHeaders.SCHEDULE)) {
                return JsApiError.MESSAGE_SCHEDULES_SCHEDULER_INVALID.error();
            }
        } else if (scheduler != null && !scheduler.isEmpty()) {
            return JsApiError.MESSAGE_SCHEDULES_SCHEDULER_INVALID.error();
        }
        return null;
    }

    // nats-server: stream.go processJetStreamMsgWithRollup
    private void rollup(String subject, boolean rollupSub, boolean rollupAll, byte[] hdr, long keep) {
        if (rollupSub) {
            purgeLocked(subject, 0, keep);
        } else if (rollupAll) {
            purgeLocked("", 0, keep);
        }
        String next = JsHeaders.get(hdr, JsHeaders.SCHEDULE_NEXT);
        if (NatsHeaders.SCHEDULE_NEXT_PURGE.equals(next)) {
            String scheduler = JsHeaders.get(hdr, JsHeaders.SCHEDULER);
            if (scheduler != null && !scheduler.isEmpty()) {
                purgeLocked(scheduler, 0, 0);
            }
        }
    }

    // nats-server: stream.go processJetStreamMsgWithBatch (republish)
    private void republish(StreamConfig cfg, String to, String subject, byte[] hdr, byte[] msg, long seq, long ts,
                           long lastSubjectSeq) {
        boolean headersOnly = cfg.republish() != null && cfg.republish().headersOnly();
        String tail = JsHeaders.STREAM + ": " + name + "\r\n" + JsHeaders.SUBJECT + ": " + subject + "\r\n"
                + JsHeaders.SEQUENCE + ": " + seq + "\r\n" + JsHeaders.TIME_STAMP + ": " + StreamInfo.time(ts)
                + "\r\n" + JsHeaders.LAST_SEQUENCE + ": " + lastSubjectSeq + "\r\n"
                + (headersOnly ? JsHeaders.MSG_SIZE + ": " + msg.length + "\r\n" : "") + "\r\n";
        byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
        byte[] header;
        if (hdr == null || hdr.length == 0) {
            byte[] line = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
            header = new byte[line.length + tailBytes.length];
            System.arraycopy(line, 0, header, 0, line.length);
            System.arraycopy(tailBytes, 0, header, line.length, tailBytes.length);
        } else {
            header = new byte[hdr.length - 2 + tailBytes.length];
            System.arraycopy(hdr, 0, header, 0, hdr.length - 2);
            System.arraycopy(tailBytes, 0, header, hdr.length - 2, tailBytes.length);
        }
        byte[] body = headersOnly ? new byte[0] : msg;
        out.publish(to, null, header, 0, header.length, body, 0, body.length);
    }

    // ---- dedupe --------------------------------------------------------------------------------------------------

    // nats-server: stream.go rebuildDedupe
    private void rebuildDedupe(StreamConfig cfg) {
        long window = cfg.duplicateWindowNanos();
        if (window <= 0) {
            return;
        }
        long now = js.storeEnvironment().nowNanos();
        long start = store.sequenceFromTime(now - window);
        StreamState state = store.fastState();
        StoredMessage sm = new StoredMessage();
        for (long seq = Math.max(start, state.firstSeq()); seq > 0 && seq <= state.lastSeq(); seq++) {
            if (store.loadMessage(seq, sm) == null) {
                continue;
            }
            String id = sm.headerLength() == 0 ? null
                    : NatsHeaders.value(sm.buffer(), 0, sm.headerLength(), JsHeaders.MSG_ID);
            if (id != null && !id.isEmpty()) {
                dedupe.store(id, seq, sm.timestampNanos(), window);
            }
            if (seq == state.lastSeq()) {
                lastMsgId = id == null ? "" : id;
            }
        }
    }

    /** The dedupe map: message id to sequence, with the ids in arrival order for expiry. Guarded by the lock. */
    // nats-server: stream.go ddmap, ddarr, checkMsgId, storeMsgIdLocked, purgeMsgIds
    private static final class Dedupe {
        private record Entry(String id, long seq, long ts) {
        }

        private final Map<String, Entry> byId = new HashMap<>();
        private final ArrayDeque<Entry> order = new ArrayDeque<>();

        long check(String id, long now, long window) {
            expire(now, window);
            Entry e = byId.get(id);
            return e == null ? 0 : e.seq;
        }

        void store(String id, long seq, long ts, long window) {
            if (window <= 0) {
                return;
            }
            Entry e = new Entry(id, seq, ts);
            byId.put(id, e);
            order.addLast(e);
            expire(ts, window);
        }

        private void expire(long now, long window) {
            while (!order.isEmpty() && now - order.peekFirst().ts >= window) {
                Entry e = order.pollFirst();
                byId.remove(e.id, e);
            }
        }
    }

    // ---- operations ----------------------------------------------------------------------------------------------

    /**
     * Purges as {@code STREAM.PURGE} says ({@code subject} empty for all, {@code seq} 0 for no bound, {@code keep} 0
     * to keep none).
     *
     * @return how many messages were removed
     */
    // nats-server: stream.go purge
    public long purge(String subject, long seq, long keep) {
        lock.lock();                                // the writer's order: stream lock, then isolation
        isolate.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("stream closed");
            }
            if (config.sealed()) {
                throw new IllegalStateException("sealed stream");
            }
            return purgeLocked(subject == null ? "" : subject, seq, keep);
        } finally {
            isolate.writeLock().unlock();
            lock.unlock();
        }
    }

    // nats-server: stream.go purgeLocked
    private long purgeLocked(String subject, long seq, long keep) {
        long purged = subject.isEmpty() && seq == 0 && keep == 0 ? store.purge() : store.purge(subject, seq, keep);
        StreamState state = store.fastState();
        if (state.lastSeq() > lastSeq) {
            lastSeq = state.lastSeq();
        }
        long first = state.firstSeq();
        if (!subject.isEmpty()) {
            first = store.filteredState(first, subject).first();
        }
        for (StreamConsumer c : consumers) {
            c.onPurged(first, state.lastSeq(), subject);
        }
        return purged;
    }

    /**
     * Deletes the message at {@code seq}, overwriting it unless {@code noErase}.
     *
     * @return false when there is none
     */
    // nats-server: stream.go deleteMsg, eraseMsg
    public boolean deleteMessage(long seq, boolean noErase) {
        if (closed) {
            throw new IllegalStateException("stream closed");
        }
        isolate.writeLock().lock();
        try {
            return noErase ? store.removeMessage(seq) : store.eraseMessage(seq);
        } finally {
            isolate.writeLock().unlock();
        }
    }

    /**
     * Applies a new configuration (already validated and checked against the update rules and limits): subscriptions,
     * direct gets, transforms, tier, reservations, the store's limits, and the update advisory.
     */
    // nats-server: stream.go updateWithAdvisory (from the subject changes on)
    void update(StreamConfig next) {
        StreamConfig old;
        lock.lock();
        try {
            old = config;
            Map<String, Subscription> current = new LinkedHashMap<>(subjectSubscriptions);
            for (String s : next.subjectList()) {
                if (current.remove(s) == null) {
                    subscribeSubject(s);
                }
            }
            for (Map.Entry<String, Subscription> e : current.entrySet()) {
                client.unsubscribeInternal(e.getValue());
                subjectSubscriptions.remove(e.getKey());
            }
            if (next.allowDirect() != old.allowDirect()) {
                if (next.allowDirect()) {
                    subscribeDirect();
                } else {
                    unsubscribeDirect();
                }
            }
            applyTransforms(next);
            String targetTier = JsAccount.tierName(next.replicas());
            if (!targetTier.equals(tier) && jsa.limits().containsKey(targetTier)) {
                long bytes = store.fastState().bytes();
                jsa.updateUsage(tier, next.storage(), -bytes);
                jsa.updateUsage(targetTier, next.storage(), bytes);
                tier = targetTier;
            }
            if (!next.allowAtomic()) {
                batches.clear();
            }
            if (!next.allowBatched()) {
                fastBatches.clear();
            }
            config = next;
            if (next.allowMsgSchedules() && !old.allowMsgSchedules()) {
                store.registerScheduleHandler(new Scheduler());
            }
        } finally {
            lock.unlock();
        }
        long diff = Math.max(next.maxBytes(), 0) - Math.max(old.maxBytes(), 0);
        if (diff != 0) {
            js.reserve(next.storage(), diff);
        }
        store.updateConfig(storeConfig(next));
        if (store instanceof FileStreamStore fs) {
            fs.updateMeta(metaJson(next, createdNanos));
        }
        js.advisories().streamAction(jsa.account(), Advisories.STREAM_UPDATED, name, "modify");
    }

    /**
     * Stops the stream: unsubscribes, stops the writer, releases its reservation, and either keeps the store (server
     * shutdown, account disabled) or deletes it.
     */
    // nats-server: stream.go stop
    void stop(boolean delete) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Subscription s : subjectSubscriptions.values()) {
                client.unsubscribeInternal(s);
            }
            subjectSubscriptions.clear();
            unsubscribeDirect();
            batches.clear();
            fastBatches.clear();
        } finally {
            lock.unlock();
        }
        queue.close();
        if (writer != null && Thread.currentThread() != writer) {
            try {
                writer.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (StreamConsumer c : consumers) {
            c.onStreamStopped(delete);
        }
        StreamConfig cfg = config;
        if (cfg.maxBytes() > 0) {
            js.reserve(cfg.storage(), -cfg.maxBytes());
        }
        long bytes = store.fastState().bytes();
        if (delete) {
            store.delete();
        } else {
            store.stop();
        }
        jsa.updateUsage(tier, cfg.storage(), -bytes);
    }

    // ---- schedules -----------------------------------------------------------------------------------------------

    /** The stream's part of message schedules: what patterns mean and what a firing stores. */
    // nats-server: scheduler.go getScheduledMessages
    private final class Scheduler implements ScheduleHandler {

        @Override
        public long nextFireTimeNanos(byte[] header, int headerOffset, int headerLength, long timestampNanos) {
            byte[] hdr = java.util.Arrays.copyOfRange(header, headerOffset, headerOffset + headerLength);
            try {
                MessageSchedules.Next next = MessageSchedules.next(hdr, timestampNanos,
                        js.storeEnvironment().nowNanos());
                return next == null ? 0 : next.epochNanos();
            } catch (MessageSchedules.ScheduleException e) {
                return 0;
            }
        }

        @Override
        public boolean onScheduleDue(StoredMessage schedule) {
            byte[] hdr = schedule.header();
            String pattern = JsHeaders.get(hdr, JsHeaders.SCHEDULE);
            if (pattern == null || pattern.isEmpty()) {
                return false;
            }
            MessageSchedules.Next next;
            try {
                next = MessageSchedules.parse(pattern, MessageSchedules.zone(hdr), schedule.timestampNanos(),
                        js.storeEnvironment().nowNanos());
            } catch (MessageSchedules.InvalidSchedule | MessageSchedules.ScheduleException e) {
                return false;
            }
            String ttl = MessageSchedules.ttl(hdr);
            String target = JsHeaders.get(hdr, JsHeaders.SCHEDULE_TARGET);
            if (ttl == null || target == null || target.isEmpty()) {
                return false;
            }
            String rollup = JsHeaders.get(hdr, JsHeaders.SCHEDULE_ROLLUP);
            String source = JsHeaders.get(hdr, JsHeaders.SCHEDULE_SOURCE);
            String subject = schedule.subject();
            byte[] body = schedule.payload();
            byte[] out = hdr;
            if (source != null && !source.isEmpty()) {
                StoredMessage src = store.loadLastMessage(source, null);
                if (src != null) {
                    out = src.header();
                    body = src.payload();
                }
            }
            out = removePrefixed(out, "Nats-Schedule");
            out = removePrefixed(out, "Nats-Expected-");
            out = JsHeaders.remove(out, JsHeaders.MSG_ID);
            out = JsHeaders.remove(out, JsHeaders.TTL);
            out = JsHeaders.remove(out, JsHeaders.ROLLUP);
            out = JsHeaders.remove(out, JsHeaders.SCHEDULER);
            out = JsHeaders.append(out, JsHeaders.SCHEDULER, subject);
            out = JsHeaders.append(out, JsHeaders.SCHEDULE_NEXT, next.repeat() ? StreamInfo.time(next.epochNanos())
                    : NatsHeaders.SCHEDULE_NEXT_PURGE);
            if (!ttl.isEmpty()) {
                out = JsHeaders.append(out, JsHeaders.TTL, ttl);
            }
            if (rollup != null && !rollup.isEmpty()) {
                out = JsHeaders.append(out, JsHeaders.ROLLUP, rollup);
            }
            queue.offerInternal(new IngestQueue.Message(target, null, out, body, true));
            return true;
        }
    }

    /** {@code hdr} without every header whose key starts with {@code prefix} ({@code removeHeaderIfPrefixPresent}). */
    static byte[] removePrefixed(byte[] hdr, String prefix) {
        if (hdr == null) {
            return null;
        }
        String text = new String(hdr, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n", -1);
        StringBuilder b = new StringBuilder(lines[0]).append("\r\n");
        int kept = 0;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.startsWith(prefix)) {
                continue;
            }
            b.append(line).append("\r\n");
            kept++;
        }
        if (kept == 0) {
            return null;
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
