package io.jnatsd.systest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jnatsd.server.auth.ClientAuthentication;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

import io.jnatsd.config.ServerOptions;

/**
 * A jnatsd server whose users are {@code sys} (password {@code sys}, bound to the system account {@code $SYS}),
 * {@code app} (password {@code app}, the global account) and nobody else (other credentials fail), through the
 * embedding API's custom authenticator (jnatsd has no accounts configuration yet). Test helper.
 */
final class SystemAccountFixture {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SystemAccountFixture() {
    }

    static EmbeddedServer start(UnaryOperator<ServerOptions.Builder> options) {
        ClientAuthentication auth = request -> {
            String user = request.credentials().user();
            String pass = request.credentials().password();
            if ("sys".equals(user) && "sys".equals(pass)) {
                return ClientAuthentication.Decision.accept(null, "$SYS");
            }
            if ("app".equals(user) && "app".equals(pass)) {
                return ClientAuthentication.Decision.accept(null, "$G");
            }
            return ClientAuthentication.Decision.reject();
        };
        return EmbeddedServer.startWithAuthentication(auth, options);
    }

    static Connection connect(EmbeddedServer server, String user, String name) throws Exception {
        return Nats.connect(new Options.Builder().server(server.url()).userInfo(user, user).connectionName(name)
                .connectionTimeout(TIMEOUT).build());
    }

    static JsonNode json(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(data), e);
        }
    }
}
