package io.jnatsd.server.monitor;

/**
 * What {@code /jsz} and the {@code JSZ} requests ask for (nats-server's {@code JSzOptions}, monitor.go).
 *
 * @param account          only this account's details (takes precedence over paging), or empty
 * @param accounts         include {@code account_details}
 * @param streams          include the accounts' streams (and the accounts, unless {@code account} is set)
 * @param consumer         include the streams' consumers (and the streams)
 * @param directConsumer   include internal direct consumers (jnatsd has none)
 * @param config           include stream and consumer configurations
 * @param leaderOnly       only the meta leader answers (a standalone server is one)
 * @param offset           paging offset over the accounts sorted by name
 * @param limit            paging limit (0: {@link Monitoring#DEFAULT_LIST_SIZE}; negative: no paging)
 * @param raft             include raft groups and the leader counts
 * @param streamLeaderOnly only streams this server leads (all of them on a standalone server)
 */
// nats-server: monitor.go JSzOptions
public record JszOptions(String account, boolean accounts, boolean streams, boolean consumer, boolean directConsumer,
                         boolean config, boolean leaderOnly, int offset, int limit, boolean raft,
                         boolean streamLeaderOnly) {

    /** Nothing asked for: the server-wide figures. */
    public static final JszOptions NONE = new JszOptions("", false, false, false, false, false, false, 0, 0, false,
            false);

    public JszOptions {
        account = account == null ? "" : account;
    }
}
