package io.jnatsd.server.monitor;

/**
 * What {@code /connz} (or {@code CONNZ} over {@code $SYS}) asks for: nats-server's {@code ConnzOptions}.
 *
 * @param sort          the order, null for the default (by cid)
 * @param auth          include user, account, JWT and TLS peer certificates
 * @param subscriptions include the subscription subjects
 * @param subscriptionsDetail include the subscription details (takes precedence over {@code subscriptions})
 * @param offset        paging offset (negative means 0)
 * @param limit         paging limit (0 or less means {@link Monitoring#DEFAULT_LIST_SIZE})
 * @param cid           only this connection (0: all); forces limit 1
 * @param mqttClient    only this MQTT client id, or empty
 * @param state         open, closed or both
 * @param user          only this authorized user, or empty
 * @param account       only this account, or empty
 * @param filterSubject only connections with a subscription colliding with this subject (requires an account),
 *                      or empty
 */
public record ConnzOptions(SortOption sort, boolean auth, boolean subscriptions, boolean subscriptionsDetail,
                           int offset, int limit, long cid, String mqttClient, ConnState state, String user,
                           String account, String filterSubject) {

    /** The defaults: open connections by cid, first page. */
    public static final ConnzOptions DEFAULT = new ConnzOptions(null, false, false, false, 0, 0, 0, "",
            ConnState.OPEN, "", "", "");

    public ConnzOptions {
        mqttClient = mqttClient == null ? "" : mqttClient;
        user = user == null ? "" : user;
        account = account == null ? "" : account;
        filterSubject = filterSubject == null ? "" : filterSubject;
        state = state == null ? ConnState.OPEN : state;
    }

    /** The same options restricted to {@code acc} ({@code $SYS.REQ.ACCOUNT.<acc>.CONNZ}). */
    public ConnzOptions withAccount(String acc) {
        return new ConnzOptions(sort, auth, subscriptions, subscriptionsDetail, offset, limit, cid, mqttClient, state,
                user, acc, filterSubject);
    }

    /** Which connections: nats-server's {@code ConnState} (0 open, 1 closed, 2 all). */
    public enum ConnState {
        OPEN, CLOSED, ALL
    }
}
