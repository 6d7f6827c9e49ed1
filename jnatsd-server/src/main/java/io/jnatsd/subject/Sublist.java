package io.jnatsd.subject;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The subscriptions of an account, organised as a trie of subject tokens, and the matching of published subjects
 * against them, with a shared result cache in front (behaviour of nats-server {@code server/sublist.go}).
 *
 * <p>Trie: each {@link Level} holds the literal children of a token position plus at most one {@code *} and one
 * {@code >} child; each {@link Node} holds its plain subscriptions and its queue groups keyed by queue name. A
 * {@code >} matches one or more trailing tokens, so {@code foo.>} does not match {@code foo}.
 *
 * <p>Cache: up to {@value #CACHE_MAX_ENTRIES} subject-to-result entries, empty results included; when a miss pushes it
 * over that, arbitrary entries are dropped down to {@value #CACHE_SWEEP_ENTRIES}. An insert adds the subscription to
 * every cached result it matches (copy on write); a remove evicts every cached result it matches; a batch remove
 * empties the cache.
 *
 * <p>Threads: thread-safe. Many threads match concurrently while writers (insert, remove) are serialized.
 * <ul>
 *   <li>A cache hit reads the cache table without a lock and allocates nothing.</li>
 *   <li>A miss walks the trie under an optimistic {@link StampedLock} read (no shared write), falling back to a
 *       read lock if a writer interfered, then offers the result to the cache under {@code cacheLock} if the
 *       {@link #generation()} has not moved since the walk started (so a result that a concurrent writer could not
 *       patch is never stored).</li>
 *   <li>Writers hold the trie write lock, then take {@code cacheLock} to patch the cache and bump the generation.
 *       Lock order: trie lock, then {@code cacheLock}.</li>
 * </ul>
 * When {@code insert} or {@code remove} returns, every later {@code match} reflects it.
 *
 * @param <S> the subscription type; entries are compared by identity
 */
public final class Sublist<S extends SublistEntry> {

    /** nats-server: sublist.go slCacheMax. */
    static final int CACHE_MAX_ENTRIES = 1024;
    /** nats-server: sublist.go slCacheSweep. */
    static final int CACHE_SWEEP_ENTRIES = 256;

    private static final byte[] PARTIAL_WILDCARD_TOKEN = {'*'};
    private static final byte[] FULL_WILDCARD_TOKEN = {'>'};

    private final StampedLock trieLock = new StampedLock();
    private final ReentrantLock cacheLock = new ReentrantLock();
    private final Level root = new Level();
    private final ResultCache cache;            // null when the cache is disabled
    private final LongAdder matchCacheHits = new LongAdder();
    private final LongAdder matchCacheMisses = new LongAdder();
    private final LongAdder interestCacheHits = new LongAdder();

    private volatile long generation;           // bumped with both locks held
    private volatile int count;                 // written with the trie write lock held
    private long inserts;                       // guarded by the trie lock
    private long removes;                       // guarded by the trie lock

    /**
     * @param cacheEnabled whether to keep the shared result cache; nats-server turns it off with
     *                     {@code disable_sublist_cache} for workloads where interest changes faster than it pays off
     *                     (https://github.com/nats-io/nats-server/issues/941)
     */
    public Sublist(boolean cacheEnabled) {
        this.cache = cacheEnabled ? new ResultCache(CACHE_MAX_ENTRIES) : null;
    }

    public boolean cacheEnabled() {
        return cache != null;
    }

    /**
     * Adds a subscription. Inserting a subscription that is already present changes nothing.
     *
     * @throws InvalidSubjectException if the subject has an empty token or a {@code >} before its last token
     */
    public void insert(S sub) {
        byte[] subject = sub.subject();
        if (!Subjects.isValidSubscribeSubject(subject, 0, subject.length)) {
            throw new InvalidSubjectException();
        }
        long stamp = trieLock.writeLock();
        try {
            Node node = createPath(subject);
            if (!addToNode(node, sub)) {
                return;
            }
            count++;
            inserts++;
            publishChange(results -> addToCachedResults(results, subject, sub));
        } finally {
            trieLock.unlockWrite(stamp);
        }
    }

    /** Removes a subscription; false if it was not present (or its subject is invalid). */
    public boolean remove(S sub) {
        byte[] subject = sub.subject();
        if (!Subjects.isValidSubscribeSubject(subject, 0, subject.length)) {
            return false;
        }
        long stamp = trieLock.writeLock();
        try {
            if (!removeFromTrie(sub, subject)) {
                return false;
            }
            publishChange(results -> evictCachedResults(results, subject));
            return true;
        } finally {
            trieLock.unlockWrite(stamp);
        }
    }

    /**
     * Removes several subscriptions under one lock hold (a closing connection); those not present are skipped. Empties
     * the shared cache instead of updating it per subscription.
     */
    // nats-server: sublist.go RemoveBatch
    public void removeBatch(Collection<S> subs) {
        if (subs.isEmpty()) {
            return;
        }
        long stamp = trieLock.writeLock();
        try {
            for (S sub : subs) {
                byte[] subject = sub.subject();
                if (Subjects.isValidSubscribeSubject(subject, 0, subject.length)) {
                    removeFromTrie(sub, subject);
                }
            }
            publishChange(ResultCache::clear);
        } finally {
            trieLock.unlockWrite(stamp);
        }
    }

    /**
     * Call after the {@link SublistEntry#queueWeight()} of an inserted queue subscription changed: drops the cached
     * results that contain it and bumps the generation so that per-connection caches are dropped too.
     */
    // nats-server: sublist.go UpdateRemoteQSub
    public void updateRemoteQueueSub(S sub) {
        byte[] subject = sub.subject();
        if (!Subjects.isValidSubscribeSubject(subject, 0, subject.length)) {
            return;
        }
        long stamp = trieLock.writeLock();
        try {
            publishChange(results -> evictCachedResults(results, subject));
        } finally {
            trieLock.unlockWrite(stamp);
        }
    }

    /**
     * The subscriptions matching the subject {@code subject[off, off+len)}. Wildcard tokens in the subject only
     * match the same wildcards in subscriptions ({@code foo.*} reaches {@code foo.*} and {@code foo.>}, not
     * {@code foo.bar}); a subject with an empty token matches nothing. Never allocates on a cache hit. The subject
     * bytes are not retained.
     */
    public SublistResult<S> match(byte[] subject, int off, int len) {
        Objects.checkFromIndexSize(off, len, subject.length);
        ResultCache results = cache;
        if (results == null) {
            matchCacheMisses.increment();
            return matchTrie(subject, off, len, 0, false);
        }
        int hash = Bytes.hash(subject, off, len);
        SublistResult<S> hit = cast(results.get(subject, off, len, hash));
        if (hit != null) {
            matchCacheHits.increment();
            return hit;
        }
        matchCacheMisses.increment();
        return matchTrie(subject, off, len, hash, true);
    }

    /** {@link #match(byte[], int, int)} for a subject given as a string (encoded as UTF-8). */
    public SublistResult<S> match(String subject) {
        byte[] bytes = Subjects.utf8(subject);
        return match(bytes, 0, bytes.length);
    }

    /** Whether any subscription matches the subject; cheaper than {@link #match} on a miss (stops at the first). */
    // nats-server: sublist.go hasInterest / matchLevelForAny
    public boolean hasInterest(byte[] subject, int off, int len) {
        Objects.checkFromIndexSize(off, len, subject.length);
        ResultCache results = cache;
        if (results != null) {
            SublistResult<?> hit = results.get(subject, off, len, Bytes.hash(subject, off, len));
            if (hit != null) {
                interestCacheHits.increment();
                return !hit.isEmpty();
            }
        }
        if (Subjects.hasEmptyToken(subject, off, len)) {
            return false;
        }
        long stamp = trieLock.tryOptimisticRead();
        if (stamp != 0) {
            boolean any = anyMatch(root, subject, off, off + len);
            if (trieLock.validate(stamp)) {
                return any;
            }
        }
        stamp = trieLock.readLock();
        try {
            return anyMatch(root, subject, off, off + len);
        } finally {
            trieLock.unlockRead(stamp);
        }
    }

    /** A number bumped by every insert and remove; per-connection caches are valid for one value. */
    public long generation() {
        return generation;
    }

    /** Number of subscriptions. */
    public int count() {
        return count;
    }

    /** Number of results in the shared cache (0 when disabled). */
    public int cacheCount() {
        if (cache == null) {
            return 0;
        }
        cacheLock.lock();
        try {
            return cache.size();
        } finally {
            cacheLock.unlock();
        }
    }

    public SublistStats stats() {
        long subs;
        long inserted;
        long removed;
        long stamp = trieLock.readLock();
        try {
            subs = count;
            inserted = inserts;
            removed = removes;
        } finally {
            trieLock.unlockRead(stamp);
        }
        long hits = matchCacheHits.sum();
        long matches = hits + matchCacheMisses.sum();
        long cached = 0;
        ResultCache.Fanout fanout = new ResultCache.Fanout(0, 0, 0);
        if (cache != null) {
            cacheLock.lock();
            try {
                cached = cache.size();
                fanout = cache.fanout();
            } finally {
                cacheLock.unlock();
            }
        }
        return new SublistStats(subs, cached, inserted, removed, matches, hits + interestCacheHits.sum(),
                fanout.max(), fanout.total(), fanout.samples());
    }

    /** Adds every subscription (each once, whatever its queue weight) to {@code out}. */
    public void all(Collection<? super S> out) {
        long stamp = trieLock.readLock();
        try {
            collectAll(root, out);
        } finally {
            trieLock.unlockRead(stamp);
        }
    }

    /** Depth of the deepest populated level (0 when empty); for tests of pruning. */
    int numLevels() {
        long stamp = trieLock.readLock();
        try {
            return depth(root, 0);
        } finally {
            trieLock.unlockRead(stamp);
        }
    }

    /** Cache hits counted so far (match and hasInterest), as nats-server's {@code cacheHits}. */
    long cacheHits() {
        return matchCacheHits.sum() + interestCacheHits.sum();
    }

    // ---- matching ----

    private SublistResult<S> matchTrie(byte[] subject, int off, int len, int hash, boolean fillCache) {
        if (Subjects.hasEmptyToken(subject, off, len)) {
            return SublistResult.empty();       // nats-server does not cache these either
        }
        int end = off + len;
        long stamp = trieLock.tryOptimisticRead();
        long seenGeneration = generation;
        ResultBuilder found = stamp == 0 ? null : matchLevel(root, subject, off, end, null);
        if (stamp == 0 || !trieLock.validate(stamp)) {
            stamp = trieLock.readLock();
            try {
                seenGeneration = generation;
                found = matchLevel(root, subject, off, end, null);
            } finally {
                trieLock.unlockRead(stamp);
            }
        }
        SublistResult<S> result = found == null ? SublistResult.empty() : found.build();
        if (fillCache) {
            offerToCache(subject, off, len, hash, result, seenGeneration);
        }
        return result;
    }

    /**
     * Caches a result computed from the trie as of {@code seenGeneration}, unless a writer has changed the trie
     * since (it could not have patched an entry that did not exist yet). Skipped when another thread holds the
     * cache lock: this is only a cache, and a miss must not queue behind a writer's cache update.
     */
    void offerToCache(byte[] subject, int off, int len, int hash, SublistResult<S> result, long seenGeneration) {
        if (!cacheLock.tryLock()) {
            return;
        }
        try {
            if (generation != seenGeneration) {
                return;
            }
            cache.putIfAbsent(Arrays.copyOfRange(subject, off, off + len), hash, result);
            if (cache.size() > CACHE_MAX_ENTRIES) {
                cache.sweep(CACHE_SWEEP_ENTRIES);
            }
        } finally {
            cacheLock.unlock();
        }
    }

    /**
     * Collects the nodes matching the tokens of {@code subject[start, end)} below {@code level}: at each position
     * the {@code >} child, then (recursively) the {@code *} branch, then the literal child; the literal and
     * {@code *} nodes of the last token.
     */
    // nats-server: sublist.go matchLevel
    private static ResultBuilder matchLevel(Level level, byte[] subject, int start, int end, ResultBuilder found) {
        Node literal;
        Node partial;
        while (true) {
            if (level == null) {
                return found;
            }
            int sep = Bytes.nextSeparator(subject, start, end);
            Node full = level.fullWildcard;
            if (full != null) {
                found = collect(found, full);
            }
            partial = level.partialWildcard;
            if (partial != null && sep < end) {
                found = matchLevel(partial.next, subject, sep + 1, end, found);
            }
            literal = literalChild(level, subject, start, sep - start);
            if (sep == end) {
                break;
            }
            level = literal == null ? null : literal.next;
            start = sep + 1;
        }
        if (literal != null) {
            found = collect(found, literal);
        }
        if (partial != null) {
            found = collect(found, partial);
        }
        return found;
    }

    // nats-server: sublist.go matchLevelForAny
    private static boolean anyMatch(Level level, byte[] subject, int start, int end) {
        Node literal;
        Node partial;
        while (true) {
            if (level == null) {
                return false;
            }
            int sep = Bytes.nextSeparator(subject, start, end);
            Node full = level.fullWildcard;
            if (full != null && full.hasSubscriptions()) {
                return true;
            }
            partial = level.partialWildcard;
            if (partial != null && sep < end && anyMatch(partial.next, subject, sep + 1, end)) {
                return true;
            }
            literal = literalChild(level, subject, start, sep - start);
            if (sep == end) {
                break;
            }
            level = literal == null ? null : literal.next;
            start = sep + 1;
        }
        return (literal != null && literal.hasSubscriptions()) || (partial != null && partial.hasSubscriptions());
    }

    private static Node literalChild(Level level, byte[] subject, int start, int len) {
        TokenTable literals = level.literals;
        if (literals.size == 0) {
            return null;
        }
        return literals.get(subject, start, len, Bytes.hash(subject, start, len));
    }

    private static ResultBuilder collect(ResultBuilder found, Node node) {
        if (!node.hasSubscriptions()) {
            return found;
        }
        ResultBuilder builder = found == null ? new ResultBuilder() : found;
        builder.addNode(node);
        return builder;
    }

    // ---- writing (trie write lock held) ----

    private Node createPath(byte[] subject) {
        Level level = root;
        int end = subject.length;
        int start = 0;
        while (true) {
            int sep = Bytes.nextSeparator(subject, start, end);
            Node node = child(level, subject, start, sep - start, true);
            if (sep == end) {
                return node;
            }
            if (node.next == null) {
                node.next = new Level();
            }
            level = node.next;
            start = sep + 1;
        }
    }

    /** The child of {@code level} for one token, created when {@code create} is set, else possibly null. */
    private static Node child(Level level, byte[] subject, int start, int len, boolean create) {
        if (len == 1 && subject[start] == '*') {
            if (level.partialWildcard == null && create) {
                level.partialWildcard = new Node(PARTIAL_WILDCARD_TOKEN, 0);
            }
            return level.partialWildcard;
        }
        if (len == 1 && subject[start] == '>') {
            if (level.fullWildcard == null && create) {
                level.fullWildcard = new Node(FULL_WILDCARD_TOKEN, 0);
            }
            return level.fullWildcard;
        }
        int hash = Bytes.hash(subject, start, len);
        Node node = level.literals.get(subject, start, len, hash);
        if (node == null && create) {
            node = new Node(Arrays.copyOfRange(subject, start, start + len), hash);
            level.literals.put(node);
        }
        return node;
    }

    private static boolean addToNode(Node node, SublistEntry sub) {
        byte[] queue = sub.queue();
        if (queue == null) {
            return node.plain.add(sub);
        }
        QueueGroup group = node.queueGroup(queue);
        if (group == null) {
            group = node.addQueueGroup(queue);
        }
        return group.members.add(sub);
    }

    /** Removes {@code sub} from its node and prunes the nodes left empty; false if it was not there. */
    private boolean removeFromTrie(S sub, byte[] subject) {
        int tokens = Subjects.numTokens(subject, 0, subject.length);
        Level[] levels = new Level[tokens];
        Node[] nodes = new Node[tokens];
        Level level = root;
        int end = subject.length;
        int start = 0;
        for (int t = 0; ; t++) {
            if (level == null) {
                return false;
            }
            int sep = Bytes.nextSeparator(subject, start, end);
            Node node = child(level, subject, start, sep - start, false);
            if (node == null) {
                return false;
            }
            levels[t] = level;
            nodes[t] = node;
            if (sep == end) {
                break;
            }
            level = node.next;
            start = sep + 1;
        }
        if (!removeFromNode(nodes[tokens - 1], sub)) {
            return false;
        }
        count--;
        removes++;
        for (int t = tokens - 1; t >= 0; t--) {
            Node node = nodes[t];
            if (node.next != null && node.next.isEmpty()) {
                node.next = null;
            }
            if (node.isEmpty()) {
                levels[t].removeNode(node);
            }
        }
        return true;
    }

    private static boolean removeFromNode(Node node, SublistEntry sub) {
        byte[] queue = sub.queue();
        if (queue == null) {
            return node.plain.remove(sub);
        }
        QueueGroup group = node.queueGroup(queue);
        if (group == null || !group.members.remove(sub)) {
            return false;
        }
        if (group.members.size == 0) {
            node.removeQueueGroup(group);
        }
        return true;
    }

    // ---- cache maintenance ----

    /**
     * Makes a writer's change visible to cached lookups: applies {@code cacheUpdate} to the shared cache (if
     * enabled) and bumps the generation, both under {@code cacheLock}. Trie write lock held.
     */
    private void publishChange(Consumer<ResultCache> cacheUpdate) {
        cacheLock.lock();
        try {
            if (cache != null) {
                cacheUpdate.accept(cache);
            }
            generation++;
        } finally {
            cacheLock.unlock();
        }
    }

    // nats-server: sublist.go addToCache
    private static void addToCachedResults(ResultCache results, byte[] subject, SublistEntry sub) {
        UnaryOperator<SublistResult<?>> addSub = result -> ResultBuilder.withSubscription(result, sub);
        if (Subjects.isLiteral(subject, 0, subject.length)) {
            results.update(subject, Bytes.hash(subject, 0, subject.length), addSub);
        } else {
            results.updateMatching(subject, addSub);
        }
    }

    // nats-server: sublist.go removeFromCache
    private static void evictCachedResults(ResultCache results, byte[] subject) {
        if (Subjects.isLiteral(subject, 0, subject.length)) {
            results.remove(subject, Bytes.hash(subject, 0, subject.length));
        } else {
            results.removeMatching(subject);
        }
    }

    // ---- traversal (read lock held) ----

    private void collectAll(Level level, Collection<? super S> out) {
        for (Node node : level.literals.slots) {
            if (node != null) {
                collectNode(node, out);
            }
        }
        if (level.partialWildcard != null) {
            collectNode(level.partialWildcard, out);
        }
        if (level.fullWildcard != null) {
            collectNode(level.fullWildcard, out);
        }
    }

    @SuppressWarnings("unchecked")
    private void collectNode(Node node, Collection<? super S> out) {
        for (int i = 0; i < node.plain.size; i++) {
            out.add((S) node.plain.items[i]);
        }
        for (int g = 0; g < node.queueCount; g++) {
            SubSet members = node.queues[g].members;
            for (int i = 0; i < members.size; i++) {
                out.add((S) members.items[i]);
            }
        }
        if (node.next != null) {
            collectAll(node.next, out);
        }
    }

    // nats-server: sublist.go visitLevel
    private static int depth(Level level, int above) {
        if (level == null || level.isEmpty()) {
            return above;
        }
        int here = above + 1;
        int deepest = here;
        for (Node node : level.literals.slots) {
            if (node != null) {
                deepest = Math.max(deepest, depth(node.next, here));
            }
        }
        if (level.partialWildcard != null) {
            deepest = Math.max(deepest, depth(level.partialWildcard.next, here));
        }
        if (level.fullWildcard != null) {
            deepest = Math.max(deepest, depth(level.fullWildcard.next, here));
        }
        return deepest;
    }

    @SuppressWarnings("unchecked")
    private static <S> SublistResult<S> cast(SublistResult<?> result) {
        return (SublistResult<S>) result;
    }
}
