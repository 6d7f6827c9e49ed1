package io.jnatsd.systest;

import io.jnatsd.jwt.AuthorizationRequestClaims;
import io.jnatsd.jwt.AuthorizationResponseClaims;
import io.jnatsd.jwt.ClaimType;
import io.jnatsd.jwt.ClaimsData;
import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.JwtCodec;
import io.jnatsd.jwt.JwtException;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An auth callout service written for the tests, as nats-server's {@code auth_callout_test.go} writes them: it
 * subscribes to {@code $SYS.REQ.USER.AUTH} on a jnats connection of an auth user, opens sealed requests with its
 * xkey (when it has one), decodes the {@code authorization_request} JWT and replies what its responder makes of it.
 * The static helpers mint the user and response JWTs with jnatsd's encoder. Thread-safe.
 */
final class CalloutService implements AutoCloseable {

    static final String SUBJECT = "$SYS.REQ.USER.AUTH";

    /**
     * One request as the service saw it.
     *
     * @param token      the request JWT
     * @param jwt        the decoded request JWT
     * @param claims     its {@code nats} object
     * @param serverXKey the {@code Nats-Server-Xkey} header, or null when the request was not sealed
     * @param reply      the reply subject
     */
    record Request(String token, Jwt jwt, AuthorizationRequestClaims claims, String serverXKey, String reply) {
        String userNkey() {
            return claims.userNkey();
        }

        String serverId() {
            return claims.server().id();
        }

        AuthorizationRequestClaims.ConnectOptions connect() {
            return claims.connectOptions();
        }
    }

    private final Connection connection;
    private final Dispatcher dispatcher;
    private final NKey xkey;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /**
     * @param connection the service's connection (an auth user)
     * @param xkey       the service's curve key, or null when requests are not sealed
     * @param responder  the reply to a request (an empty array for an empty reply, null for none at all)
     */
    CalloutService(Connection connection, NKey xkey, Function<Request, byte[]> responder) throws Exception {
        this.connection = connection;
        this.xkey = xkey;
        this.dispatcher = connection.createDispatcher(message -> handle(message, responder));
        dispatcher.subscribe(SUBJECT);
        connection.flush(java.time.Duration.ofSeconds(5));
    }

    private void handle(Message message, Function<Request, byte[]> responder) {
        try {
            byte[] data = message.getData();
            String serverXKey = message.hasHeaders() ? message.getHeaders().getFirst("Nats-Server-Xkey") : null;
            if (serverXKey != null) {
                data = xkey.open(data, serverXKey);
            }
            String token = new String(data, StandardCharsets.US_ASCII);
            Jwt jwt = JwtCodec.decode(token);
            Request request = new Request(token, jwt, jwt.authorizationRequest(), serverXKey,
                    message.getReplyTo());
            requests.add(request);
            byte[] reply = responder.apply(request);
            if (reply != null) {
                connection.publish(message.getReplyTo(), reply);
            }
        } catch (RuntimeException | JwtException e) {
            failures.add(e);
        }
    }

    /** {@code reply} sealed for the server that sent {@code request} (it must have been sealed). */
    byte[] seal(Request request, byte[] reply) {
        return xkey.seal(reply, request.serverXKey());
    }

    /** A user JWT for the request's user key, in {@code account} (its {@code aud}), signed by {@code issuer}. */
    static String user(Request request, NKey issuer, String account, UnaryOperator<ClaimsData> claims,
                       UnaryOperator<UserClaims> user) {
        ClaimsData base = ClaimsData.of(request.userNkey());
        if (account != null) {
            base = base.withAudience(account);
        }
        return sign(claims.apply(base), ClaimType.USER, user.apply(UserClaims.unlimited()), issuer);
    }

    /** An {@code authorization_response} for the request: {@code userJwt} or {@code error}, signed by {@code signer}. */
    static byte[] response(Request request, NKey signer, String userJwt, String error,
                           UnaryOperator<ClaimsData> claims) {
        ClaimsData base = ClaimsData.of(request.userNkey()).withAudience(request.serverId());
        return sign(claims.apply(base), ClaimType.AUTHORIZATION_RESPONSE,
                new AuthorizationResponseClaims(userJwt, error, null, null), signer)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The response admitting the client as a user of {@code account} with {@code user}'s claims. */
    static byte[] allow(Request request, NKey issuer, String account, UnaryOperator<UserClaims> user) {
        return response(request, issuer, user(request, issuer, account, c -> c, user), null, c -> c);
    }

    static String sign(ClaimsData claims, ClaimType type, Object data, NKey signer) {
        try {
            return JwtCodec.encode(claims, type, data, signer);
        } catch (JwtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        connection.closeDispatcher(dispatcher);
    }
}
