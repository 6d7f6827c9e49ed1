package io.jnatsd.server.account;

import io.jnatsd.server.conn.Subscription;
import io.jnatsd.subject.Sublist;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A NATS account: an isolated subject space. Messages published by a connection bound to an account reach only
 * subscriptions of that account.
 */
public final class Account {

    /** Name of the global account every connection joins when no accounts are configured. */
    public static final String GLOBAL = "$G";
    /** Default name of the system account. */
    public static final String SYSTEM = "$SYS";

    private final String name;
    private final Sublist<Subscription> sublist;
    private final AtomicInteger clientCount = new AtomicInteger();

    public Account(String name, boolean sublistCacheEnabled) {
        this.name = name;
        this.sublist = new Sublist<>(sublistCacheEnabled);
    }

    public String name() {
        return name;
    }

    /** The account's subscriptions. */
    public Sublist<Subscription> sublist() {
        return sublist;
    }

    /** Number of client connections bound to the account. */
    public int clientCount() {
        return clientCount.get();
    }

    /** Registers one more client connection; returns the new count. */
    public int addClient() {
        return clientCount.incrementAndGet();
    }

    public void removeClient() {
        clientCount.decrementAndGet();
    }

    @Override
    public String toString() {
        return name;
    }
}
