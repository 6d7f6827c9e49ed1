package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.common.GoTime;
import io.jnatsd.common.Nuid;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClientInfo;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.jetstream.api.ApiJson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JetStream advisories ({@code server/jetstream_events.go}): JSON events on {@code $JS.EVENT.ADVISORY.>} published in
 * an account (server-level ones in the system account) only when something there is subscribed to the subject.
 * Every advisory starts with {@code type}, {@code id} (a NUID) and {@code timestamp}.
 * <p>
 * Thread-safe (stateless apart from the engine).
 */
// nats-server: jetstream_events.go publishAdvisory and the advisory types
public final class Advisories {

    private static final NatsLogger LOG = NatsLogger.get(Advisories.class);

    /** Prefix of every advisory subject. */
    public static final String PREFIX = "$JS.EVENT.ADVISORY";
    /** API audit. */
    public static final String API_AUDIT = PREFIX + ".API";
    /** The API queue overflowed. */
    public static final String API_LIMIT_REACHED = PREFIX + ".API.LIMIT_REACHED";
    /** Stream created, prefix (then the stream name). */
    public static final String STREAM_CREATED = PREFIX + ".STREAM.CREATED.";
    /** Stream deleted, prefix. */
    public static final String STREAM_DELETED = PREFIX + ".STREAM.DELETED.";
    /** Stream updated, prefix. */
    public static final String STREAM_UPDATED = PREFIX + ".STREAM.UPDATED.";
    /** Snapshot started, prefix. */
    public static final String SNAPSHOT_CREATE = PREFIX + ".STREAM.SNAPSHOT_CREATE.";
    /** Snapshot finished, prefix. */
    public static final String SNAPSHOT_COMPLETE = PREFIX + ".STREAM.SNAPSHOT_COMPLETE.";
    /** Restore started, prefix. */
    public static final String RESTORE_CREATE = PREFIX + ".STREAM.RESTORE_CREATE.";
    /** Restore finished, prefix. */
    public static final String RESTORE_COMPLETE = PREFIX + ".STREAM.RESTORE_COMPLETE.";
    /** An atomic batch was abandoned, prefix. */
    public static final String BATCH_ABANDONED = PREFIX + ".STREAM.BATCH_ABANDONED.";
    /** The server ran out of storage. */
    public static final String SERVER_OUT_OF_STORAGE = PREFIX + ".SERVER.OUT_OF_STORAGE";

    private final JetStream js;

    Advisories(JetStream js) {
        this.js = js;
    }

    /** The common head of an advisory. */
    public static String[] head(String type) {
        return new String[] {type, Nuid.next(), GoTime.rfc3339Nano(Instant.now())};
    }

    /**
     * Publishes {@code advisory} (a record whose first components are type, id, timestamp) on {@code subject} in
     * {@code account} (null: the system account), if anything there listens.
     *
     * @return whether it was published
     */
    // nats-server: jetstream_events.go publishAdvisory
    public boolean publish(Account account, String subject, Object advisory) {
        Account acc = account == null ? js.host().systemAccount() : account;
        if (acc == null) {
            return false;
        }
        byte[] subjectBytes = subject.getBytes(StandardCharsets.UTF_8);
        if (!acc.sublist().hasInterest(subjectBytes, 0, subjectBytes.length)) {
            return false;
        }
        try {
            Connection client = js.clientFor(acc);
            client.publishInternal(subject, null, null, ApiJson.write(advisory));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Advisory could not be sent for account \"" + acc.name() + "\": " + e.getMessage());
            return false;
        }
    }

    /** Whether anything in {@code account} listens on {@code subject}. */
    public boolean hasInterest(Account account, String subject) {
        byte[] b = subject.getBytes(StandardCharsets.UTF_8);
        return account.sublist().hasInterest(b, 0, b.length);
    }

    /** The client info as advisories show it: no JWT, no alternates ({@code ClientInfo.forAdvisory}). */
    public static ClientInfo forAdvisory(ClientInfo ci) {
        if (ci == null) {
            return null;
        }
        return new ClientInfo(ci.start(), ci.host(), ci.id(), ci.account(), ci.service(), ci.user(), ci.name(),
                ci.lang(), ci.version(), ci.rttNanos(), ci.server(), ci.cluster(), null, ci.stop(), null,
                ci.issuerKey(), ci.nameTag(), ci.tags(), ci.kind(), ci.clientType(), ci.mqttClientId(), ci.nonce(),
                ci.reply());
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.api_audit}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param server    the server name
     * @param client    the requestor (null when unknown)
     * @param subject   the request subject
     * @param request   the request body, omitted when empty
     * @param response  the response body
     * @param domain    the JetStream domain, omitted when empty
     */
    public record ApiAudit(@JsonProperty("type") String type, @JsonProperty("id") String id,
                           @JsonProperty("timestamp") String timestamp, @JsonProperty("server") String server,
                           @JsonProperty("client") ClientInfo client, @JsonProperty("subject") String subject,
                           @JsonProperty("request") @JsonInclude(JsonInclude.Include.NON_EMPTY) String request,
                           @JsonProperty("response") String response,
                           @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.api_audit";
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.api_limit_reached}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param server    the server name
     * @param domain    the JetStream domain, omitted when empty
     * @param dropped   requests dropped
     */
    public record ApiLimitReached(@JsonProperty("type") String type, @JsonProperty("id") String id,
                                  @JsonProperty("timestamp") String timestamp, @JsonProperty("server") String server,
                                  @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                                  @JsonProperty("dropped") long dropped) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.api_limit_reached";
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.stream_action}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param stream    the stream
     * @param action    {@code create}, {@code delete} or {@code modify}
     * @param domain    the JetStream domain, omitted when empty
     */
    public record StreamAction(@JsonProperty("type") String type, @JsonProperty("id") String id,
                               @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                               @JsonProperty("action") String action,
                               @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.stream_action";
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.stream_batch_abandoned}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param account   the account (only in the system account's copy)
     * @param stream    the stream
     * @param domain    the JetStream domain, omitted when empty
     * @param batch     the batch id
     * @param reason    {@code timeout}, {@code large}, {@code incomplete} or {@code unsupported}
     */
    public record BatchAbandoned(@JsonProperty("type") String type, @JsonProperty("id") String id,
                                 @JsonProperty("timestamp") String timestamp,
                                 @JsonProperty("account") @JsonInclude(JsonInclude.Include.NON_EMPTY) String account,
                                 @JsonProperty("stream") String stream,
                                 @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                                 @JsonProperty("batch") String batch, @JsonProperty("reason") String reason) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.stream_batch_abandoned";
    }

    /** Publishes a batch abandoned advisory in the account and, with the account named, in the system account. */
    // nats-server: stream.go sendStreamBatchAbandonedAdvisory
    void batchAbandoned(Account account, String stream, String batch, String reason) {
        String subject = BATCH_ABANDONED + stream;
        String[] h = head(BatchAbandoned.TYPE);
        if (account != js.host().systemAccount()) {
            publish(account, subject, new BatchAbandoned(h[0], h[1], h[2], "", stream, js.domain(), batch, reason));
        }
        publish(null, subject, new BatchAbandoned(h[0], h[1], h[2], account.name(), stream, js.domain(), batch,
                reason));
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.snapshot_create}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param stream    the stream
     * @param state     the state the snapshot was taken at
     * @param client    the requestor
     * @param domain    the JetStream domain, omitted when empty
     */
    public record SnapshotCreate(@JsonProperty("type") String type, @JsonProperty("id") String id,
                                 @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                                 @JsonProperty("state") StreamInfo.State state,
                                 @JsonProperty("client") ClientInfo client,
                                 @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.snapshot_create";
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.snapshot_complete}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param stream    the stream
     * @param start     when it started
     * @param end       when it ended
     * @param client    the requestor
     * @param domain    the JetStream domain, omitted when empty
     * @param error     what went wrong, omitted when nothing
     */
    public record SnapshotComplete(@JsonProperty("type") String type, @JsonProperty("id") String id,
                                   @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                                   @JsonProperty("start") String start, @JsonProperty("end") String end,
                                   @JsonProperty("client") ClientInfo client,
                                   @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                                   @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_EMPTY) String error) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.snapshot_complete";
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.restore_create}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param stream    the stream
     * @param client    the requestor
     * @param domain    the JetStream domain, omitted when empty
     */
    public record RestoreCreate(@JsonProperty("type") String type, @JsonProperty("id") String id,
                                @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                                @JsonProperty("client") ClientInfo client,
                                @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.restore_create";
    }

    /**
     * {@code io.nats.jetstream.advisory.v1.restore_complete}.
     *
     * @param type      the type
     * @param id        a NUID
     * @param timestamp when
     * @param stream    the stream
     * @param start     when it started
     * @param end       when it ended
     * @param bytes     bytes received
     * @param client    the requestor
     * @param domain    the JetStream domain, omitted when empty
     */
    public record RestoreComplete(@JsonProperty("type") String type, @JsonProperty("id") String id,
                                  @JsonProperty("timestamp") String timestamp, @JsonProperty("stream") String stream,
                                  @JsonProperty("start") String start, @JsonProperty("end") String end,
                                  @JsonProperty("bytes") long bytes, @JsonProperty("client") ClientInfo client,
                                  @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain) {
        /** The type name. */
        public static final String TYPE = "io.nats.jetstream.advisory.v1.restore_complete";
    }

    /** Publishes a stream action advisory ({@code sendCreateAdvisory} and friends). */
    void streamAction(Account account, String prefix, String stream, String action) {
        String subject = prefix + stream;
        if (!hasInterest(account, subject)) {
            return;
        }
        String[] h = head(StreamAction.TYPE);
        publish(account, subject, new StreamAction(h[0], h[1], h[2], stream, action, js.domain()));
    }
}
