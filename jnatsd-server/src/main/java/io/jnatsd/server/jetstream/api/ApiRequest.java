package io.jnatsd.server.jetstream.api;

import io.jnatsd.server.account.Account;
import io.jnatsd.server.conn.ClientInfo;

/**
 * One JetStream API request as a handler sees it ({@code getRequestInfo}): the subject, the reply subject in the
 * system account, the header block and body, and who asked (the requestor's client info from
 * {@code Nats-Request-Info}, and the account it resolves to). Immutable.
 *
 * @param subject the request subject ({@code $JS.API....})
 * @param reply   where the response goes (in the system account), or null
 * @param header  the header block, or null
 * @param body    the body (never null)
 * @param client  the requestor, or null when the request came without {@code Nats-Request-Info}
 * @param account the requestor's account
 */
// nats-server: jetstream_api.go getRequestInfo
public record ApiRequest(String subject, String reply, byte[] header, byte[] body, ClientInfo client,
                         Account account) {

    /** The {@code n}-th token of the subject (0-based), or empty. */
    public String token(int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            start = subject.indexOf('.', start);
            if (start < 0) {
                return "";
            }
            start++;
        }
        int end = subject.indexOf('.', start);
        return end < 0 ? subject.substring(start) : subject.substring(start, end);
    }

    /** The body as text, for audit advisories. */
    public String bodyText() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
}
