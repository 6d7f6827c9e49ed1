package io.jnatsd.server.jetstream.consumer;

import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.jetstream.StreamConfig;
import io.jnatsd.server.jetstream.StreamConsumerLimits;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.server.jetstream.api.ApiJson;
import io.jnatsd.store.AckPolicy;
import io.jnatsd.store.RetentionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Consumer configuration defaults ({@code setConsumerConfigDefaults}), nats-server's checks and their errors in order
 * ({@code checkConsumerCfg}), pedantic mode, the update rules ({@code checkNewConsumerConfig}), the required API level
 * metadata, the JSON field names and omissions, and the ack subject parser.
 */
class ConsumerConfigChecksTest {

    private static final StreamConfig STREAM = StreamConfig.builder().name("S").subjects(List.of("s.>")).build();
    private static final ConsumerConfigChecks.Limits LIMITS = new ConsumerConfigChecks.Limits(0, 0,
            JetStreamAccountLimits.UNLIMITED);

    private static ConsumerConfig cfg(Consumer<ConsumerConfig.Builder> edit) {
        ConsumerConfig.Builder b = ConsumerConfig.builder();
        edit.accept(b);
        return b.build();
    }

    private static ApiError check(Consumer<ConsumerConfig.Builder> edit) {
        return check(STREAM, edit);
    }

    private static ApiError check(StreamConfig stream, Consumer<ConsumerConfig.Builder> edit) {
        ConsumerConfig c = ConsumerConfigChecks.withDefaults(cfg(edit), stream, LIMITS, false);
        return ConsumerConfigChecks.check(c, LIMITS, stream, false);
    }

    @Test
    void defaultsForPullExplicit() {
        ConsumerConfig c = ConsumerConfigChecks.withDefaults(cfg(b -> b.ackPolicy = AckPolicy.EXPLICIT), STREAM,
                LIMITS, false);
        assertThat(c.maxDeliver()).isEqualTo(-1);
        assertThat(c.maxWaiting()).isEqualTo(512);
        assertThat(c.ackWaitNanos()).isEqualTo(30_000_000_000L);
        assertThat(c.maxAckPending()).isEqualTo(1000);
        assertThat(c.deliverPolicy()).isEqualTo(DeliverPolicy.ALL);
        assertThat(c.replayPolicy()).isEqualTo(ReplayPolicy.INSTANT);
    }

    @Test
    void defaultsTakeStreamAndServerLimitsAndBackoff() {
        StreamConfig limited = STREAM.toBuilder().consumerLimits(new StreamConsumerLimits(7_000_000_000L, 20))
                .build();
        ConsumerConfig c = ConsumerConfigChecks.withDefaults(cfg(b -> {
            b.ackPolicy = AckPolicy.EXPLICIT;
            b.backoffNanos = List.of(1_000L, 2_000L);
        }), limited, new ConsumerConfigChecks.Limits(10, 3, JetStreamAccountLimits.UNLIMITED), false);
        assertThat(c.ackWaitNanos()).isEqualTo(1_000L);
        assertThat(c.maxAckPending()).isEqualTo(20);
        assertThat(c.inactiveThresholdNanos()).isEqualTo(7_000_000_000L);
        assertThat(c.maxBatch()).isEqualTo(3);
        ConsumerConfig fc = ConsumerConfigChecks.withDefaults(cfg(b -> {
            b.ackPolicy = AckPolicy.FLOW_CONTROL;
            b.deliverSubject = "d";
        }), STREAM, LIMITS, false);
        assertThat(fc.flowControl()).isTrue();
        assertThat(fc.heartbeatNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void pedanticRefusesWhatDefaultsWouldChange() {
        assertThatThrownBy(() -> ConsumerConfigChecks.withDefaults(cfg(b -> b.maxDeliver = -5), STREAM, LIMITS,
                true)).isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).error())
                .isEqualTo(new ApiError(400, 10157, "pedantic mode: max_deliver must be set to -1")));
        assertThatThrownBy(() -> ConsumerConfigChecks.withDefaults(cfg(b -> {
            b.ackPolicy = AckPolicy.EXPLICIT;
            b.backoffNanos = List.of(5L);
        }), STREAM, LIMITS, true)).satisfies(e -> assertThat(((ApiException) e).error().description())
                .isEqualTo("pedantic mode: first backoff value has to equal batch AckWait"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.name = "a.b", 10052,
                        "consumer name can not contain '.', '*', '>', '\\', '/'"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.replicas = 3, 10126,
                        "consumer config replica count exceeds parent stream"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.ackWaitNanos = -1, 10183,
                        "consumer ack wait needs to be positive"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> {
                    b.ackPolicy = AckPolicy.EXPLICIT;
                    b.maxDeliver = 1;
                    b.backoffNanos = List.of(1L, 2L);
                }, 10116, "max deliver is required to be > length of backoff values"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.deliverSubject = "d.*", 10079,
                        "consumer deliver subject has wildcards"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.deliverSubject = "s.x", 10081,
                        "consumer deliver subject forms a cycle"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> {
                    b.deliverSubject = "d";
                    b.maxWaiting = 4;
                }, 10080, "consumer in push mode can not set max waiting"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> {
                    b.deliverSubject = "d";
                    b.heartbeatNanos = 50_000_000L;
                }, 10083, "consumer idle heartbeat needs to be >= 100ms"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.rateLimitBps = 8, 10086,
                        "consumer in pull mode can not have rate limit set"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.heartbeatNanos = 1_000_000_000L, 10088,
                        "consumer idle heartbeat requires a push based consumer"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.flowControl = true, 10089,
                        "consumer flow control requires a push based consumer"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.maxExpiresNanos = 10, 10115,
                        "consumer max request expires needs to be >= 1ms"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> {
                    b.filterSubject = "s.a";
                    b.filterSubjects = List.of("s.b");
                }, 10136, "consumer cannot have both FilterSubject and FilterSubjects specified"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.filterSubjects = List.of("s.a", ""), 10139,
                        "consumer filter in FilterSubjects cannot be empty"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.filterSubjects = List.of("s.*", "s.a"), 10138,
                        "consumer subject filters cannot overlap"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.optStartSeq = 4, 10094,
                        "consumer delivery policy is deliver all, but optional start sequence is also set"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.deliverPolicy = DeliverPolicy.BY_START_TIME,
                        10094, "consumer delivery policy is deliver by start time, but optional start time is not "
                                + "set"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.deliverPolicy = DeliverPolicy.LAST_PER_SUBJECT,
                        10094, "consumer delivery policy is deliver last per subject, but optional filter subject "
                                + "is not set"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.sampleFreq = "x%", 10095,
                        "failed to parse consumer sampling configuration: strconv.Atoi: parsing \"x\": invalid "
                                + "syntax"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> {
                    b.durable = "a";
                    b.name = "b";
                }, 10132, "Consumer Durable and Name have to be equal if both are provided"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.priorityPolicy = PriorityPolicy.OVERFLOW,
                        10159, "Setting PriorityPolicy requires at least one PriorityGroup to be set"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> {
                    b.priorityPolicy = PriorityPolicy.PINNED_CLIENT;
                    b.priorityGroups = List.of("bad group!");
                }, 10162, "Valid priority group name must match A-Z, a-z, 0-9, -_/=)+ and may not exceed 16 "
                        + "characters"),
                Arguments.of((Consumer<ConsumerConfig.Builder>) b -> b.priorityGroups = List.of("A"), 10196,
                        "consumer can not have priority groups when policy is none"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithNatsServersErrors(Consumer<ConsumerConfig.Builder> edit, int errCode, String description) {
        ApiError e = check(edit);
        assertThat(e).isNotNull();
        assertThat(e.errCode()).isEqualTo(errCode);
        assertThat(e.description()).isEqualTo(description);
    }

    @Test
    void workQueuePullNeedsAcks() {
        StreamConfig wq = STREAM.toBuilder().retention(RetentionPolicy.WORK_QUEUE).build();
        assertThat(check(wq, b -> { }).errCode()).isEqualTo(10084);
        assertThat(check(wq, b -> b.ackPolicy = AckPolicy.EXPLICIT)).isNull();
    }

    @Test
    void updateRules() {
        ConsumerConfig base = ConsumerConfigChecks.withDefaults(cfg(b -> {
            b.durable = "d";
            b.ackPolicy = AckPolicy.EXPLICIT;
        }), STREAM, LIMITS, false);
        ConsumerConfig.Builder desc = base.toBuilder();
        desc.description = "new";
        desc.maxAckPending = 5;
        assertThat(ConsumerConfigChecks.checkUpdate(base, desc.build(), false)).isNull();
        ConsumerConfig.Builder dp = base.toBuilder();
        dp.deliverPolicy = DeliverPolicy.NEW;
        assertThat(ConsumerConfigChecks.checkUpdate(base, dp.build(), false))
                .isEqualTo(new ApiError(500, 10012, "deliver policy can not be updated"));
        ConsumerConfig.Builder push = base.toBuilder();
        push.deliverSubject = "d";
        assertThat(ConsumerConfigChecks.checkUpdate(base, push.build(), false).description())
                .isEqualTo("can not update pull consumer to push based");
        ConsumerConfig.Builder mw = base.toBuilder();
        mw.maxWaiting = 1;
        assertThat(ConsumerConfigChecks.checkUpdate(base, mw.build(), false).description())
                .isEqualTo("max waiting can not be updated");
    }

    @Test
    void requiredApiLevelMetadata() {
        assertThat(ConsumerConfigChecks.withStaticMetadata(cfg(b -> { })).metadata())
                .containsEntry("_nats.req.level", "0");
        assertThat(ConsumerConfigChecks.withStaticMetadata(cfg(b -> b.priorityPolicy = PriorityPolicy.OVERFLOW))
                .metadata()).containsEntry("_nats.req.level", "1");
        assertThat(ConsumerConfigChecks.withStaticMetadata(cfg(b -> b.ackPolicy = AckPolicy.FLOW_CONTROL))
                .metadata()).containsEntry("_nats.req.level", "4");
    }

    @Test
    void jsonWritesGoFieldsAndOmitsEmptyOnes() {
        String json = ApiJson.writeString(cfg(b -> {
            b.durable = "d";
            b.ackPolicy = AckPolicy.EXPLICIT;
            b.backoffNanos = List.of(1L);
        }));
        assertThat(json).isEqualTo("{\"durable_name\":\"d\",\"deliver_policy\":\"all\",\"ack_policy\":\"explicit\","
                + "\"backoff\":[1],\"replay_policy\":\"instant\",\"num_replicas\":0}");
    }

    @Test
    void ackSubjectTokens() {
        assertThat(io.jnatsd.server.jetstream.consumer.Consumer.ackReplyInfo("$JS.ACK.S.C.2.10.7.1700.3"))
                .containsExactly(10, 7, 2, 1700, 3);
        assertThat(io.jnatsd.server.jetstream.consumer.Consumer.ackReplyInfo(
                "$JS.ACK.dom.hash.S.C.2.10.7.1700.3")).containsExactly(10, 7, 2, 1700, 3);
        assertThat(io.jnatsd.server.jetstream.consumer.Consumer.ackReplyInfo("$JS.ACK.S.C.2.10.7"))
                .containsExactly(0, 0, 0, 0, 0);
        assertThat(io.jnatsd.server.jetstream.consumer.Consumer.ackReplyInfo("$JS.ACK.S.C.x.10.7.1.1")[0])
                .isEqualTo(10);
    }
}
