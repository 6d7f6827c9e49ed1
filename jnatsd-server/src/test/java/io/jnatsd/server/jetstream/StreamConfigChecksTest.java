package io.jnatsd.server.jetstream;

import io.jnatsd.config.JetStreamAccountLimits;
import io.jnatsd.server.jetstream.api.ApiError;
import io.jnatsd.server.jetstream.api.ApiException;
import io.jnatsd.store.DiscardPolicy;
import io.jnatsd.store.RetentionPolicy;
import io.jnatsd.store.StorageType;
import io.jnatsd.store.StoreCompression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stream configuration defaults and nats-server's validation errors ({@code checkStreamCfgLocked}), pedantic mode,
 * account limits on stream size, the update rules ({@code configUpdateCheckLocked}) and the required API level
 * written into the metadata.
 */
class StreamConfigChecksTest {

    /** No other streams, no server dedupe limit, the given account limits. */
    private record Ctx(JetStreamAccountLimits limits) implements StreamConfigChecks.Context {
        @Override
        public StreamConfig stream(String name) {
            return null;
        }

        @Override
        public long maxDuplicatesNanos() {
            return 0;
        }

        @Override
        public JetStreamAccountLimits limitsFor(int replicas) {
            return limits;
        }
    }

    private static final Ctx NO_LIMITS = new Ctx(null);

    private static StreamConfig check(UnaryOperator<StreamConfig.Builder> b) {
        return StreamConfigChecks.check(b.apply(StreamConfig.builder().name("S")).build(), false, NO_LIMITS);
    }

    private static ApiError error(UnaryOperator<StreamConfig.Builder> b, boolean pedantic, Ctx ctx) {
        try {
            StreamConfigChecks.check(b.apply(StreamConfig.builder().name("S")).build(), pedantic, ctx);
        } catch (ApiException e) {
            return e.error();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void appliesNatsServersDefaults() {
        StreamConfig c = check(b -> b);
        assertThat(c.subjects()).containsExactly("S");
        assertThat(c.retention()).isEqualTo(RetentionPolicy.LIMITS);
        assertThat(c.discard()).isEqualTo(DiscardPolicy.OLD);
        assertThat(c.storage()).isEqualTo(StorageType.FILE);
        assertThat(c.compression()).isEqualTo(StoreCompression.NONE);
        assertThat(c.replicas()).isEqualTo(1);
        assertThat(List.of(c.maxMsgs(), c.maxBytes(), c.maxMsgsPerSubject(), (long) c.maxMsgSize(),
                (long) c.maxConsumers())).containsOnly(-1L);
        assertThat(c.duplicateWindowNanos()).isEqualTo(StreamConfigChecks.DEFAULT_DUPLICATES_NANOS);
        // the dedupe window follows a shorter max age
        assertThat(check(b -> b.maxAgeNanos(5_000_000_000L)).duplicateWindowNanos()).isEqualTo(5_000_000_000L);
        // subject delete markers turn on TTLs and roll-ups
        StreamConfig sdm = check(b -> b.subjectDeleteMarkerTtlNanos(1_000_000_000L).denyPurge(true));
        assertThat(sdm.allowMsgTtl()).isTrue();
        assertThat(sdm.allowRollup()).isTrue();
        assertThat(sdm.denyPurge()).isFalse();
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.name("a.b"), 10052,
                        "stream name is required and can not contain '.', '*', '>', '\\', '/'"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.name("x".repeat(256)), 10052,
                        "stream name is too long, maximum allowed is 255"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.replicas(6), 10052,
                        "maximum replicas is 5"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.replicas(-1), 10133,
                        "replicas count cannot be negative"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.maxAgeNanos(-1), 10052,
                        "max age can not be negative"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.maxAgeNanos(1_000_000), 10052,
                        "max age needs to be >= 100ms"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.duplicateWindowNanos(1_000_000), 10052,
                        "duplicates window needs to be >= 100ms"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.maxAgeNanos(1_000_000_000L)
                        .duplicateWindowNanos(2_000_000_000L), 10052,
                        "duplicates window can not be larger then max age"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.denyPurge(true).allowRollup(true), 10052,
                        "roll-ups require the purge permission"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.allowMsgCounter(true)
                        .discard(DiscardPolicy.NEW), 10052, "counter stream cannot use discard new"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.allowMsgCounter(true).allowMsgTtl(true),
                        10052, "counter stream cannot use message TTLs"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.discardNewPerSubject(true), 10052,
                        "discard new per subject requires discard new policy to be set"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.discardNewPerSubject(true)
                        .discard(DiscardPolicy.NEW), 10052,
                        "discard new per subject requires max msgs per subject > 0"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjectDeleteMarkerTtlNanos(1), 10052,
                        "subject delete marker TTL must be at least 1 second"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.allowMsgSchedules(true)
                        .discard(DiscardPolicy.NEW), 10052, "message scheduling cannot use discard new"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.persistMode(PersistMode.ASYNC)
                        .storage(StorageType.MEMORY), 10052,
                        "async persist mode is only supported on file storage"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjects(List.of("a", "a")), 10052,
                        "subject \"a\" overlaps with \"a\""),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjects(List.of("a.*", "a.>")), 10052,
                        "subject \"a.*\" overlaps with \"a.>\""),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjects(List.of("$JS.API.>")), 10052,
                        "subjects that overlap with jetstream api require no-ack to be true"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjects(List.of(">")), 10052,
                        "capturing all subjects requires no-ack to be true"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjects(List.of("a..b")), 10052,
                        "invalid subject"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.republish(new RePublish("S", "S", false)),
                        10052, "stream configuration for republish destination forms a cycle"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.subjectTransform(
                        new SubjectTransformConfig("a.*", "b.{{wildcard(2)}}")), 10156,
                        "stream transform: invalid mapping destination"),
                Arguments.of((UnaryOperator<StreamConfig.Builder>) b -> b.placement(new Placement(null, null, "p")),
                        10052, "preferred server not permitted in placement"));
    }

    @ParameterizedTest
    @MethodSource("invalidConfigs")
    void refusesWithNatsServersErrors(UnaryOperator<StreamConfig.Builder> config, int errCode, String text) {
        ApiError e = error(config, false, NO_LIMITS);
        assertThat(e.errCode()).isEqualTo(errCode);
        assertThat(e.description()).contains(text);
    }

    @Test
    void pedanticModeRefusesWhatItWouldOtherwiseFix() {
        ApiError e = error(b -> b.maxMsgs(-5), true, NO_LIMITS);
        assertThat(e.errCode()).isEqualTo(10157);
        assertThat(e.description()).isEqualTo("pedantic mode: max_msgs must be set to -1");
        assertThat(check(b -> b.maxMsgs(-5)).maxMsgs()).isEqualTo(-1);
        assertThat(error(b -> b.maxAgeNanos(5_000_000_000L), true, NO_LIMITS).description())
                .isEqualTo("pedantic mode: duplicate window cannot be bigger than max age");
        assertThat(error(b -> b.subjectDeleteMarkerTtlNanos(1_000_000_000L), true, NO_LIMITS).description())
                .isEqualTo("subject delete marker cannot be set if message TTLs are disabled");
    }

    @Test
    void checksTheAccountsStreamLimits() {
        Ctx required = new Ctx(new JetStreamAccountLimits(-1, -1, -1, -1, -1, -1, -1, true));
        assertThat(error(b -> b, false, required).errCode()).isEqualTo(10113);
        Ctx small = new Ctx(new JetStreamAccountLimits(-1, -1, -1, -1, -1, 1024, 2048, false));
        assertThat(error(b -> b.storage(StorageType.MEMORY).maxBytes(2048), false, small).errCode())
                .isEqualTo(10122);
        assertThat(StreamConfigChecks.check(StreamConfig.builder().name("S").maxBytes(2048).build(), false, small)
                .maxBytes()).isEqualTo(2048);
    }

    @Test
    void enforcesTheUpdateRules() {
        StreamConfig old = check(b -> b.subjects(List.of("a")).denyDelete(true));
        assertThat(StreamConfigChecks.checkUpdate(old, check(b -> b.subjects(List.of("a", "b")).denyDelete(true)))
                .subjects()).containsExactly("a", "b");
        assertThat(updateError(old, b -> b.name("T").denyDelete(true)))
                .isEqualTo("stream configuration name must match original");
        assertThat(updateError(old, b -> b.storage(StorageType.MEMORY).denyDelete(true)))
                .isEqualTo("stream configuration update can not change storage type");
        assertThat(updateError(old, b -> b))
                .isEqualTo("stream configuration update can not cancel deny message deletes");
        assertThat(updateError(old, b -> b.denyDelete(true).retention(RetentionPolicy.WORK_QUEUE)))
                .isEqualTo("stream configuration update can not change retention policy to/from workqueue");
        StreamConfig sealed = StreamConfigChecks.checkUpdate(old, check(b -> b.denyDelete(true).sealed(true)
                .maxAgeNanos(1_000_000_000L)));
        assertThat(sealed.maxAgeNanos()).isZero();
        assertThat(sealed.discard()).isEqualTo(DiscardPolicy.NEW);
        assertThat(sealed.denyPurge()).isTrue();
        assertThat(updateError(sealed, b -> b.denyDelete(true)))
                .isEqualTo("stream configuration update can not unseal a sealed stream");
    }

    private static String updateError(StreamConfig old, UnaryOperator<StreamConfig.Builder> next) {
        try {
            StreamConfigChecks.checkUpdate(old, check(next));
        } catch (ApiException e) {
            assertThat(e.error().errCode()).isEqualTo(10052);
            return e.error().description();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void writesTheRequiredApiLevel() {
        assertThat(StreamConfigChecks.withStaticMetadata(check(b -> b)).metadata())
                .containsEntry(StreamConfigChecks.REQUIRED_LEVEL_KEY, "0");
        assertThat(StreamConfigChecks.withStaticMetadata(check(b -> b.allowMsgTtl(true))).metadata())
                .containsEntry(StreamConfigChecks.REQUIRED_LEVEL_KEY, "1");
        assertThat(StreamConfigChecks.withStaticMetadata(check(b -> b.allowMsgCounter(true)
                .metadata(Map.of(StreamConfigChecks.SERVER_VERSION_KEY, "x")))).metadata())
                .containsEntry(StreamConfigChecks.REQUIRED_LEVEL_KEY, "2")
                .doesNotContainKey(StreamConfigChecks.SERVER_VERSION_KEY);
        assertThat(StreamConfigChecks.isValidAssetName("ORDERS-1")).isTrue();
        assertThat(StreamConfigChecks.isValidAssetName("a b")).isFalse();
        assertThat(StreamConfigChecks.isValidAssetName("")).isFalse();
    }
}
