package io.jnatsd.config;

import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.CredsFile;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.OperatorClaims;
import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorConfigTest {

    private static final String FILE = "t.conf";

    private final NKey operator = NKey.createOperator();
    private final NKey system = NKey.createAccount();
    private final NKey account = NKey.createAccount();

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
        return OptionsBaseline.apply(builder.build());
    }

    private static List<String> errors(String text) {
        return load(text, ServerOptions.builder()).errors();
    }

    private String operatorJwt(OperatorClaims claims) throws Exception {
        return JwtCodec.encode(ClaimsData.of(operator.publicKey()), ClaimType.OPERATOR, claims, operator);
    }

    private String accountJwt() throws Exception {
        return JwtCodec.encode(ClaimsData.of(account.publicKey()), ClaimType.ACCOUNT, AccountClaims.unlimited(),
                operator);
    }

    @Test
    void shouldReadOperatorMemoryResolverAndPreload() throws Exception {
        String op = operatorJwt(OperatorClaims.of(List.of(), system.publicKey()));
        ServerOptions o = options("operator: \"" + op + "\"\nresolver: MEMORY\nresolver_preload: {\n  "
                + account.publicKey() + ": \"" + accountJwt() + "\"\n}\nresolver_pinned_accounts: ["
                + account.publicKey() + "]\n");

        assertThat(o.operator().enabled()).isTrue();
        assertThat(o.operator().operatorJwts()).containsExactly(op);
        assertThat(o.operator().systemAccount()).isEqualTo(system.publicKey());
        assertThat(o.operator().resolver().type()).isEqualTo(OperatorOptions.ResolverType.MEMORY);
        assertThat(o.operator().preload()).containsOnlyKeys(account.publicKey());
        assertThat(o.operator().pinnedAccounts()).containsExactly(account.publicKey());
        assertThat(OptionsValidator.validate(o)).isEmpty();
        assertThat(OperatorValidation.trustedKeys(o)).containsExactly(operator.publicKey());
    }

    @Test
    void shouldReadDecoratedOperatorFileFromNatsServerTests(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("op.jwt");
        Files.writeString(file, io.jnatsd.jwt.JwtCodecTestVectors.OP_JWT_V1);
        ServerOptions o = options("operator: \"" + file + "\"\nresolver: MEM\n");
        assertThat(o.operator().operatorJwts()).containsExactly(CredsFile.parse(
                io.jnatsd.jwt.JwtCodecTestVectors.OP_JWT_V1).jwt());
        assertThat(OperatorValidation.trustedKeys(o)).hasSize(4)
                .contains("OCAT33MTVU2VUOIMGNGUNXJ66AH2RLSDAF3MUBCYAY5QMIL65NQM6XQG");
    }

    @Test
    void shouldUseAccountServerUrlAsResolver() throws Exception {
        String op = operatorJwt(new OperatorClaims(null, "http://localhost:9090/jwt/v1", null, "", "", false,
                null));
        ServerOptions o = options("operator: \"" + op + "\"\n");
        assertThat(o.operator().resolver().type()).isEqualTo(OperatorOptions.ResolverType.URL);
        assertThat(o.operator().resolver().url()).isEqualTo("http://localhost:9090/jwt/v1/accounts/");
    }

    @Test
    void shouldReadDirectoryResolvers(@TempDir Path dir) {
        ServerOptions full = options("resolver: { type: full, dir: \"" + dir + "\", allow_delete: true, "
                + "hard_delete: true, limit: 10, interval: \"2m\", timeout: \"3s\" }\n");
        OperatorOptions.Resolver r = full.operator().resolver();
        assertThat(r.type()).isEqualTo(OperatorOptions.ResolverType.FULL);
        assertThat(r.dir()).isEqualTo(dir);
        assertThat(r.allowDelete()).isTrue();
        assertThat(r.hardDelete()).isTrue();
        assertThat(r.limit()).isEqualTo(10);
        assertThat(r.interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(r.effectiveTimeout()).isEqualTo(Duration.ofSeconds(3));
        ServerOptions cache = options("resolver: { type: cache, dir: \"" + dir + "\", ttl: \"1h\" }\n");
        assertThat(cache.operator().resolver().type()).isEqualTo(OperatorOptions.ResolverType.CACHE);
        assertThat(cache.operator().resolver().ttl()).isEqualTo(Duration.ofHours(1));
        ServerOptions url = options("resolver: URL(\"http://127.0.0.1:1234/accounts\")\n");
        assertThat(url.operator().resolver().url()).isEqualTo("http://127.0.0.1:1234/accounts/");
    }

    @Test
    void shouldReportResolverErrors(@TempDir Path dir) throws Exception {
        assertThat(errors("resolver: { type: cache, dir: \"" + dir + "\", allow_delete: true, interval: \"1m\" }"))
                .containsExactly("t.conf:1:0: CACHE does not accept sync", "t.conf:1:0: CACHE does not accept "
                        + "allow_delete");
        assertThat(errors("resolver: { type: full, dir: \"" + dir + "\", ttl: \"1m\", hard_delete: true }"))
                .containsExactly("t.conf:1:0: FULL does not accept ttl",
                        "t.conf:1:0: hard_delete has no effect without delete");
        assertThat(errors("resolver: { type: full }"))
                .containsExactly("t.conf:1:0: dir has no value and needs to point to a directory");
        Path file = Files.createFile(dir.resolve("f"));
        assertThat(errors("resolver: { type: full, dir: \"" + file + "\" }"))
                .containsExactly("t.conf:1:0: dir needs to point to an accessible directory");
        assertThat(errors("resolver: foo")).containsExactly("t.conf:1:0: error parsing account resolver, should "
                + "be MEM or  URL(\"url\") or a map containing dir and type state=[FULL|CACHE])");
        assertThat(errors("resolver_preload: { " + account.publicKey() + ": \"nope\" }"))
                .containsExactly("t.conf:1:20: invalid account JWT");
        assertThat(errors("trusted: [\"OABC\"]")).containsExactly(
                "t.conf:1:0: trust key \"OABC\" required to be a valid public operator nkey");
        assertThat(errors("operator: \"/nonexistent/op.jwt\"")).containsExactly(
                "t.conf:1:0: error parsing operator JWT: open /nonexistent/op.jwt: no such file or directory");
        assertThat(errors("resolver_tls: {cert_file: \"c.pem\"}")).containsExactly(
                "t.conf:1:0: missing 'key_file' in TLS configuration");
        assertThat(errors("resolver_tls: {foo: 1}")).containsExactly(
                "t.conf:1:15: error parsing tls config, unknown field \"foo\"");
        assertThat(errors("resolver_tls: 5")).containsExactly(
                "t.conf:1:0: interface conversion: interface {} is int64, not map[string]interface {}");
    }

    @Test
    void shouldValidateOperatorMode() throws Exception {
        String op = operatorJwt(OperatorClaims.of(List.of(), system.publicKey()));
        String opNoSys = operatorJwt(OperatorClaims.of(List.of(), ""));
        assertThat(invalid("operator: \"" + op + "\"")).isEqualTo(
                "operators require an account resolver to be configured");
        assertThat(invalid("operator: \"" + op + "\"\nresolver: MEM\nsystem_account: " + account.publicKey()))
                .isEqualTo("system_account in config and operator JWT must be identical");
        assertThat(invalid("operator: \"" + opNoSys + "\"\nresolver: { type: full, dir: \"/tmp\" }"))
                .isEqualTo("using nats based account resolver - the system account needs to be specified in "
                        + "configuration or the operator jwt");
        assertThat(invalid("operator: \"" + op + "\"\nresolver: MEM\nauthorization { users: [{user: a, "
                + "password: b}] }")).isEqualTo("operators do not allow users to be configured directly");
        assertThat(invalid("operator: \"" + op + "\"\nresolver: MEM\ntrusted: " + operator.publicKey()))
                .isEqualTo("conflicting options for 'TrustedKeys' and 'TrustedOperators'");
        assertThat(invalid("trusted: " + operator.publicKey() + "\nno_auth_user: a"))
                .isEqualTo("no_auth_user not compatible with Trusted Operator");
        String future = operatorJwt(new OperatorClaims(null, null, null, system.publicKey(), "3.0.0", false, null));
        assertThat(invalid("operator: \"" + future + "\"\nresolver: MEM")).isEqualTo("operator "
                + operator.publicKey() + " expected major version 3 > server major version 2");
    }

    @Test
    void shouldLeaveOutStrictOperatorIdentityKey() throws Exception {
        NKey signer = NKey.createOperator();
        String op = operatorJwt(new OperatorClaims(List.of(signer.publicKey()), null, null, system.publicKey(), null,
                true, null));
        ServerOptions o = options("operator: \"" + op + "\"\nresolver: MEM\n");
        assertThat(OperatorValidation.trustedKeys(o)).containsExactly(signer.publicKey());
    }

    private static String invalid(String text) {
        ServerOptions.Builder builder = ServerOptions.builder();
        ConfigReport report = load(text, builder);
        assertThat(report.errors()).isEmpty();
        return OptionsValidator.validate(OptionsBaseline.apply(builder.build())).orElse("");
    }
}
