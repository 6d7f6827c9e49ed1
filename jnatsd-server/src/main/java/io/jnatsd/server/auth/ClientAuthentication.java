package io.jnatsd.server.auth;

import io.jnatsd.config.AuthOptions;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A custom authenticator supplied by an embedding application, as nats-server's
 * {@code Options.CustomClientAuthentication}: when one is given, it alone decides whether a client may connect
 * (the configured users, tokens, nkeys, trusted proxies and certificate mapping are not consulted), and clients are
 * told that authentication is required. It sees what the client sent in CONNECT, the TLS peer certificates, the
 * client's address (after a PROXY protocol header) and the nonce sent in INFO (when one was sent).
 * <pre>{@code
 * ClientAuthentication auth = request -> request.credentials().token().equals(secret)
 *         ? ClientAuthentication.Decision.accept()
 *         : ClientAuthentication.Decision.reject();
 * NatsServer server = new NatsServer(options, auth);
 * }</pre>
 * A rejected client gets {@code -ERR 'Authorization Violation'} and is closed with "Authentication Failure". It is
 * also asked again, for every connected client, on each configuration reload.
 * <p>
 * Called on the client connection's event loop: implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface ClientAuthentication {

    /** Whether the client described by {@code request} may connect, and as whom. */
    Decision check(Request request);

    /**
     * What the server knows about a connecting client.
     *
     * @param credentials      user, password, token, nkey, signature and proxy signature from CONNECT
     * @param jwt              the user JWT from CONNECT, or empty
     * @param clientName       the {@code name} from CONNECT, or empty
     * @param nonce            the nonce sent in INFO (the bytes a signature covers), or null when none was sent
     * @param peerCertificates the TLS client's certificate chain, leaf first; empty without TLS or certificate
     * @param remoteAddress    the client's address (the PROXY header's source when there was one)
     * @param connectionType   the connection type, {@code STANDARD} for NATS clients
     */
    record Request(Credentials credentials, String jwt, String clientName, byte[] nonce,
                   List<X509Certificate> peerCertificates, InetSocketAddress remoteAddress, String connectionType) {

        public Request {
            Objects.requireNonNull(credentials, "credentials");
            jwt = Objects.requireNonNullElse(jwt, "");
            clientName = Objects.requireNonNullElse(clientName, "");
            peerCertificates = peerCertificates == null ? List.of() : List.copyOf(peerCertificates);
            Objects.requireNonNull(connectionType, "connectionType");
        }
    }

    /**
     * The verdict.
     *
     * @param accepted    whether the client may connect
     * @param permissions on acceptance: the client's publish/subscribe permissions, or null for none
     * @param account     on acceptance: the account the client joins ({@code $G} when null)
     */
    record Decision(boolean accepted, AuthOptions.Permissions permissions, String account) {

        private static final Decision REJECT = new Decision(false, null, null);
        private static final Decision ACCEPT = new Decision(true, null, null);

        /** Accepts the client without permission limits, in the global account. */
        public static Decision accept() {
            return ACCEPT;
        }

        /** Accepts the client with {@code permissions} (null: none) in {@code account} (null: the global one). */
        public static Decision accept(AuthOptions.Permissions permissions, String account) {
            return new Decision(true, permissions, account);
        }

        /** Rejects the client. */
        public static Decision reject() {
            return REJECT;
        }
    }
}
