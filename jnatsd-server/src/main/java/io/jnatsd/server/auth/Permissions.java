package io.jnatsd.server.auth;

import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.AuthOptions;
import io.jnatsd.subject.InvalidSubjectException;
import io.jnatsd.subject.Subjects;
import io.jnatsd.subject.Sublist;
import io.jnatsd.subject.SublistResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's permissions compiled for matching: the publish and subscribe allow and deny lists as {@link Sublist}s of
 * patterns, and the response permission ({@code client.go setPermissions}, {@code permissions}). Shared by every
 * connection of the user; the per-connection caches and reply tracking live in {@link ClientPermissions}.
 * <p>
 * A missing allow list allows everything, a missing deny list denies nothing. As in nats-server, an empty publish
 * allow list allows nothing while an empty subscribe allow list restricts nothing, and any response permission turns
 * a missing publish allow list into an empty one (only tracked replies may then be published to).
 * <p>
 * Immutable and thread-safe (the sublists are never changed after construction).
 */
public final class Permissions {

    private static final NatsLogger LOG = NatsLogger.get(Permissions.class);

    private final AuthOptions.Permissions source;
    private final Sublist<PermissionEntry> publishAllow;     // null: no allow list
    private final Sublist<PermissionEntry> publishDeny;      // null: no deny list
    private final Sublist<PermissionEntry> subscribeAllow;
    private final Sublist<PermissionEntry> subscribeDeny;
    private final List<PermissionEntry> subscribeDenyEntries;
    private final Sublist<PermissionEntry> deliveryDeny;     // subscribe deny entries, cached, for delivery checks
    private final AuthOptions.ResponsePermission response;   // null: no response permission

    private Permissions(AuthOptions.Permissions source, boolean sublistCache) {
        AuthOptions.Permissions p = withResponseDefaults(source);
        this.source = source;
        this.response = p.response();
        AuthOptions.SubjectPermission pub = p.publish();
        AuthOptions.SubjectPermission sub = p.subscribe();
        this.publishAllow = pub != null && pub.allow() != null ? publishList(pub.allow(), sublistCache, "publish")
                : null;
        this.publishDeny = pub != null && pub.deny() != null && !pub.deny().isEmpty()
                ? publishList(pub.deny(), sublistCache, "publish deny") : null;
        this.subscribeAllow = sub != null && sub.allow() != null && !sub.allow().isEmpty()
                ? subscribeList(sub.allow(), false, "subscribe allow", null) : null;
        List<PermissionEntry> denyEntries = new ArrayList<>();
        this.subscribeDeny = sub != null && sub.deny() != null && !sub.deny().isEmpty()
                ? subscribeList(sub.deny(), false, "subscribe deny", denyEntries) : null;
        this.subscribeDenyEntries = List.copyOf(denyEntries);
        this.deliveryDeny = subscribeDeny == null ? null : subscribeList(sub.deny(), true, "subscribe deny", null);
    }

    /**
     * Compiles {@code permissions}; invalid entries (which configuration validation normally rejects first) are
     * logged and skipped, as nats-server does.
     *
     * @param sublistCache whether the publish lists keep a match cache (off with {@code disable_sublist_cache})
     */
    // nats-server: client.go setPermissions, auth.go validateResponsePermissions
    public static Permissions compile(AuthOptions.Permissions permissions, boolean sublistCache) {
        return new Permissions(permissions, sublistCache);
    }

    /** The permissions as configured. */
    public AuthOptions.Permissions source() {
        return source;
    }

    /** Whether publishing is restricted at all (an allow or a deny list). */
    public boolean restrictsPublish() {
        return publishAllow != null || publishDeny != null;
    }

    /** The response permission after defaults ({@code max} 0 means 1, {@code expires} 0 means 2 minutes), or null. */
    public AuthOptions.ResponsePermission response() {
        return response;
    }

    /** Whether the allow and deny lists let a client publish to the literal {@code subject[off, off+len)}. */
    // nats-server: client.go pubAllowedFullCheck, the part before the reply tracking
    boolean publishAllowed(byte[] subject, int off, int len) {
        boolean allowed = publishAllow == null || publishAllow.hasInterest(subject, off, len);
        if (allowed && publishDeny != null) {
            allowed = !publishDeny.hasInterest(subject, off, len);
        }
        return allowed;
    }

    /**
     * Whether a client may subscribe to {@code subject} with {@code queue} (null for none). The subscription subject
     * is matched as a literal against the patterns, so deny {@code foo.>} blocks {@code foo.*} while deny
     * {@code foo.bar} does not block {@code foo.*}.
     */
    // nats-server: client.go canSubscribeInternal (CLIENT connections)
    public boolean canSubscribe(String subject, String queue) {
        boolean hasQueue = queue != null && !queue.isEmpty();
        boolean allowed = true;
        if (subscribeAllow != null) {
            SublistResult<PermissionEntry> r = subscribeAllow.match(subject);
            allowed = r.plainCount() > 0;
            if (hasQueue && r.queueGroupCount() > 0) {
                allowed = queueMatches(queue, r);
            }
        }
        if (allowed && subscribeDeny != null) {
            SublistResult<PermissionEntry> r = subscribeDeny.match(subject);
            allowed = r.plainCount() == 0;
            if (allowed && hasQueue && r.queueGroupCount() > 0) {
                allowed = !queueMatches(queue, r);
            }
        }
        return allowed;
    }

    /**
     * Whether a subscription on {@code subject} could receive messages that a subscribe deny entry covers, so that
     * deliveries to it must be filtered: wildcard subscriptions (and queue subscriptions) overlapping a deny entry.
     */
    // nats-server: client.go loadMsgDenyFilterIfNeeded
    boolean needsDeliveryFilter(String subject, boolean hasQueue) {
        if (subscribeDenyEntries.isEmpty() || !(hasQueue || hasWildcard(subject))) {
            return false;
        }
        for (PermissionEntry deny : subscribeDenyEntries) {
            if (SubjectOverlap.collide(new String(deny.subject(), StandardCharsets.UTF_8), subject)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a message on the literal {@code subject} for a subscription in {@code queue} (or null) is denied. */
    // nats-server: client.go checkDenySub, without its cache
    boolean deliveryDenied(byte[] subject, int off, int len, byte[] queue) {
        SublistResult<PermissionEntry> r = deliveryDeny.match(subject, off, len);
        boolean denied = r.plainCount() != 0;
        if (!denied && queue != null && queue.length > 0 && r.queueGroupCount() != 0) {
            denied = queueMatches(new String(queue, StandardCharsets.UTF_8), r);
        }
        return denied;
    }

    // nats-server: client.go queueMatches
    private static boolean queueMatches(String queue, SublistResult<PermissionEntry> r) {
        int groups = r.queueGroupCount();
        if (groups == 0) {
            return true;
        }
        for (int g = 0; g < groups; g++) {
            String name = new String(r.queueMember(g, 0).queue(), StandardCharsets.UTF_8);
            // '*' and '>' are also valid queue names, so the literal comparison comes first
            if (queue.equals(name) || (hasWildcard(name) && Subjects.subjectMatchesFilter(queue, name))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code subject} has a {@code *} or {@code >} token. */
    static boolean hasWildcard(String subject) {
        int start = 0;
        int n = subject.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || subject.charAt(i) == '.') {
                if (i - start == 1 && (subject.charAt(start) == '*' || subject.charAt(start) == '>')) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static AuthOptions.Permissions withResponseDefaults(AuthOptions.Permissions p) {
        AuthOptions.ResponsePermission response = p.response();
        if (response == null) {
            return p;
        }
        AuthOptions.SubjectPermission publish = p.publish();
        if (publish == null) {
            publish = new AuthOptions.SubjectPermission(List.of(), null);
        } else if (publish.allow() == null) {
            publish = new AuthOptions.SubjectPermission(List.of(), publish.deny());
        }
        int max = response.maxMessages() == 0 ? AuthOptions.DEFAULT_ALLOW_RESPONSE_MAX_MESSAGES
                : response.maxMessages();
        var expires = response.expires().isZero() ? AuthOptions.DEFAULT_ALLOW_RESPONSE_EXPIRATION : response.expires();
        return new AuthOptions.Permissions(publish, p.subscribe(), new AuthOptions.ResponsePermission(max, expires));
    }

    private static Sublist<PermissionEntry> publishList(List<String> subjects, boolean cache, String what) {
        Sublist<PermissionEntry> list = new Sublist<>(cache);
        for (String subject : subjects) {
            String s = subject;
            if (!Subjects.isValidSubject(s)) {
                String[] parts = splitSubjectQueue(s);
                if (parts == null || !what.endsWith("deny")) {
                    LOG.error("invalid " + what + " subject " + GoQuote.quote(subject));
                    continue;
                }
                // a queue qualifier means nothing for publishing; keep the subject's scope
                LOG.error("queue qualifier is not valid for publish deny subject " + GoQuote.quote(subject));
                s = parts[0];
            }
            insert(list, new PermissionEntry(s.getBytes(StandardCharsets.UTF_8), null), what, subject);
        }
        return list;
    }

    private static Sublist<PermissionEntry> subscribeList(List<String> entries, boolean cache, String what,
                                                         List<PermissionEntry> collected) {
        Sublist<PermissionEntry> list = new Sublist<>(cache);
        for (String entry : entries) {
            String[] parts = splitSubjectQueue(entry);
            if (parts == null) {
                LOG.error("invalid subject-queue " + GoQuote.quote(entry));
                continue;
            }
            PermissionEntry e = new PermissionEntry(parts[0].getBytes(StandardCharsets.UTF_8),
                    parts[1] == null ? null : parts[1].getBytes(StandardCharsets.UTF_8));
            if (insert(list, e, what, entry) && collected != null) {
                collected.add(e);
            }
        }
        return list;
    }

    private static boolean insert(Sublist<PermissionEntry> list, PermissionEntry e, String what, String text) {
        try {
            list.insert(e);
            return true;
        } catch (InvalidSubjectException ex) {
            LOG.error("invalid " + what + " subject " + GoQuote.quote(text));
            return false;
        }
    }

    /** {@code "<subject>"} or {@code "<subject> <queue>"} split into subject and queue (null), or null if invalid. */
    // nats-server: client.go splitSubjectQueue
    static String[] splitSubjectQueue(String entry) {
        String trimmed = entry.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length > 2 || !Subjects.isValidSubject(fields[0])
                || (fields.length == 2 && !Subjects.isValidSubject(fields[1]))) {
            return null;
        }
        return new String[] {fields[0], fields.length == 2 ? fields[1] : null};
    }
}
