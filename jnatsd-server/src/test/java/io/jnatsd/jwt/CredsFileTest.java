package io.jnatsd.jwt;

import io.jnatsd.nkeys.NKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredsFileTest {

    @Test
    void shouldParseNscCredsFile() {
        CredsFile creds = CredsFile.parse(JwtCodecTestVectors.ONE_CREDS);
        assertThat(creds.jwt()).startsWith("eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.").endsWith("ECQ");
        assertThat(creds.seed()).isEqualTo("SUAPCDMU5TSHHLWUUZSOUABJXP2GXRCZVEOVWPSVM5XRSXYGQMRRFDYNMY");
    }

    @Test
    void shouldRoundTripFormat() {
        NKey user = NKey.createUser();
        CredsFile creds = new CredsFile("eyJhbGc.eyJzdWIi.c2ln", user.seed());
        assertThat(CredsFile.parse(creds.format())).isEqualTo(creds);
        assertThat(creds.format()).startsWith("-----BEGIN NATS USER JWT-----\neyJhbGc.eyJzdWIi.c2ln\n"
                + "------END NATS USER JWT------\n\n************************* IMPORTANT");
    }

    @Test
    void shouldTakeUndecoratedTextAsJwt() {
        CredsFile creds = CredsFile.parse("  eyJhbGc.eyJzdWIi.c2ln \n");
        assertThat(creds.jwt()).isEqualTo("eyJhbGc.eyJzdWIi.c2ln");
        assertThat(creds.seed()).isEmpty();
        assertThat(creds.toString()).doesNotContain("SU");
    }
}
