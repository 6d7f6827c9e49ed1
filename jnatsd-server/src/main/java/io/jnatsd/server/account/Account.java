package io.jnatsd.server.account;

import io.jnatsd.config.AccountOptions;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.server.conn.Subscription;
import io.jnatsd.subject.Sublist;
import io.jnatsd.subject.transform.SubjectMappings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A NATS account: an isolated subject space. Messages published by a connection bound to an account reach only
 * subscriptions of that account, and what other accounts import from it.
 * <p>
 * Besides its sublist and subject mappings an account holds its limits (config mode), the streams and services it
 * imports ({@link StreamImport}, {@link ServiceImport}), the services it exports ({@link ServiceExport}), the reply
 * mappings of requests it received through service imports ({@link ResponseImport}, keyed by their {@code _R_.}
 * subject) and, for the requests its own clients sent, which of those mappings hang off each reply subject (so they
 * go away when the requestor loses interest). Its internal client ({@link Connection} of kind {@code ACCOUNT})
 * holds the subscriptions that catch service requests and responses.
 * <p>
 * Thread-safe: the sublist is concurrent, counters are atomic, the import and export sets are immutable snapshots
 * in volatile fields (replaced on reload and account updates) and the response maps are concurrent.
 */
public final class Account {

    /** Name of the global account every connection joins when no accounts are configured. */
    public static final String GLOBAL = "$G";
    /** Default name of the system account. */
    public static final String SYSTEM = "$SYS";

    private static final StreamImport[] NO_STREAM_IMPORTS = new StreamImport[0];
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            .toCharArray();
    /** Random characters of the account's reply prefix and of each reply ({@code accounts.go replyLen}). */
    private static final int REPLY_RANDOM_LENGTH = 6;

    /** One response mapping hanging off a requestor's reply subject: in {@code holder}, under {@code subject}. */
    public record ReverseEntry(Account holder, String subject) {
    }

    private final String name;
    private final Sublist<Subscription> sublist;
    private final AtomicInteger clientCount = new AtomicInteger();
    private final AccountStats stats = new AccountStats();
    private volatile Instant updated = Instant.now();
    /** Subject mappings applied to inbound publishes; null when there are none (the publish path checks for null). */
    private volatile SubjectMappings mappings;
    private volatile AccountOptions.Limits limits = AccountOptions.Limits.UNLIMITED;
    private volatile String nkey = "";
    private volatile StreamImport[] streamImports = NO_STREAM_IMPORTS;
    private volatile List<ServiceImport> serviceImports = List.of();
    private volatile Map<String, ServiceExport> serviceExports = Map.of();
    private final Map<String, ResponseImport> responses = new ConcurrentHashMap<>();
    private final Map<String, List<ReverseEntry>> reverseResponses = new ConcurrentHashMap<>();
    private volatile Connection internalClient;
    private volatile String replyPrefix;
    private volatile ScheduledExecutorService scheduler;

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

    /** The config-mode limits ({@link AccountOptions.Limits#UNLIMITED} in operator mode and for {@code $G}). */
    public AccountOptions.Limits limits() {
        return limits;
    }

    public void setLimits(AccountOptions.Limits value) {
        limits = value == null ? AccountOptions.Limits.UNLIMITED : value;
    }

    /** The account's public nkey from the configuration, or empty. */
    public String nkey() {
        return nkey;
    }

    public void setNkey(String value) {
        nkey = value == null ? "" : value;
    }

    // -------------------------------------------------------------------------------------------- imports

    /** The stream imports, empty when none (read on every SUB of the account's clients). */
    public StreamImport[] streamImports() {
        return streamImports;
    }

    /** Replaces the stream imports. */
    public void setStreamImports(List<StreamImport> value) {
        streamImports = value == null || value.isEmpty() ? NO_STREAM_IMPORTS : value.toArray(StreamImport[]::new);
    }

    /** The service imports. */
    public List<ServiceImport> serviceImports() {
        return serviceImports;
    }

    /** Replaces the service imports (their subscriptions are the caller's business). */
    public void setServiceImports(List<ServiceImport> value) {
        serviceImports = value == null ? List.of() : List.copyOf(value);
    }

    /** The service exports, by subject. */
    public Map<String, ServiceExport> serviceExports() {
        return serviceExports;
    }

    /** Replaces the service exports; the timers of those that went away stop. */
    public void setServiceExports(Map<String, ServiceExport> value) {
        Map<String, ServiceExport> old = serviceExports;
        serviceExports = value == null ? Map.of() : Map.copyOf(value);
        for (ServiceExport se : old.values()) {
            if (serviceExports.get(se.options().subject()) != se) {
                se.stop();
            }
        }
    }

    // ------------------------------------------------------------------------------------ response mappings

    /** The internal client of the account, or null until one is set. */
    public Connection internalClient() {
        return internalClient;
    }

    public void setInternalClient(Connection client) {
        internalClient = client;
    }

    /** Where response threshold timers run, or null. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    public void setScheduler(ScheduledExecutorService value) {
        scheduler = value;
    }

    /**
     * The account's reply prefix {@code _R_.<6 base62>.}, created on first use, when {@code onCreate} is given
     * {@code <prefix>>} to subscribe before anyone can use the prefix ({@code server/accounts.go
     * createRespWildcard}, {@code newServiceReply}).
     */
    public synchronized String replyPrefix(Consumer<String> onCreate) {
        String prefix = replyPrefix;
        if (prefix == null) {
            prefix = "_R_." + random(REPLY_RANDOM_LENGTH) + ".";
            onCreate.accept(prefix + ">");
            replyPrefix = prefix;
        }
        return prefix;
    }

    /** The reply prefix, or null when no response mapping was ever made. */
    public String replyPrefixOrNull() {
        return replyPrefix;
    }

    /** A fresh reply subject from the prefix ({@code server/accounts.go newServiceReply}, without tracking). */
    public static String newReply(String prefix) {
        return prefix + random(REPLY_RANDOM_LENGTH);
    }

    private static String random(int length) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = BASE62[rnd.nextInt(BASE62.length)];
        }
        return new String(out);
    }

    /** Registers a response mapping under its subject. */
    public void addResponse(ResponseImport response) {
        responses.put(response.subject(), response);
    }

    /** The response mapping of {@code subject}, or null. */
    public ResponseImport response(String subject) {
        return responses.get(subject);
    }

    /** Whether there are response mappings at all (a cheap check before a lookup). */
    public boolean hasResponses() {
        return !responses.isEmpty();
    }

    /** Removes a response mapping; false when it was already gone. */
    public boolean removeResponse(ResponseImport response) {
        return response.markRemoved() & responses.remove(response.subject(), response);
    }

    /** The response mappings of {@code export}. */
    public List<ResponseImport> responsesOf(ServiceExport export) {
        List<ResponseImport> out = new ArrayList<>();
        for (ResponseImport r : responses.values()) {
            if (r.export() == export) {
                out.add(r);
            }
        }
        return out;
    }

    /** Number of response mappings held. */
    public int responseCount() {
        return responses.size();
    }

    /** Notes that a mapping in {@code holder} answers to {@code reply} of this (the requestor's) account. */
    public void addReverseEntry(String reply, Account holder, String subject) {
        reverseResponses.compute(reply, (k, list) -> {
            List<ReverseEntry> next = list == null ? new ArrayList<>(1) : list;
            next.add(new ReverseEntry(holder, subject));
            return next;
        });
    }

    /** Forgets the entry for {@code subject} under {@code reply}. */
    public void removeReverseEntry(String reply, String subject) {
        reverseResponses.computeIfPresent(reply, (k, list) -> {
            list.removeIf(e -> e.subject().equals(subject));
            return list.isEmpty() ? null : list;
        });
    }

    /** Whether any reverse entry exists (a cheap check on unsubscribe). */
    public boolean hasReverseEntries() {
        return !reverseResponses.isEmpty();
    }

    /** Takes (removes and returns) the entries of {@code reply}; empty when none. */
    public List<ReverseEntry> takeReverseEntries(String reply) {
        List<ReverseEntry> list = reverseResponses.remove(reply);
        return list == null ? List.of() : list;
    }

    /** The reply subjects that have reverse entries. */
    public Collection<String> reverseEntryReplies() {
        return List.copyOf(reverseResponses.keySet());
    }

    @Override
    public String toString() {
        return name;
    }
}
