package io.jnatsd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jetstream} key and block, the top-level {@code store_dir} and an account's {@code jetstream}: every key
 * and alias with nats-server's errors ({@code opts.go parseJetStream}, {@code parseJetStreamLimits},
 * {@code parseJetStreamForAccount}, {@code getStorageSize}) and the domain check of
 * {@code jetstream.go validateJetStreamOptions}.
 */
class JetStreamConfigTest {

    private static final String FILE = "t.conf";

    private static ConfigReport load(String text, ServerOptions.Builder builder) {
        try {
            return ConfigLoader.load(ConfParser.parseString(text, Path.of(FILE)), FILE, builder);
        } catch (ConfException e) {
            throw new AssertionError(e);
        }
    }

    private static ServerOptions options(String text) {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load(text, builder);
        assertThat(report.errors()).isEmpty();
        return OptionsBaseline.apply(builder.build());
    }

    private static List<String> errors(String text) {
        return load(text, ServerOptions.builder()).errors();
    }

    @Test
    void shouldReadEveryKeyOfTheBlock() {
        JetStreamOptions js = options("""
                jetstream {
                  store_dir: "/data/js"
                  max_memory_store: "1G"
                  max_file_store: 10737418240
                  domain: hub
                  unique_tag: " AZ "
                  sync_interval: "30s"
                  strict: false
                  max_buffered_msgs: 5
                  max_buffered_size: "1K"
                  request_queue_limit: 7
                  info_queue_limit: 8
                  key: "s3cr3t"
                  prev_key: "old"
                  cipher: aes
                  max_outstanding_catchup: "2M"
                  meta_compact: 10
                  meta_compact_size: "1M"
                  meta_compact_sync: true
                  max_concurrent_io: 16
                  extension_hint: will_extend
                  limits {
                    max_ack_pending: 100
                    max_ha_assets: 2
                    max_request_batch: 50
                    duplicate_window: "1m"
                    batch { max_inflight_per_stream: 3, max_inflight_total: 4, max_msgs: 5, timeout: "2s" }
                  }
                }
                """).jetStream();
        assertThat(js.enabled()).isTrue();
        assertThat(js.storeDir()).isEqualTo("/data/js");
        assertThat(js.maxMemoryBytes()).isEqualTo(1L << 30);
        assertThat(js.maxMemorySet()).isTrue();
        assertThat(js.maxStoreBytes()).isEqualTo(10737418240L);
        assertThat(js.domain()).isEqualTo("hub");
        assertThat(js.uniqueTag()).isEqualTo("az");
        assertThat(js.syncInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(js.strict()).isFalse();
        assertThat(js.maxBufferedMsgs()).isEqualTo(5);
        assertThat(js.maxBufferedSizeBytes()).isEqualTo(1024);
        assertThat(js.requestQueueLimit()).isEqualTo(7);
        assertThat(js.infoQueueLimit()).isEqualTo(8);
        assertThat(js.key()).isEqualTo("s3cr3t");
        assertThat(js.prevKey()).isEqualTo("old");
        assertThat(js.cipher()).isEqualTo(JetStreamOptions.Cipher.AES);
        assertThat(js.maxOutstandingCatchupBytes()).isEqualTo(2L << 20);
        assertThat(js.metaCompact()).isEqualTo(10);
        assertThat(js.metaCompactSizeBytes()).isEqualTo(1L << 20);
        assertThat(js.metaCompactSync()).isTrue();
        assertThat(js.maxConcurrentIo()).isEqualTo(16);
        assertThat(js.extensionHint()).isEqualTo("will_extend");
        assertThat(js.limits()).isEqualTo(new JetStreamOptions.Limits(100, 2, 50, Duration.ofMinutes(1), 3, 4, 5,
                Duration.ofSeconds(2)));
    }

    @Test
    void shouldKeepDefaultsWhenNothingIsSet() {
        JetStreamOptions js = options("port: 1").jetStream();
        assertThat(js.enabled()).isFalse();
        assertThat(js.strict()).isTrue();
        assertThat(js.syncInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(js.requestQueueLimit()).isEqualTo(10_000);
        assertThat(js.effectiveInfoQueueLimit()).isEqualTo(10_000);
        assertThat(js.effectiveMaxBufferedMsgs()).isEqualTo(100_000);
        assertThat(js.effectiveMaxBufferedSize()).isEqualTo(128L << 20);
        assertThat(js.maxMemorySet()).isFalse();
        assertThat(js.maxStoreSet()).isFalse();
    }

    @Test
    void shouldReadTheShortForms() {
        assertThat(options("jetstream: true").jetStream().enabled()).isTrue();
        assertThat(options("jetstream: enabled").jetStream().enabled()).isTrue();
        assertThat(options("jetstream: Enable").jetStream().enabled()).isTrue();
        assertThat(options("jetstream: disabled").jetStream().enabled()).isFalse();
        assertThat(options("jetstream: {enabled: false, max_mem: 0}").jetStream().enabled()).isFalse();
        assertThat(options("jetstream: {max_mem: 0}").jetStream().maxMemorySet()).isTrue();
        assertThat(options("jetstream: {sync: always}").jetStream().syncAlways()).isTrue();
        assertThat(options("store_dir: \"/x\"\njetstream: true").jetStream().storeDir()).isEqualTo("/x");
        assertThat(options("jetstream: {store: \"/y\"}").jetStream().storeDir()).isEqualTo("/y");
        assertThat(options("jetstream: {cipher: chachapoly}").jetStream().cipher())
                .isEqualTo(JetStreamOptions.Cipher.CHACHA);
    }

    static Stream<Arguments> badBlocks() {
        return Stream.of(
                Arguments.of("jetstream: maybe", "t.conf:1:0: Expected 'enabled' or 'disabled' for string value, got "
                        + "'maybe'"),
                Arguments.of("jetstream: 5", "t.conf:1:0: Expected map, bool or string to define JetStream, got int64"),
                Arguments.of("store_dir: \"/a\"\njetstream { store_dir: \"/b\" }",
                        "t.conf:2:13: Duplicate 'store_dir' configuration"),
                Arguments.of("jetstream { store_dir: \"/b\" }\nstore_dir: \"/a\"",
                        "t.conf:2:1: Duplicate 'store_dir' configuration"),
                Arguments.of("jetstream { max_mem: \"1X\" }",
                        "t.conf:1:12: max_mem_store sizes defined as strings must end in K, M, G, T"),
                Arguments.of("jetstream { max_file: \"aG\" }",
                        "t.conf:1:12: max_file_store strconv.ParseInt: parsing \"a\": invalid syntax"),
                Arguments.of("jetstream { max_file: true }", "t.conf:1:12: max_file_store must be int64 or string"),
                Arguments.of("jetstream { strict: 1 }", "t.conf:1:12: Expected 'true' or 'false' for bool value, got '1'"),
                Arguments.of("jetstream { cipher: rot13 }", "t.conf:1:12: Unknown cipher type: \"rot13\""),
                Arguments.of("jetstream { max_buffered_msgs: \"x\" }",
                        "t.conf:1:12: Expected a parseable size for \"max_buffered_msgs\", got x"),
                Arguments.of("jetstream { max_concurrent_io: 2 }",
                        "t.conf:1:12: Expected an absolute size for \"max_concurrent_io\" between 4 and 8192, got 2"),
                Arguments.of("jetstream { meta_compact: -1 }",
                        "t.conf:1:12: Expected an absolute size for \"meta_compact\", got -1"),
                Arguments.of("jetstream { limits: 5 }", "t.conf:1:12: Expected a map to define JetStreamLimits, got int64"),
                Arguments.of("jetstream { limits { batch: 1 } }",
                        "t.conf:1:21: Expected a map to define batch limits, got int64"),
                Arguments.of("jetstream { bogus: 1 }", "t.conf:1:12: unknown field \"bogus\""),
                Arguments.of("jetstream { limits { bogus: 1 } }", "t.conf:1:21: unknown field \"bogus\""),
                Arguments.of("jetstream { tpm { keys_file: x } }", "t.conf:1:12: tpm is not supported yet by jnatsd"),
                Arguments.of("jetstream { domain: 5 }",
                        "t.conf:1:12: interface conversion: interface {} is int64, not string"));
    }

    @ParameterizedTest
    @MethodSource("badBlocks")
    void shouldReportNatsServerErrors(String conf, String error) {
        assertThat(errors(conf)).containsExactly(error);
    }

    @Test
    void shouldReadAccountLimits() {
        ServerOptions o = options("""
                accounts {
                  A { jetstream: enabled }
                  B { jetstream: {max_mem: 1MB, max_file: 2MB, max_streams: 3, max_consumers: 4, max_ack_pending: 5,
                      mem_max_stream_bytes: 6, store_max_stream_bytes: 7, max_bytes_required: true,
                      cluster_traffic: owner} }
                  C { jetstream: disabled }
                  D { }
                }
                """);
        assertThat(o.account("A").jetStream()).isEqualTo(JetStreamAccountLimits.UNLIMITED);
        assertThat(o.account("B").jetStream()).isEqualTo(new JetStreamAccountLimits(1L << 20, 2L << 20, 3, 4, 5,
                6, 7, true));
        assertThat(o.account("C").jetStream()).isNull();
        assertThat(o.account("D").jetStream()).isNull();
        assertThat(errors("accounts { A { jetstream: { max_bytes: 1 } } }")).containsExactly(
                "t.conf:1:28: Expected a parseable bool for \"max_bytes\", got 1");
        assertThat(errors("accounts { A { jetstream: { cluster_traffic: x } } }")).containsExactly(
                "t.conf:1:28: Expected 'system' or 'owner' string value for \"cluster_traffic\", got x");
        assertThat(errors("accounts { A { jetstream: { nope: 1 } } }")).containsExactly(
                "t.conf:1:28: unknown field \"nope\"");
    }

    @Test
    void shouldCheckTheDomain() {
        assertThat(OptionsValidator.validate(options("jetstream { domain: \"a.b\" }")))
                .contains("invalid domain name: may not contain ., * or >");
        assertThat(OptionsValidator.validate(options("jetstream { domain: \"a b\" }")))
                .contains("invalid domain name: derived \"$JS.a b.API.>\" is not a valid subject");
        assertThat(OptionsValidator.validate(options("jetstream { domain: hub }"))).isEmpty();
    }
}
