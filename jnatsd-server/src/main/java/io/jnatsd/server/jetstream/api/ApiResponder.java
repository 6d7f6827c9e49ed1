package io.jnatsd.server.jetstream.api;

import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClientInfo;
import io.jnatsd.server.jetstream.Advisories;
import io.jnatsd.server.jetstream.JetStream;
import io.jnatsd.server.jetstream.JsAccount;
import io.jnatsd.store.NatsHeaders;

import java.nio.charset.StandardCharsets;

/**
 * Sends JetStream API responses as nats-server does ({@code sendAPIResponse}, {@code sendAPIErrResponse}): counts the
 * request in the requestor's account (and as an error when it is one), publishes the response on the reply subject in
 * the system account (the service import carries it back), and publishes the {@code $JS.EVENT.ADVISORY.API} audit
 * advisory in the requestor's account. Thread-safe.
 */
// nats-server: jetstream_api.go sendAPIResponse, sendAPIErrResponse, sendJetStreamAPIAuditAdvisory, trackAPI
public final class ApiResponder {

    /** The header carrying the requestor's client info across the service import. */
    public static final String CLIENT_INFO_HEADER = "Nats-Request-Info";
    /** The header with the API level a client requires. */
    public static final String REQUIRED_API_LEVEL_HEADER = "Nats-Required-Api-Level";
    /** The response type of errors for requests without client info. */
    static final String SYSTEM_RESPONSE = "io.nats.jetstream.api.v1.system_response";

    private final JetStream js;

    ApiResponder(JetStream js) {
        this.js = js;
    }

    /** A successful response with the payload {@code parts} (see {@link ApiJson#response}). */
    public void ok(ApiRequest r, String type, Object... parts) {
        send(r, ApiJson.response(type, null, parts), false);
    }

    /** An error response; {@code parts} are the payload's zero-valued fields Go still writes. */
    public void error(ApiRequest r, String type, ApiError error, Object... parts) {
        send(r, ApiJson.response(type, error, parts), true);
    }

    /** A response already encoded, counted as an error when {@code error}. */
    public void send(ApiRequest r, byte[] response, boolean error) {
        track(r.account(), error);
        if (r.reply() != null && !r.reply().isEmpty()) {
            js.host().systemClient().publishInternal(r.reply(), null, null, response);
        }
        audit(r.client(), r.account(), r.subject(), r.bodyText(), response);
    }

    /** A response that is neither counted nor audited (a successful {@code STREAM.MSG.GET}). */
    public void sendUntracked(ApiRequest r, byte[] response) {
        if (r.reply() != null && !r.reply().isEmpty()) {
            js.host().systemClient().publishInternal(r.reply(), null, null, response);
        }
    }

    /** An error to a request that came without client info ({@code system_response}). */
    void sendSystemError(String reply, String subject, byte[] body, ApiError error) {
        byte[] response = ApiJson.response(SYSTEM_RESPONSE, error);
        Account system = js.host().systemAccount();
        track(system, true);
        if (reply != null && !reply.isEmpty()) {
            js.host().systemClient().publishInternal(reply, null, null, response);
        }
        audit(null, system, subject, new String(body, StandardCharsets.UTF_8), response);
    }

    private void track(Account account, boolean error) {
        JsAccount jsa = js.account(account);
        if (jsa != null) {
            jsa.trackApi(error);
        }
    }

    // nats-server: jetstream_api.go sendJetStreamAPIAuditAdvisory
    private void audit(ClientInfo ci, Account account, String subject, String request, byte[] response) {
        Advisories adv = js.advisories();
        if (adv == null || account == null || !adv.hasInterest(account, Advisories.API_AUDIT)) {
            return;
        }
        String[] h = Advisories.head(Advisories.ApiAudit.TYPE);
        adv.publish(account, Advisories.API_AUDIT, new Advisories.ApiAudit(h[0], h[1], h[2], js.host().serverName(),
                Advisories.forAdvisory(ci), subject, request, new String(response, StandardCharsets.UTF_8),
                js.domain()));
    }

    /** Whether the request's {@code Nats-Required-Api-Level} is unparsable or above this server's level. */
    // nats-server: jetstream_versioning.go errorOnRequiredApiLevel
    public static boolean errorOnRequiredApiLevel(byte[] header) {
        String level = NatsHeaders.value(header, REQUIRED_API_LEVEL_HEADER);
        if (level == null || level.isEmpty()) {
            return false;
        }
        try {
            return Integer.parseInt(level) > JetStream.API_LEVEL;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
