package io.jnatsd.server.auth;

import io.jnatsd.config.AuthOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One connection's view of its user's {@link Permissions}: the caches and the reply tracking nats-server keeps per
 * client ({@code client.go permissions.pcache}, {@code msgDeny}, {@code replies}).
 * <ul>
 *   <li>publish checks cache their answer per subject (at most {@value #PUBLISH_CACHE_ENTRIES});</li>
 *   <li>once a subscription could overlap a subscribe deny entry, every delivery to this connection is checked
 *       against the deny entries, with a cache of {@value #DENY_CACHE_ENTRIES} answers;</li>
 *   <li>with {@code allow_responses}, the reply subject of each message delivered to this connection becomes
 *       publishable for {@code max} messages within {@code expires}; stale entries are pruned after
 *       {@value #REPLY_PRUNE_ENTRIES} new ones or a second.</li>
 * </ul>
 * Threads: {@link #publishAllowed} and {@link #canSubscribe} run on the connection's event loop only;
 * {@link #deliveryDenied} and {@link #trackReply} run on any publisher's thread. The deny cache and the reply table
 * are guarded by their own monitors, never held together with the connection's outbound lock
 * ({@code docs/lock-ordering.md}).
 */
public final class ClientPermissions {

    /** nats-server: client.go maxPermCacheSize. */
    static final int PUBLISH_CACHE_ENTRIES = 128;
    /** nats-server: client.go prunePubPermsCache maxPruneAtOnce. */
    private static final int PUBLISH_CACHE_PRUNE_ENTRIES = 1000;
    /** nats-server: client.go maxDenyPermCacheSize. */
    static final int DENY_CACHE_ENTRIES = 256;
    /** nats-server: client.go pruneSize. */
    private static final int PRUNE_ENTRIES = 32;
    /** nats-server: client.go replyPermLimit. */
    static final int REPLY_PRUNE_ENTRIES = 4096;
    /** nats-server: client.go replyPruneTime. */
    private static final long REPLY_PRUNE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Permissions permissions;
    private final SubjectKeyCache publishCache = new SubjectKeyCache(PUBLISH_CACHE_ENTRIES,
            PUBLISH_CACHE_PRUNE_ENTRIES);
    private final SubjectKeyCache denyCache = new SubjectKeyCache(DENY_CACHE_ENTRIES, PRUNE_ENTRIES);
    private final AuthOptions.ResponsePermission response;
    private final long responseExpiresNanos;
    private final Map<String, Reply> replies;           // null without response permission; guarded by itself

    private volatile boolean deliveryFilter;            // set on the event loop once a subscription needs it
    private int repliesSincePrune;                      // guarded by replies
    private long lastReplyPruneNanos;                   // guarded by replies

    /** A tracked reply subject: when its request was delivered and how often it was answered since. */
    private static final class Reply {
        final long deliveredNanos;
        int responses;

        Reply(long deliveredNanos) {
            this.deliveredNanos = deliveredNanos;
        }
    }

    public ClientPermissions(Permissions permissions) {
        this.permissions = permissions;
        this.response = permissions.response();
        this.responseExpiresNanos = response == null ? 0 : saturatedNanos(response.expires());
        this.replies = response == null ? null : new HashMap<>();
        this.lastReplyPruneNanos = System.nanoTime();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The user's permissions. */
    public Permissions permissions() {
        return permissions;
    }

    /** Whether publishing is restricted; when not, {@link #publishAllowed} need not be called. */
    public boolean restrictsPublish() {
        return permissions.restrictsPublish();
    }

    /**
     * Whether the connection may publish to {@code subject[off, off+len)}: allowed by the lists, or (with response
     * permissions) a tracked reply subject that still has responses left, which uses one up. Event loop only.
     */
    // nats-server: client.go pubAllowedFullCheck
    public boolean publishAllowed(byte[] subject, int off, int len) {
        Boolean cached = publishCache.get(subject, off, len, null);
        if (cached != null) {
            return cached;
        }
        boolean allowed = permissions.publishAllowed(subject, off, len);
        if (!allowed && replies != null) {
            // replies are never cached: the answer changes with every delivery and response
            String s = new String(subject, off, len, StandardCharsets.UTF_8);
            synchronized (replies) {
                return responseAllowed(s, System.nanoTime());
            }
        }
        publishCache.put(subject, off, len, null, allowed);
        return allowed;
    }

    /**
     * Whether the connection may subscribe to {@code subject} in {@code queue} (null for none); when it may and the
     * subscription could receive denied subjects, deliveries are filtered from now on. Event loop only.
     */
    // nats-server: client.go canSubscribe
    public boolean canSubscribe(String subject, String queue) {
        if (!permissions.canSubscribe(subject, queue)) {
            return false;
        }
        if (!deliveryFilter && permissions.needsDeliveryFilter(subject, queue != null && !queue.isEmpty())) {
            deliveryFilter = true;
        }
        return true;
    }

    /** Forgets whether deliveries need filtering, before the subscriptions are checked again (reload). */
    public void resetDeliveryFilter() {
        deliveryFilter = false;
        synchronized (denyCache) {
            denyCache.clear();
        }
    }

    /**
     * Whether a message on {@code subject[off, off+len)} must not be delivered to a subscription in {@code queue}
     * (null for none) because it hits a subscribe deny entry. Any thread.
     */
    // nats-server: client.go deliverMsg (mperms), checkDenySub
    public boolean deliveryDenied(byte[] subject, int off, int len, byte[] queue) {
        if (!deliveryFilter) {
            return false;
        }
        synchronized (denyCache) {
            Boolean cached = denyCache.get(subject, off, len, queue);
            if (cached != null) {
                return cached;
            }
            boolean denied = permissions.deliveryDenied(subject, off, len, queue);
            denyCache.put(subject, off, len, queue, denied);
            return denied;
        }
    }

    /**
     * Records that a message with reply subject {@code reply[off, off+len)} was delivered to this connection, so that
     * it may answer it; a no-op without response permissions or when the reply is publishable anyway. Any thread.
     */
    // nats-server: client.go deliverMsg (client.replies), pruneReplyPerms
    public void trackReply(byte[] reply, int off, int len) {
        if (replies == null || len == 0 || permissions.publishAllowed(reply, off, len)) {
            return;
        }
        String key = new String(reply, off, len, StandardCharsets.UTF_8);
        long now = System.nanoTime();
        synchronized (replies) {
            // As nats-server, the check counts as a response when the reply is already tracked.
            if (responseAllowed(key, now)) {
                return;
            }
            replies.put(key, new Reply(now));
            repliesSincePrune++;
            if (repliesSincePrune > REPLY_PRUNE_ENTRIES || now - lastReplyPruneNanos > REPLY_PRUNE_INTERVAL_NANOS) {
                pruneReplies(now);
            }
        }
    }

    /** Number of tracked reply subjects. */
    int trackedReplies() {
        if (replies == null) {
            return 0;
        }
        synchronized (replies) {
            return replies.size();
        }
    }

    // nats-server: client.go responseAllowed; replies monitor held
    private boolean responseAllowed(String subject, long now) {
        Reply reply = replies.get(subject);
        if (reply == null) {
            return false;
        }
        reply.responses++;
        int max = response.maxMessages();
        if (max > 0 && reply.responses > max) {
            replies.remove(subject);
            return false;
        }
        if (responseExpiresNanos > 0 && now - reply.deliveredNanos > responseExpiresNanos) {
            replies.remove(subject);
            return false;
        }
        return true;
    }

    // nats-server: client.go pruneReplyPerms; replies monitor held
    private void pruneReplies(long now) {
        int max = response.maxMessages();
        Iterator<Reply> it = replies.values().iterator();
        while (it.hasNext()) {
            Reply reply = it.next();
            if ((max > 0 && reply.responses >= max)
                    || (responseExpiresNanos > 0 && now - reply.deliveredNanos > responseExpiresNanos)) {
                it.remove();
            }
        }
        repliesSincePrune = 0;
        lastReplyPruneNanos = now;
    }
}
