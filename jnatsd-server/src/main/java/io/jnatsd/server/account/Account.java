package io.jnatsd.server.account;

import io.jnatsd.server.conn.Subscription;
import io.jnatsd.subject.Sublist;
import io.jnatsd.subject.transform.SubjectMappings;

import java.time.Instant;
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
    private final AccountStats stats = new AccountStats();
    private volatile Instant updated = Instant.now();
    /** Subject mappings applied to inbound publishes; null when there are none (the publish path checks for null). */
    private volatile SubjectMappings mappings;

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

    /** The account's message counters. */
    public AccountStats stats() {
        return stats;
    }

    /** When the account was created or last updated ({@code /accountz} {@code update_time}). */
    public Instant updateTime() {
        return updated;
    }

    /** Records an update of the account (a new JWT, reloaded configuration). */
    public void touch() {
        updated = Instant.now();
    }

    /** Registers one more client connection; returns the new count. */
    public int addClient() {
        return clientCount.incrementAndGet();
    }

    public void removeClient() {
        clientCount.decrementAndGet();
    }

    /** The account's subject mappings, or null when it has none. */
    public SubjectMappings mappings() {
        return mappings;
    }

    /** Replaces the account's subject mappings as a whole (load and reload); null or empty removes them. */
    public void setMappings(SubjectMappings newMappings) {
        mappings = newMappings == null || newMappings.isEmpty() ? null : newMappings;
    }

    @Override
    public String toString() {
        return name;
    }
}
