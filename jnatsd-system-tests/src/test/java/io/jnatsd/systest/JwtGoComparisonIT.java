package io.jnatsd.systest;

import io.jnatsd.jwt.AccountLimits;
import io.jnatsd.jwt.Permission;
import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator mode against the Go nats-server binary (2.9.10 here) with the same MEMORY-resolver config: the first
 * line each server answers a signed CONNECT + PING with, for good and bad user JWTs. Skipped when
 * {@code /usr/sbin/nats-server} is not installed.
 */
class JwtGoComparisonIT {

    @Test
    void shouldAnswerUserJwtsAsGoDoes() {
        Assumptions.assumeTrue(GoServer.available(), "no Go nats-server at " + GoServer.BINARY);
        JwtFixture fx = new JwtFixture();
        NKey account = NKey.createAccount();
        NKey full = NKey.createAccount();
        NKey revoked = NKey.createUser();
        long now = Instant.now().getEpochSecond();
        String accountJwt = fx.account(account, "A", c -> c.withRevocation(revoked.publicKey(), now + 60));
        String fullJwt = fx.account(full, "F", c -> c.withLimits(AccountLimits.unlimited().withConnections(0)));
        String conf = fx.memoryConfig(account.publicKey(), accountJwt, full.publicKey(), fullJwt);

        Map<String, String[]> cases = new LinkedHashMap<>();
        NKey good = NKey.createUser();
        cases.put("good", new String[]{JwtFixture.user(good, "g", account, c -> c, u -> u), seed(good)});
        cases.put("revoked", new String[]{JwtFixture.user(revoked, "r", account, c -> c, u -> u), seed(revoked)});
        NKey expired = NKey.createUser();
        cases.put("expired", new String[]{JwtFixture.user(expired, "e", account, c -> c.withExpires(now - 5),
                u -> u), seed(expired)});
        NKey wrongSig = NKey.createUser();
        cases.put("wrong signature", new String[]{JwtFixture.user(wrongSig, "w", account, c -> c, u -> u),
                seed(NKey.createUser())});
        NKey stranger = NKey.createUser();
        cases.put("unknown account", new String[]{JwtFixture.user(stranger, "s", NKey.createAccount(), c -> c,
                u -> u), seed(stranger)});
        NKey crowded = NKey.createUser();
        cases.put("conn 0", new String[]{JwtFixture.user(crowded, "c", full, c -> c, u -> u), seed(crowded)});
        NKey denied = NKey.createUser();
        cases.put("pub denied", new String[]{JwtFixture.user(denied, "d", account, c -> c,
                u -> u.withPermissions(Permission.deny(">"), Permission.NONE)), seed(denied)});

        try (EmbeddedServer java = EmbeddedServer.startWithConfig(conf);
             GoServer go = GoServer.startWithConfig(conf)) {
            for (Map.Entry<String, String[]> c : cases.entrySet()) {
                NKey signer = NKey.fromSeed(c.getValue()[1]);
                String expected = reply(go.port(), c.getValue()[0], signer);
                assertThat(reply(java.port(), c.getValue()[0], signer)).as(c.getKey()).isEqualTo(expected);
            }
        }
    }

    private static String seed(NKey key) {
        return key.seed();
    }

    /** The answer to CONNECT, a publish to {@code foo} and PING. */
    private static String reply(int port, String jwt, NKey signer) {
        try (RawClient raw = JwtIT.rawConnect(port, jwt, signer)) {
            String first = raw.readLine();
            if (!"PONG".equals(first)) {
                return first;
            }
            raw.send("PUB foo 0\r\n\r\nPING\r\n");
            return first + "|" + raw.readLine();
        }
    }
}
