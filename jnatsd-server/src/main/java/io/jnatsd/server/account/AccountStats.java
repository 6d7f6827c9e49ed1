package io.jnatsd.server.account;

import java.util.concurrent.atomic.LongAdder;

/**
 * An account's message counters ({@code /accstatz}, {@code $SYS.ACCOUNT.<acc>.SERVER.CONNS}): what its connections
 * published ({@code received}) and what was delivered for their publishes ({@code sent}), and its slow consumers.
 * Connections add their totals once per read batch, never per message. Thread-safe.
 */
// nats-server: accounts.go Account.stats
public final class AccountStats {
    private final LongAdder receivedMsgs = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();
    private final LongAdder sentMsgs = new LongAdder();
    private final LongAdder sentBytes = new LongAdder();
    /** Slow consumers detected among the account's connections. */
    public final LongAdder slowConsumers = new LongAdder();

    /** Adds what the account's connections published in one read batch. */
    public void addReceived(long msgs, long bytes) {
        receivedMsgs.add(msgs);
        receivedBytes.add(bytes);
    }

    /** Adds the deliveries of one batch of the account's publishes. */
    public void addSent(long msgs, long bytes) {
        sentMsgs.add(msgs);
        sentBytes.add(bytes);
    }

    public long receivedMsgs() {
        return receivedMsgs.sum();
    }

    public long receivedBytes() {
        return receivedBytes.sum();
    }

    public long sentMsgs() {
        return sentMsgs.sum();
    }

    public long sentBytes() {
        return sentBytes.sum();
    }

    public long slowConsumers() {
        return slowConsumers.sum();
    }
}
