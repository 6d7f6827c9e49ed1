package io.jnatsd.server.account;

import io.jnatsd.jwt.AccountClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirAccountResolverTest {

    private final NKey operator = NKey.createOperator();

    private String account(NKey key, long iat, long exp) throws Exception {
        return JwtCodec.encode(ClaimsData.of(key.publicKey()).withIssuedAt(iat).withExpires(exp), ClaimType.ACCOUNT,
                AccountClaims.unlimited(), operator);
    }

    @Test
    void shouldKeepNewerJwtAndXorHash(@TempDir Path dir) throws Exception {
        DirAccountResolver full = DirAccountResolver.full(dir, 0, true, false);
        NKey a = NKey.createAccount();
        String older = account(a, 100, 0);
        String newer = account(a, 200, 0);
        full.store(a.publicKey(), newer);
        byte[] hash = full.hash();
        full.store(a.publicKey(), older);

        assertThat(full.fetch(a.publicKey())).isEqualTo(newer);
        assertThat(full.hash()).isEqualTo(hash).isNotEqualTo(new byte[32]);
        assertThat(dir.resolve(a.publicKey() + ".jwt")).exists();
        assertThat(DirAccountResolver.full(dir, 0, false, false).hash()).isEqualTo(hash);

        full.delete(a.publicKey());
        assertThat(full.fetch(a.publicKey())).isNull();
        assertThat(full.hash()).isEqualTo(new byte[32]);
        assertThat(dir.resolve(a.publicKey() + ".jwt.deleted")).exists();
    }

    @Test
    void shouldRefuseMismatchedSubjectAndFullStore(@TempDir Path dir) throws Exception {
        DirAccountResolver full = DirAccountResolver.full(dir, 1, false, false);
        NKey a = NKey.createAccount();
        NKey b = NKey.createAccount();
        full.store(a.publicKey(), account(a, 100, 0));
        assertThatThrownBy(() -> full.store(a.publicKey(), account(b, 200, 0)))
                .hasMessage("jwt subject nkey and provided nkey do not match");
        assertThatThrownBy(() -> full.store(b.publicKey(), account(b, 200, 0))).hasMessage("jwt store is full");
        assertThatThrownBy(() -> full.delete(a.publicKey())).hasMessage("store is not set up to for delete");
    }

    @Test
    void shouldEvictLeastRecentlyUsedInCache(@TempDir Path dir) throws Exception {
        DirAccountResolver cache = DirAccountResolver.cache(dir, 2, java.time.Duration.ZERO);
        NKey a = NKey.createAccount();
        NKey b = NKey.createAccount();
        NKey c = NKey.createAccount();
        cache.store(a.publicKey(), account(a, 1, 0));
        cache.store(b.publicKey(), account(b, 1, 0));
        assertThat(cache.fetch(a.publicKey())).isNotNull();
        cache.store(c.publicKey(), account(c, 1, 0));
        assertThat(cache.keys()).containsExactlyInAnyOrder(a.publicKey(), c.publicKey());
    }

    @Test
    void shouldLeaveExpiredJwtsOutOfPack(@TempDir Path dir) throws Exception {
        DirAccountResolver full = DirAccountResolver.full(dir, 0, false, false);
        NKey live = NKey.createAccount();
        NKey dead = NKey.createAccount();
        full.store(live.publicKey(), account(live, 1, 0));
        full.store(dead.publicKey(), account(dead, 1, Instant.now().getEpochSecond() - 10));
        assertThat(full.pack()).containsOnlyKeys(live.publicKey());
        assertThat(full.keys()).hasSize(2);
    }
}
