package io.jnatsd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ocsp}, {@code ocsp_cache}, {@code tls.ocsp_peer} and {@code resolver_tls} as nats-server reads them
 * ({@code opts.go processConfigFileLine "ocsp"}, {@code ocsp_peer.go parseOCSPPeer},
 * {@code ocsp_responsecache.go parseOCSPResponseCache}). The {@code ocsp} errors are also compared with the
 * nats-server binary in {@code OcspGoComparisonIT}.
 */
class OcspConfigTest {

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
        assertThat(report.text()).isEmpty();
        return builder.build();
    }

    private static List<String> errors(String text) {
        return load(text, ServerOptions.builder()).errors();
    }

    @Test
    void shouldReadOcspModes() {
        assertThat(options("port: 1").ocsp()).isNull();
        assertThat(options("ocsp: true").ocsp()).isEqualTo(new OcspOptions(OcspOptions.Mode.AUTO, List.of()));
        assertThat(options("ocsp: false").ocsp()).isEqualTo(new OcspOptions(OcspOptions.Mode.NEVER, List.of()));
        assertThat(options("ocsp: {}").ocsp().mode()).isEqualTo(OcspOptions.Mode.AUTO);
        assertThat(options("ocsp: {mode: ALWAYS, url: \"http://127.0.0.1:8888\"}").ocsp())
                .isEqualTo(new OcspOptions(OcspOptions.Mode.ALWAYS, List.of("http://127.0.0.1:8888")));
        assertThat(options("ocsp: {mode: must}").ocsp().mode()).isEqualTo(OcspOptions.Mode.MUST);
        assertThat(options("ocsp: {mode: Never}").ocsp().mode()).isEqualTo(OcspOptions.Mode.NEVER);
        assertThat(options("ocsp: {mode: auto}").ocsp().mode()).isEqualTo(OcspOptions.Mode.AUTO);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ocsp: 5                       | t.conf:1:0: error parsing ocsp config: unsupported type int64",
        "ocsp: \"x\"                   | t.conf:1:0: error parsing ocsp config: unsupported type string",
        "ocsp: {mode: bogus}           | t.conf:1:7: error parsing ocsp config: unsupported ocsp mode string",
        "ocsp: {mode: 5}               | t.conf:1:0: interface conversion: interface {} is int64, not string",
        "ocsp: {urls: [\"http://a\"]}  | t.conf:1:0: interface conversion: interface {} is []interface {}, not"
                + " []string",
        "ocsp: {url: 5}                | t.conf:1:0: interface conversion: interface {} is int64, not string",
        "ocsp: {Mode: always}          | t.conf:1:7: error parsing ocsp config: unsupported field string",
        "ocsp: {foo: 1, mode: bad}     | t.conf:1:7: error parsing ocsp config: unsupported field string"})
    void shouldReportOcspErrorsAsNatsServerDoes(String line, String expected) {
        assertThat(errors(line)).containsExactly(expected);
    }

    @Test
    void shouldReadOcspPeerForms() {
        String certs = "tls {verify: true, ";
        assertThat(options(certs + "ocsp_peer: true}").tls().ocspPeer())
                .isEqualTo(OcspPeerOptions.DEFAULTS.withVerify(true));
        assertThat(options(certs + "ocsp_peer: false}").tls().ocspPeer()).isEqualTo(OcspPeerOptions.DEFAULTS);
        assertThat(options("port: 1").tls().ocspPeer()).isEqualTo(OcspPeerOptions.DEFAULTS);
        OcspPeerOptions all = options(certs + "ocsp_peer: {verify: true, ca_timeout: 5, allowed_clockskew: \"1m\","
                + " cache_ttl_when_next_update_unset: 0.5, warn_only: true, unknown_is_good: true,"
                + " allow_when_ca_unreachable: true}}").tls().ocspPeer();
        assertThat(all).isEqualTo(new OcspPeerOptions(true, Duration.ofSeconds(5), Duration.ofMinutes(1), true,
                true, true, Duration.ofMillis(500)));
        // case-insensitive keys; negative durations keep the defaults
        assertThat(options(certs + "ocsp_peer: {VERIFY: true, ca_timeout: -1, allowed_clockskew: -2,"
                + " cache_ttl_when_next_update_unset: \"-1s\"}}").tls().ocspPeer())
                .isEqualTo(OcspPeerOptions.DEFAULTS.withVerify(true));
        // a map without verify keeps verification off
        assertThat(options(certs + "ocsp_peer: {ca_timeout: 3}}").tls().ocspPeer().verify()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ocsp_peer: {verify: 1}                | t.conf:1:5: t.conf:1:17: error parsing tls peer config, unknown"
                + " field [\"verify\"]",
        "ocsp_peer: {warn_only: \"yes\"}       | t.conf:1:5: t.conf:1:17: error parsing tls peer config, unknown"
                + " field [\"warn_only\"]",
        "ocsp_peer: {unknown_is_good: 1}       | t.conf:1:5: t.conf:1:17: error parsing tls peer config, unknown"
                + " field [\"unknown_is_good\"]",
        "ocsp_peer: {allow_when_ca_unreachable: 0} | t.conf:1:5: t.conf:1:17: error parsing tls peer config,"
                + " unknown field [\"allow_when_ca_unreachable\"]",
        "ocsp_peer: {allowed_clockskew: \"x\"} | t.conf:1:5: t.conf:1:17: error parsing tls peer config,"
                + " conversion error: unexpected type",
        "ocsp_peer: {allowed_clockskew: true}  | t.conf:1:5: t.conf:1:17: error parsing tls peer config,"
                + " conversion error: unexpected type",
        "ocsp_peer: {ca_timeout: \"x\"}        | t.conf:1:5: t.conf:1:17: error parsing tls peer config,"
                + " conversion error: time: invalid duration \"x\"",
        "ocsp_peer: {ca_timeout: []}           | t.conf:1:5: t.conf:1:17: error parsing tls peer config,"
                + " conversion error: unexpected type",
        "ocsp_peer: {cache_ttl_when_next_update_unset: \"1y\"} | t.conf:1:5: t.conf:1:17: error parsing tls peer"
                + " config, conversion error: time: unknown unit \"y\" in duration \"1y\"",
        "ocsp_peer: {Bogus: 1}                 | t.conf:1:5: t.conf:1:17: error parsing tls peer config, unknown"
                + " field [\"Bogus\"]",
        "ocsp_peer: \"yes\"                    | t.conf:1:5: error parsing ocsp peer config: unsupported type"
                + " map[string]interface {}"})
    void shouldReportOcspPeerErrorsAsNatsServerDoes(String line, String expected) {
        assertThat(errors("tls {" + line + "}")).containsExactly(expected);
    }

    @Test
    void shouldReadOcspCacheForms() {
        assertThat(options("port: 1").ocspCache()).isNull();
        assertThat(options("ocsp_cache: true").ocspCache()).isEqualTo(OcspCacheOptions.DEFAULTS);
        assertThat(options("ocsp_cache: false").ocspCache().type()).isEqualTo(OcspCacheOptions.Type.NONE);
        assertThat(options("ocsp_cache: {type: NONE, local_store: \"/tmp/x\", preserve_revoked: true,"
                + " save_interval: \"3m\"}").ocspCache()).isEqualTo(new OcspCacheOptions(OcspCacheOptions.Type.NONE,
                "/tmp/x", true, Duration.ofMinutes(3)));
        // whole seconds, at least one
        assertThat(options("ocsp_cache: {save_interval: 2.7}").ocspCache().saveInterval())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(options("ocsp_cache: {save_interval: \"500ms\"}").ocspCache().saveInterval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(options("ocsp_cache: {save_interval: -5}").ocspCache().saveInterval())
                .isEqualTo(Duration.ofSeconds(1));
        // nats-server builds an error for another type and drops it
        assertThat(options("ocsp_cache: 5").ocspCache()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ocsp_cache: {type: 5}             | t.conf:1:13: error parsing OCSP peer cache config, unknown field"
                + " [\"type\"]",
        "ocsp_cache: {type: remote}        | t.conf:1:13: error parsing OCSP peer cache config, unknown type"
                + " [remote]",
        "ocsp_cache: {local_store: 1}      | t.conf:1:13: error parsing OCSP peer cache config, unknown field"
                + " [\"local_store\"]",
        "ocsp_cache: {preserve_revoked: 1} | t.conf:1:13: error parsing OCSP peer cache config, unknown field"
                + " [\"preserve_revoked\"]",
        "ocsp_cache: {save_interval: \"x\"} | t.conf:1:13: error parsing tls peer config, conversion error: time:"
                + " invalid duration \"x\"",
        "ocsp_cache: {save_interval: true} | t.conf:1:13: error parsing OCSP peer cache config, conversion error:"
                + " unexpected type",
        "ocsp_cache: {size: 1}             | t.conf:1:13: error parsing OCSP peer cache config, unknown field"
                + " [\"size\"]"})
    void shouldReportOcspCacheErrorsAsNatsServerDoes(String line, String expected) {
        assertThat(errors(line)).containsExactly(expected);
    }

    @Test
    void shouldReadResolverTls() {
        assertThat(options("port: 1").operator().resolverTls().enabled()).isFalse();
        TlsOptions tls = options("resolver_tls: {insecure: true, min_version: \"1.3\"}").operator().resolverTls();
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.insecure()).isTrue();
        assertThat(tls.minVersion()).isEqualTo("1.3");
        // parsed in a client context, as nats-server does
        assertThat(errors("resolver_tls: {verify_cert_and_check_known_urls: true}")).containsExactly(
                "t.conf:1:15: verify_cert_and_check_known_urls not supported in this context");
    }
}
