package io.jnatsd.server.jetstream.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.jnatsd.common.Nuid;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.jetstream.JetStreamHashes;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.server.jetstream.Stream;
import io.jnatsd.server.jetstream.StreamConfig;
import io.jnatsd.server.jetstream.StreamConfigChecks;
import io.jnatsd.server.jetstream.StreamConsumer;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.server.jetstream.api.JsApiError;
import io.jnatsd.store.AckPolicy;
import io.jnatsd.store.ConsumerStore;
import io.jnatsd.store.ConsumerStoreConfig;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.StoreException;
import io.jnatsd.store.StreamState;
import io.jnatsd.store.file.FileStreamStore;
import io.jnatsd.subject.Subjects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Creating, updating, finding, deleting and recovering a stream's consumers, with nats-server's checks in its order
 * ({@code server/consumer.go addConsumerWithAssignmentAndMode}, {@code stream.go deleteConsumer}). Creates and deletes
 * of one stream are serialized by the stream's {@link Stream#consumerOps()} monitor. Stateless; thread-safe.
 */
// nats-server: consumer.go addConsumerWithAssignmentAndMode, stopWithFlags; stream.go partitionUnique,
// cleanupNoInterestMessages, jetstream.go (consumer recovery)
public final class Consumers {

    private static final NatsLogger LOG = NatsLogger.get(Consumers.class);

    private Consumers() {
    }

    /** What the store keeps of {@code c}: ack policy, max_deliver and the configuration JSON. */
    static ConsumerStoreConfig storeConfig(ConsumerConfig c) {
        return new ConsumerStoreConfig(c.ackPolicy() == null ? AckPolicy.NONE : c.ackPolicy(), c.maxDeliver(),
                ApiJson.writeString(c), c.memStorage());
    }

    /** The consumer {@code name} of {@code stream}, or null. */
    public static Consumer lookup(Stream stream, String name) {
        for (StreamConsumer c : stream.consumers()) {
            if (c instanceof Consumer o && o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The consumers of {@code stream}, by name. */
    public static List<Consumer> list(Stream stream) {
        List<Consumer> out = new ArrayList<>();
        for (StreamConsumer c : stream.consumers()) {
            if (c instanceof Consumer o) {
                out.add(o);
            }
        }
        out.sort(Comparator.comparing(Consumer::name));
        return out;
    }

    /** The server and account limits for a consumer on {@code stream}, or null when none apply (10120). */
    static ConsumerConfigChecks.Limits limits(Stream stream, ConsumerConfig c) {
        JsAccount jsa = stream.account();
        int replicas = c.replicas() == 0 || c.replicas() > stream.config().replicas()
                ? Math.max(1, stream.config().replicas()) : c.replicas();
        Map.Entry<String, JetStreamAccountLimits> sel = jsa.selectLimits(replicas);
        if (sel == null) {
            return null;
        }
        var lim = jsa.jetStream().options().limits();
        return new ConsumerConfigChecks.Limits(lim.maxAckPending(), lim.maxRequestBatch(), sel.getValue());
    }

    /**
     * Creates or updates a consumer on {@code stream} ({@code action}: {@code ""}, {@code create} or
     * {@code update}); {@code requested} carries the static metadata.
     *
     * @throws io.jnatsd.server.jetstream.api.ApiException with nats-server's error
     */
    // nats-server: consumer.go addConsumerWithAssignmentAndMode
    public static Consumer add(Stream stream, ConsumerConfig requested, String action, boolean pedantic) {
        if (stream.isClosed()) {
            throw JsApiError.STREAM_INVALID.error().toException();
        }
        StreamConfig scfg = stream.config();
        ConsumerConfigChecks.Limits lim = limits(stream, requested);
        if (lim == null) {
            throw JsApiError.NO_LIMITS.error().toException();
        }
        ConsumerConfig cfg = ConsumerConfigChecks.withDefaults(requested, scfg, lim, pedantic);
        ApiError err = ConsumerConfigChecks.check(cfg, lim, scfg, false);
        if (err != null) {
            throw err.toException();
        }
        // what a create is compared with: nats-server stamps the default threshold on the consumer it creates, not
        // on the request, so creating an ephemeral (named, not durable) consumer again is refused even with the
        // same config
        ConsumerConfig asRequested = cfg;
        if (!cfg.isDurable() && cfg.inactiveThresholdNanos() <= 0) {
            // nats-server: consumer.go updateInactiveThreshold stamps the default (without its jitter)
            ConsumerConfig.Builder b = cfg.toBuilder();
            b.inactiveThresholdNanos = ConsumerConfigChecks.DELETE_WAIT_DEFAULT_NANOS;
            cfg = b.build();
        }
        synchronized (stream.consumerOps()) {
            String cname = cfg.isDurable() ? cfg.durable() : cfg.name();
            if (cname != null && !cname.isEmpty()) {
                Consumer existing = lookup(stream, cname);
                if (existing != null) {
                    ConsumerConfig ocfg = existing.config();
                    // nats-server: consumer.go addConsumerWithAssignment (ActionCreate: reflect.DeepEqual)
                    if ("create".equals(action)
                            && !ConsumerConfigChecks.withMetadataOf(asRequested, ocfg).equals(ocfg)) {
                        throw JsApiError.CONSUMER_ALREADY_EXISTS.error().toException();
                    }
                    if (scfg.retentionOrDefault() == RetentionPolicy.WORK_QUEUE
                            && !partitionUnique(stream, cname, cfg.filters())) {
                        throw JsApiError.CONSUMER_WQ_CONSUMER_NOT_UNIQUE.error().toException();
                    }
                    ConsumerConfig next = cfg;
                    boolean interest = ocfg.isPush() && hasInterest(stream, ocfg.deliverSubject());
                    ApiError uerr = ConsumerConfigChecks.checkUpdate(ocfg, next, interest);
                    if (uerr != null) {
                        throw uerr.toException();
                    }
                    if (!next.equals(ocfg)) {
                        existing.update(next);
                    }
                    return existing;
                }
            }
            if ("update".equals(action)) {
                throw JsApiError.CONSUMER_DOES_NOT_EXIST.error().toException();
            }
            int maxc = scfg.maxConsumers();
            int accMax = lim.account().maxConsumers();
            if (maxc <= 0 || (accMax > 0 && accMax < maxc)) {
                maxc = accMax;
            }
            if (maxc > 0 && list(stream).size() >= maxc) {
                throw JsApiError.MAXIMUM_CONSUMERS_LIMIT.error().toException();
            }
            if (scfg.retentionOrDefault() == RetentionPolicy.WORK_QUEUE && !cfg.direct() && !cfg.sourcing()) {
                if (cfg.ackPolicy() != AckPolicy.EXPLICIT && cfg.ackPolicy() != AckPolicy.FLOW_CONTROL) {
                    throw JsApiError.CONSUMER_WQ_REQUIRES_EXPLICIT_ACK.error().toException();
                }
                if (cfg.deliverPolicy() != DeliverPolicy.ALL) {
                    throw JsApiError.CONSUMER_WQ_CONSUMER_NOT_DELIVER_ALL.error().toException();
                }
                if (!list(stream).isEmpty()) {
                    if (cfg.filters().isEmpty()) {
                        throw JsApiError.CONSUMER_WQ_MULTIPLE_UNFILTERED.error().toException();
                    }
                    if (!partitionUnique(stream, cname, cfg.filters())) {
                        throw JsApiError.CONSUMER_WQ_CONSUMER_NOT_UNIQUE.error().toException();
                    }
                }
            }
            String name;
            if (cfg.isDurable()) {
                if (cfg.durable().length() > ConsumerConfigChecks.MAX_NAME) {
                    throw JsApiError.CONSUMER_NAME_TOO_LONG.error(ConsumerConfigChecks.MAX_NAME).toException();
                }
                name = cfg.durable();
            } else if (cfg.name() != null && !cfg.name().isEmpty()) {
                name = cfg.name();
            } else {
                do {
                    name = JetStreamHashes.hash(Nuid.next());
                } while (lookup(stream, name) != null);
                ConsumerConfig.Builder b = cfg.toBuilder();
                b.name = name;
                cfg = b.build();
            }
            if (!StreamConfigChecks.isValidAssetName(name)) {
                throw JsApiError.CONSUMER_BAD_DURABLE_NAME.error().toException();
            }
            long created = stream.account().jetStream().storeEnvironment().nowNanos();
            Consumer o = open(stream, name, cfg, created, false);
            if (cfg.pauseUntil() != null) {
                o.pauseAdvisory(cfg);
            }
            ConsumerAdvisories.action(stream.account().jetStream(), stream.account().account(),
                    ConsumerAdvisories.CREATED, stream.name(), name, "create");
            return o;
        }
    }

    private static Consumer open(Stream stream, String name, ConsumerConfig cfg, long created, boolean recovering) {
        ConsumerStore store;
        try {
            store = stream.store().consumerStore(name, created, storeConfig(cfg));
        } catch (StoreException | IllegalArgumentException e) {
            throw JsApiError.CONSUMER_STORE_FAILED.error(e.getMessage()).toException();
        }
        return open(stream, name, cfg, created, recovering, store);
    }

    private static Consumer open(Stream stream, String name, ConsumerConfig cfg, long created, boolean recovering,
                                 ConsumerStore store) {
        Consumer o = new Consumer(stream, name, cfg, created, store);
        stream.attach(o);
        try {
            o.start(recovering);
        } catch (RuntimeException e) {
            stream.detach(o);
            o.stop(!recovering, false);
            throw e;
        }
        return o;
    }

    private static boolean hasInterest(Stream stream, String subject) {
        byte[] b = subject.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return stream.account().account().sublist().hasInterest(b, 0, b.length);
    }

    /** Whether {@code filters} overlap no other consumer's filters ({@code partitionUnique}). */
    // nats-server: stream.go partitionUnique
    private static boolean partitionUnique(Stream stream, String name, List<String> filters) {
        for (String partition : filters) {
            for (Consumer o : list(stream)) {
                if (o.name().equals(name) || o.config().direct() || o.config().sourcing()) {
                    continue;
                }
                List<String> of = o.config().filters();
                if (of.isEmpty()) {
                    return false;
                }
                for (String f : of) {
                    if (Subjects.subjectMatchesFilter(partition, f) || Subjects.subjectMatchesFilter(f, partition)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Deletes {@code o} and its state, with the delete advisory. */
    // nats-server: consumer.go stopWithFlags(true, false, true, true)
    public static void delete(Consumer o) {
        Stream stream = o.stream();
        synchronized (stream.consumerOps()) {
            if (o.isClosed()) {
                return;
            }
            stream.detach(o);
        }
        o.stop(true, false);
        o.endWaiting("Consumer Deleted", false);
        ConsumerAdvisories.action(stream.account().jetStream(), stream.account().account(),
                ConsumerAdvisories.DELETED, stream.name(), o.name(), "delete");
        cleanupNoInterest(stream);
    }

    /** Deletes a consumer that was inactive for its threshold (called on its own loop thread). */
    static void deleteInactive(Consumer o) {
        delete(o);
    }

    /** The stream stopped: stops {@code o} (its state stays unless the stream was deleted). */
    static void streamStopped(Consumer o, boolean deleted) {
        if (o.isClosed()) {
            return;
        }
        o.stop(false, deleted);
        if (deleted) {
            o.endWaiting("Consumer Deleted", false);
        } else {
            o.endWaiting("Server Shutdown", true);
        }
    }

    /** Removes messages of an interest or work-queue stream no consumer needs any more. */
    // nats-server: consumer.go cleanupNoInterestMessages
    private static void cleanupNoInterest(Stream stream) {
        if (stream.config().retentionOrDefault() == RetentionPolicy.LIMITS || stream.isClosed()) {
            return;
        }
        StreamState st = stream.store().fastState();
        for (long seq = st.firstSeq(); seq > 0 && seq <= st.lastSeq(); seq++) {
            stream.ackMessage(null, seq);
        }
    }

    /**
     * Recovers the consumers stored with {@code stream}: the consumer stores a snapshot restore put into its store,
     * and (file streams) the consumers kept in its directory after a restart.
     */
    // nats-server: jetstream.go EnableJetStream (consumer recovery), consumer.go addConsumerWithAssignment(recover),
    // stream.go processRestore (consumers)
    public static void recover(Stream stream) {
        java.util.Set<String> done = new java.util.HashSet<>();
        for (ConsumerStore cs : stream.store().consumers()) {
            if (lookup(stream, cs.name()) != null || cs.config().configJson() == null) {
                continue;
            }
            try {
                ConsumerConfig cfg = ApiJson.mapper().readValue(cs.config().configJson(), ConsumerConfig.class);
                synchronized (stream.consumerOps()) {
                    open(stream, cs.name(), cfg, stream.account().jetStream().storeEnvironment().nowNanos(), true,
                            cs);
                }
                done.add(cs.name());
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("  Error adding consumer '" + cs.name() + "': " + e.getMessage());
            }
        }
        if (!(stream.store() instanceof FileStreamStore fs)) {
            return;
        }
        for (String name : fs.storedConsumers()) {
            if (done.contains(name) || lookup(stream, name) != null) {
                continue;
            }
            String meta = fs.storedConsumerMeta(name);
            if (meta == null) {
                LOG.warn("  Error reading consumer metafile for '" + stream.name() + " > " + name + "'");
                continue;
            }
            try {
                JsonNode node = ApiJson.mapper().readTree(meta);
                ConsumerConfig cfg = ApiJson.mapper().treeToValue(node.get("config"), ConsumerConfig.class);
                long created = node.path("created_ns").asLong();
                synchronized (stream.consumerOps()) {
                    open(stream, name, cfg, created, true);
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("  Error adding consumer '" + name + "': " + e.getMessage());
            }
        }
    }
}
