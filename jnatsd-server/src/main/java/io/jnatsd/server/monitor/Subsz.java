package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.jnatsd.subject.SublistStats;

import java.util.List;

/**
 * {@code /subsz}: nats-server's {@code Subsz} with its inlined {@code SublistStats}, always the whole object as
 * nats-server 2.12 and later write it (2.9.10 wrote only the statistics when no list was asked for).
 */
public record Subsz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("num_subscriptions") long numSubscriptions,
        @JsonProperty("num_cache") long numCache,
        @JsonProperty("num_inserts") long numInserts,
        @JsonProperty("num_removes") long numRemoves,
        @JsonProperty("num_matches") long numMatches,
        @JsonProperty("cache_hit_rate") double cacheHitRate,
        @JsonProperty("max_fanout") long maxFanout,
        @JsonProperty("avg_fanout") double avgFanout,
        @JsonProperty("total") int total,
        @JsonProperty("offset") int offset,
        @JsonProperty("limit") int limit,
        @JsonProperty("subscriptions_list") @JsonInclude(Include.NON_DEFAULT)
        List<Connz.SubDetail> subscriptionsList) {

    static Subsz of(String serverId, String now, SublistStats stats, int total, int offset, int limit,
                    List<Connz.SubDetail> subs) {
        return new Subsz(serverId, now, stats.numSubs(), stats.numCache(), stats.numInserts(), stats.numRemoves(),
                stats.numMatches(), stats.cacheHitRate(), stats.maxFanout(), stats.avgFanout(), total, offset, limit,
                subs);
    }

    /** The statistics alone ({@code sublist_stats} of {@code /accountz}). */
    public record Stats(
            @JsonProperty("num_subscriptions") long numSubscriptions,
            @JsonProperty("num_cache") long numCache,
            @JsonProperty("num_inserts") long numInserts,
            @JsonProperty("num_removes") long numRemoves,
            @JsonProperty("num_matches") long numMatches,
            @JsonProperty("cache_hit_rate") double cacheHitRate,
            @JsonProperty("max_fanout") long maxFanout,
            @JsonProperty("avg_fanout") double avgFanout) {

        static Stats of(SublistStats s) {
            return new Stats(s.numSubs(), s.numCache(), s.numInserts(), s.numRemoves(), s.numMatches(),
                    s.cacheHitRate(), s.maxFanout(), s.avgFanout());
        }
    }
}
