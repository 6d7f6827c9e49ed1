package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.jwt.ActivationClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.Export;
import io.jnatsd.jwt.Import;
import io.jnatsd.jwt.ServiceLatency;
import io.jnatsd.jwt.WeightedMapping;
import io.jnatsd.nkeys.NKey;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Operator mode: exports, imports and mappings of account JWTs minted in the test (security.md 5.4, 5.7) through the
 * official Java client: public stream exports imported under a local subject or a prefix, {@code token_req}
 * services with activation tokens (issued by the exporter, revoked, of the wrong importer), latency tracking from
 * {@code service_latency}, account mappings, and an exporter's JWT update that withdraws an export.
 */
@SuppressWarnings("try") // jnats' Connection.close() declares InterruptedException
class JwtImportsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwtFixture fx = new JwtFixture();
    private final NKey exporter = NKey.createAccount();
    private final NKey importer = NKey.createAccount();
    private final NKey outsider = NKey.createAccount();
    private final NKey sysUser = NKey.createUser();

    private static Export stream(String subject) {
        return new Export("", subject, "stream", false, null, null, 0, null, 0, false, false);
    }

    private static Export service(String subject, boolean tokenRequired, Map<String, Long> revocations,
                                  ServiceLatency latency) {
        return new Export("", subject, "service", tokenRequired, revocations, null, 0, latency, 0, false, false);
    }

    private static Import importOf(String type, NKey from, String subject, String localSubject, String to,
                                   String token) {
        return new Import("", subject, from.publicKey(), token, to, localSubject, type, false, false);
    }

    /** An activation for {@code subject} of {@code kind}, issued by {@code issuer} for {@code forAccount}. */
    private static String activation(NKey issuer, NKey forAccount, String subject, String kind) {
        return JwtFixture.sign(ClaimsData.of(forAccount.publicKey()).withIssuedAt(Instant.now().getEpochSecond() - 5),
                ClaimType.ACTIVATION, new ActivationClaims(subject, kind, null, null), issuer);
    }

    private Connection user(EmbeddedServer server, NKey account) throws Exception {
        NKey user = NKey.createUser();
        return Nats.connect(new Options.Builder().server(server.url()).connectionTimeout(TIMEOUT).maxReconnects(0)
                .authHandler(Nats.staticCredentials(JwtFixture.creds(JwtFixture.user(user, "u", account, c -> c,
                        u -> u), user))).build());
    }

    private Connection system(EmbeddedServer server) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).connectionTimeout(TIMEOUT).maxReconnects(0)
                .authHandler(Nats.staticCredentials(JwtFixture.creds(JwtFixture.user(sysUser, "sys", fx.system,
                        c -> c, u -> u), sysUser))).build());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldImportPublicStreamsUnderALocalSubjectOrAPrefix() throws Exception {
        String exporterJwt = fx.account(exporter, "EXP", c -> c.withExports(List.of(stream("events.>"))));
        String importerJwt = fx.account(importer, "IMP", c -> c.withImports(List.of(
                importOf("stream", exporter, "events.*", "local.$1", "", ""),
                importOf("stream", exporter, "events.>", "", "pre", ""))));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(exporter.publicKey(), exporterJwt,
                importer.publicKey(), importerJwt));
             Connection pub = user(server, exporter);
             Connection sub = user(server, importer)) {
            Subscription local = sub.subscribe("local.*");
            Subscription prefixed = sub.subscribe("pre.events.>");
            sub.flush(TIMEOUT);
            pub.publish("events.created", bytes("x"));
            assertThat(local.nextMessage(TIMEOUT).getSubject()).isEqualTo("local.created");
            assertThat(prefixed.nextMessage(TIMEOUT).getSubject()).isEqualTo("pre.events.created");
        }
    }

    @Test
    void shouldRouteTokenRequiredServicesOnlyWithAValidActivation() throws Exception {
        String exporterJwt = fx.account(exporter, "EXP", c -> c.withExports(List.of(
                service("svc.>", true, Map.of(outsider.publicKey(), Instant.now().getEpochSecond() + 3600), null))));
        String importerJwt = fx.account(importer, "IMP", c -> c.withImports(List.of(importOf("service", exporter,
                "svc.a", "", "", activation(exporter, importer, "svc.>", "service")))));
        String outsiderJwt = fx.account(outsider, "OUT", c -> c.withImports(List.of(
                importOf("service", exporter, "svc.a", "", "", activation(exporter, outsider, "svc.>", "service")),
                importOf("service", exporter, "svc.b", "", "", activation(exporter, importer, "svc.>",
                        "service")))));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(exporter.publicKey(), exporterJwt,
                importer.publicKey(), importerJwt, outsider.publicKey(), outsiderJwt));
             Connection responder = user(server, exporter);
             Connection requestor = user(server, importer);
             Connection other = user(server, outsider)) {
            Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(), bytes("served")));
            d.subscribe("svc.>");
            responder.flush(TIMEOUT);
            Message reply = requestor.request("svc.a", bytes("q"), TIMEOUT);
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("served");
            assertThatThrownBy(() -> other.requestWithTimeout("svc.a", bytes("revoked"), TIMEOUT)
                    .get(10, TimeUnit.SECONDS)).as("activation revoked by the export").isInstanceOf(
                            CancellationException.class);
            assertThatThrownBy(() -> other.requestWithTimeout("svc.b", bytes("not mine"), TIMEOUT)
                    .get(10, TimeUnit.SECONDS)).as("activation of another account").isInstanceOf(
                            CancellationException.class);
        }
    }

    @Test
    void shouldPublishLatencyResultsFromTheJwtServiceLatency() throws Exception {
        String exporterJwt = fx.account(exporter, "EXP", c -> c.withExports(List.of(service("timed", false, null,
                new ServiceLatency(100, "timed.latency")))));
        String importerJwt = fx.account(importer, "IMP", c -> c.withImports(List.of(importOf("service", exporter,
                "timed", "", "", ""))));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(exporter.publicKey(), exporterJwt,
                importer.publicKey(), importerJwt));
             Connection responder = user(server, exporter);
             Connection requestor = user(server, importer)) {
            Subscription results = responder.subscribe("timed.latency");
            Dispatcher d = responder.createDispatcher(m -> responder.publish(m.getReplyTo(), bytes("ok")));
            d.subscribe("timed");
            responder.flush(TIMEOUT);
            assertThat(requestor.request("timed", bytes("q"), TIMEOUT)).isNotNull();
            JsonNode result = JSON.readTree(results.nextMessage(TIMEOUT).getData());
            assertThat(result.path("status").asInt()).isEqualTo(200);
            assertThat(result.path("requestor").path("acc").asText()).isEqualTo(importer.publicKey());
            assertThat(result.path("responder").path("acc").asText()).isEqualTo(exporter.publicKey());
        }
    }

    @Test
    void shouldApplyTheAccountJwtMappings() throws Exception {
        String exporterJwt = fx.account(exporter, "EXP", c -> new io.jnatsd.jwt.AccountClaims(null, null,
                c.limits(), null, null, null, Map.of("in.*", List.of(new WeightedMapping("out.$1", 0, null))), null,
                null, null, null, null, null));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(exporter.publicKey(),
                exporterJwt));
             Connection nc = user(server, exporter)) {
            Subscription out = nc.subscribe("out.*");
            nc.flush(TIMEOUT);
            nc.publish("in.x", bytes("mapped"));
            assertThat(out.nextMessage(TIMEOUT).getSubject()).isEqualTo("out.x");
        }
    }

    @Test
    void shouldStopAnImportWhenTheExporterWithdrawsItsExport() throws Exception {
        String exporterJwt = fx.account(exporter, "EXP", c -> c.withExports(List.of(stream("feed"))));
        String importerJwt = fx.account(importer, "IMP", c -> c.withImports(List.of(importOf("stream", exporter,
                "feed", "", "", ""))));
        try (EmbeddedServer server = EmbeddedServer.startWithConfig(fx.memoryConfig(exporter.publicKey(), exporterJwt,
                importer.publicKey(), importerJwt));
             Connection pub = user(server, exporter);
             Connection sub = user(server, importer);
             Connection sys = system(server)) {
            Subscription feed = sub.subscribe("feed");
            sub.flush(TIMEOUT);
            pub.publish("feed", bytes("before"));
            assertThat(feed.nextMessage(TIMEOUT)).isNotNull();
            String withdrawn = fx.account(exporter, "EXP", c -> c);
            Message reply = sys.request("$SYS.REQ.ACCOUNT." + exporter.publicKey() + ".CLAIMS.UPDATE",
                    bytes(withdrawn), TIMEOUT);
            assertThat(JSON.readTree(reply.getData()).path("data").path("message").asText()).isEqualTo("jwt updated");
            Await.until(TIMEOUT, () -> "shadow subscription removed", () -> server.server().jwtAccounts()
                    .loaded(exporter.publicKey()).account().sublist().match("feed").plainCount() == 0);
            pub.publish("feed", bytes("after"));
            pub.flush(TIMEOUT);
            assertThat(feed.nextMessage(NOTHING)).isNull();
        }
    }
}
