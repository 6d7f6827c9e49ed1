package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code /accstatz}: nats-server's {@code AccountStatz} (monitor.go) and {@code AccountStat} (events.go). */
public record AccountStatz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("account_statz") List<AccountStat> accounts) {

    /**
     * One account's figures ({@code AccountStat}): also the body of {@code $SYS.ACCOUNT.<acc>.SERVER.CONNS}.
     *
     * @param account       {@code acc}
     * @param name          the account's name tag, else its name
     * @param conns         local client connections
     * @param leafnodes     local leaf node connections
     * @param totalConns    both
     * @param numSubs       subscriptions
     * @param sent          what was delivered for the account's publishes
     * @param received      what the account's connections published
     * @param slowConsumers slow consumers among its connections
     */
    public record AccountStat(
            @JsonProperty("acc") String account,
            @JsonProperty("name") String name,
            @JsonProperty("conns") int conns,
            @JsonProperty("leafnodes") int leafnodes,
            @JsonProperty("total_conns") int totalConns,
            @JsonProperty("num_subscriptions") long numSubs,
            @JsonProperty("sent") DataStats sent,
            @JsonProperty("received") DataStats received,
            @JsonProperty("slow_consumers") long slowConsumers) {
    }

    /**
     * {@code DataStats}: messages and bytes, with the per connection kind parts nats-server adds for accounts
     * (always present there, all zero without routes, gateways and leaf nodes).
     */
    public record DataStats(
            @JsonProperty("msgs") long msgs,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("gateways") @JsonInclude(Include.NON_NULL) MsgBytes gateways,
            @JsonProperty("routes") @JsonInclude(Include.NON_NULL) MsgBytes routes,
            @JsonProperty("leafs") @JsonInclude(Include.NON_NULL) MsgBytes leafs) {

        /** Messages and bytes without the per-kind parts. */
        public static DataStats of(long msgs, long bytes) {
            return new DataStats(msgs, bytes, null, null, null);
        }

        /** Messages and bytes with zero per-kind parts (an account's figures). */
        public static DataStats withKinds(long msgs, long bytes) {
            MsgBytes zero = new MsgBytes(0, 0);
            return new DataStats(msgs, bytes, zero, zero, zero);
        }
    }

    /** {@code MsgBytes}. */
    public record MsgBytes(@JsonProperty("msgs") long msgs, @JsonProperty("bytes") long bytes) {
    }
}
