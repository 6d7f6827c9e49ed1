package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.common.GoTime;
import io.jnatsd.store.LostStreamData;
import io.jnatsd.store.StreamState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the API reports about a stream ({@code server/stream.go StreamInfo}): its configuration, creation time, state
 * and, depending on the request, domain and cluster. Immutable.
 *
 * @param config  the configuration
 * @param created when the stream was created (RFC 3339)
 * @param state   the state
 * @param domain  the JetStream domain, omitted when empty
 * @param cluster cluster information, omitted when null
 * @param ts      when this was taken (RFC 3339)
 */
// nats-server: stream.go StreamInfo (mirror, sources and alternates are never set: no mirrors or sources yet)
public record StreamInfo(@JsonProperty("config") StreamConfig config,
                         @JsonProperty("created") String created,
                         @JsonProperty("state") State state,
                         @JsonProperty("domain") @JsonInclude(JsonInclude.Include.NON_EMPTY) String domain,
                         @JsonProperty("cluster") @JsonInclude(JsonInclude.Include.NON_NULL) ClusterInfo cluster,
                         @JsonProperty("ts") String ts) {

    /** Go's zero time as JSON. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** A time in nanoseconds since the epoch as Go writes it (0: the zero time). */
    public static String time(long epochNanos) {
        if (epochNanos == 0) {
            return ZERO_TIME;
        }
        return GoTime.rfc3339Nano(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    /** The current time as Go writes {@code time.Now().UTC()}. */
    public static String now() {
        return GoTime.rfc3339Nano(Instant.now());
    }

    /**
     * {@code cluster} of a standalone server: the leader is this server ({@code jetStream.clusterInfo}).
     *
     * @param name   the cluster name, omitted when empty
     * @param leader the leader's server name
     */
    public record ClusterInfo(@JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
                              @JsonProperty("leader") @JsonInclude(JsonInclude.Include.NON_EMPTY) String leader) {
    }

    /**
     * A stream's state ({@code server/store.go StreamState}).
     *
     * @param messages    messages
     * @param bytes       bytes
     * @param firstSeq    first sequence
     * @param firstTs     time of the first message (the zero time when empty)
     * @param lastSeq     last sequence
     * @param lastTs      time of the last message
     * @param numSubjects distinct subjects, omitted when 0
     * @param subjects    per-subject counts, only with a subjects filter
     * @param numDeleted  interior deletes, omitted when 0
     * @param deleted     the deleted sequences, only with deleted details
     * @param lost        data lost at recovery, omitted when none
     * @param consumers   consumers
     */
    public record State(@JsonProperty("messages") long messages,
                        @JsonProperty("bytes") long bytes,
                        @JsonProperty("first_seq") long firstSeq,
                        @JsonProperty("first_ts") String firstTs,
                        @JsonProperty("last_seq") long lastSeq,
                        @JsonProperty("last_ts") String lastTs,
                        @JsonProperty("num_subjects") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int numSubjects,
                        @JsonProperty("subjects") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                        Map<String, Long> subjects,
                        @JsonProperty("num_deleted") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long numDeleted,
                        @JsonProperty("deleted") @JsonInclude(JsonInclude.Include.NON_EMPTY) long[] deleted,
                        @JsonProperty("lost") @JsonInclude(JsonInclude.Include.NON_NULL) Lost lost,
                        @JsonProperty("consumer_count") int consumers) {

        /** The JSON form of a store's state. */
        public static State of(StreamState s, int consumers) {
            return new State(s.msgs(), s.bytes(), s.firstSeq(), time(s.firstTimeNanos()), s.lastSeq(),
                    time(s.lastTimeNanos()), s.numSubjects(), null, s.numDeleted(), s.deleted(), Lost.of(s.lost()),
                    consumers);
        }

        /** This state with per-subject counts. */
        public State withSubjects(Map<String, Long> value) {
            return new State(messages, bytes, firstSeq, firstTs, lastSeq, lastTs, numSubjects, value, numDeleted,
                    deleted, lost, consumers);
        }
    }

    /**
     * Data lost at recovery ({@code LostStreamData}).
     *
     * @param msgs  the lost sequences
     * @param bytes the lost bytes
     */
    public record Lost(@JsonProperty("msgs") List<Long> msgs, @JsonProperty("bytes") long bytes) {

        static Lost of(LostStreamData lost) {
            if (lost == null) {
                return null;
            }
            List<Long> seqs = new java.util.ArrayList<>();
            for (long s : lost.msgs()) {
                seqs.add(s);
            }
            return new Lost(seqs.isEmpty() ? null : seqs, lost.bytes());
        }
    }
}
