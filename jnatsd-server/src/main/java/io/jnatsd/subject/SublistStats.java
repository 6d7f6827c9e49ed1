package io.jnatsd.subject;

/**
 * A snapshot of a sublist's counters, as nats-server's {@code SublistStats} (the {@code sublist_stats} of
 * {@code /varz} and {@code /accountz}). Derived values ({@link #cacheHitRate()}, {@link #avgFanout()}) are computed
 * from totals so that {@link #add} aggregates several sublists the way nats-server does. Immutable.
 *
 * @param numSubs     subscriptions in the sublist
 * @param numCache    results in the shared cache
 * @param numInserts  inserts since creation
 * @param numRemoves  removes since creation
 * @param numMatches  {@code match} calls since creation
 * @param cacheHits   lookups answered by the shared cache ({@code match} and {@code hasInterest}, as nats-server)
 * @param maxFanout   largest plain-count-plus-queue-group-count over the cached results
 * @param totalFanout sum of that fanout over the cached results
 * @param fanoutSamples number of cached results the fanout was summed over
 */
public record SublistStats(long numSubs, long numCache, long numInserts, long numRemoves, long numMatches,
                           long cacheHits, long maxFanout, long totalFanout, long fanoutSamples) {

    /** Cache hits per match, 0 before the first match. */
    public double cacheHitRate() {
        return numMatches > 0 ? (double) cacheHits / numMatches : 0;
    }

    /** Average fanout of the cached results, 0 when none. */
    public double avgFanout() {
        return totalFanout > 0 ? (double) totalFanout / fanoutSamples : 0;
    }

    /** The sum of two snapshots, maximum for {@code maxFanout}. */
    // nats-server: sublist.go SublistStats.add
    public SublistStats add(SublistStats other) {
        return new SublistStats(numSubs + other.numSubs, numCache + other.numCache, numInserts + other.numInserts,
                numRemoves + other.numRemoves, numMatches + other.numMatches, cacheHits + other.cacheHits,
                Math.max(maxFanout, other.maxFanout), totalFanout + other.totalFanout,
                fanoutSamples + other.fanoutSamples);
    }
}
