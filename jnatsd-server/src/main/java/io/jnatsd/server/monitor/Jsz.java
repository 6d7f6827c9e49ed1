package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.jnatsd.server.jetstream.AccountStats;
import io.jnatsd.server.jetstream.StreamInfo;

import java.util.List;

/**
 * {@code /jsz}: nats-server's {@code JSInfo} (monitor.go), with the embedded {@code JetStreamStats} first, in main's
 * field order (2.9.10 wrote the id, time and configuration first). With JetStream off: {@code disabled} and zero
 * figures. {@code meta_cluster} is never written (no clustering).
 *
 * @param memory          memory streams use
 * @param storage         storage file streams use
 * @param reservedMemory  memory reserved by streams' {@code max_bytes}
 * @param reservedStorage storage reserved by streams' {@code max_bytes}
 * @param accounts        JetStream-enabled accounts
 * @param haAssets        replicated assets (always 0: no clustering)
 * @param api             API statistics
 * @param serverId        server id
 * @param now             when this was taken
 * @param disabled        JetStream is off
 * @param config          the configuration JetStream runs with (zero when off)
 * @param limits          the server's {@code jetstream.limits}, null when off
 * @param streams         streams of every account
 * @param streamsLeader   streams this server leads ({@code raft} option only)
 * @param consumers       consumers of every stream
 * @param consumersLeader consumers this server leads ({@code raft} option only)
 * @param messages        messages of every stream
 * @param bytes           bytes of every stream
 * @param accountDetails  per account, as the options ask
 * @param total           JetStream-enabled accounts (before paging)
 */
// nats-server: monitor.go JSInfo
public record Jsz(
        @JsonProperty("memory") long memory,
        @JsonProperty("storage") long storage,
        @JsonProperty("reserved_memory") long reservedMemory,
        @JsonProperty("reserved_storage") long reservedStorage,
        @JsonProperty("accounts") int accounts,
        @JsonProperty("ha_assets") int haAssets,
        @JsonProperty("api") AccountStats.Api api,
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("disabled") @JsonInclude(Include.NON_DEFAULT) boolean disabled,
        @JsonProperty("config") Object config,
        @JsonProperty("limits") @JsonInclude(Include.NON_NULL) JsLimits limits,
        @JsonProperty("streams") int streams,
        @JsonProperty("streams_leader") @JsonInclude(Include.NON_DEFAULT) int streamsLeader,
        @JsonProperty("consumers") int consumers,
        @JsonProperty("consumers_leader") @JsonInclude(Include.NON_DEFAULT) int consumersLeader,
        @JsonProperty("messages") long messages,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("account_details") @JsonInclude(Include.NON_EMPTY) List<AccountDetail> accountDetails,
        @JsonProperty("total") int total) {

    /** {@code JetStreamConfig} of a server without JetStream: Go's zero value. */
    public record ZeroConfig(@JsonProperty("max_memory") long maxMemory,
                             @JsonProperty("max_storage") long maxStorage) {
    }

    static Jsz disabled(String serverId, String now) {
        return new Jsz(0, 0, 0, 0, 0, 0, new AccountStats.Api(0, 0, 0, 0), serverId, now, true,
                new ZeroConfig(0, 0), null, 0, 0, 0, 0, 0, 0, null, 0);
    }

    /**
     * One account ({@code AccountDetail}: its name tag or name, its name, the embedded {@code JetStreamStats},
     * its streams). As nats-server, the reserved figures are the account's untiered {@code max_memory} and
     * {@code max_storage} limits written as unsigned numbers (unlimited, -1, is 18446744073709551615).
     *
     * @param name            the account's name tag, else its name
     * @param id              the account's name
     * @param memory          memory its streams use
     * @param storage         storage its streams use
     * @param reservedMemory  its untiered memory limit (0 when tiered)
     * @param reservedStorage its untiered storage limit (0 when tiered)
     * @param accounts        always 0
     * @param haAssets        always 0
     * @param api             its API requests and errors (level 0)
     * @param streams         its streams when asked for
     */
    // nats-server: monitor.go AccountDetail, accountDetail
    public record AccountDetail(
            @JsonProperty("name") String name,
            @JsonProperty("id") String id,
            @JsonProperty("memory") long memory,
            @JsonProperty("storage") long storage,
            @JsonProperty("reserved_memory") @JsonSerialize(using = GoFormats.Uint64.class) long reservedMemory,
            @JsonProperty("reserved_storage") @JsonSerialize(using = GoFormats.Uint64.class) long reservedStorage,
            @JsonProperty("accounts") int accounts,
            @JsonProperty("ha_assets") int haAssets,
            @JsonProperty("api") AccountStats.Api api,
            @JsonProperty("stream_detail") @JsonInclude(Include.NON_EMPTY) List<StreamDetail> streams) {
    }

    /**
     * One stream ({@code StreamDetail}). Mirrors, sources and raft groups do not exist in jnatsd and are never
     * written.
     *
     * @param name      stream name
     * @param created   creation time
     * @param cluster   {@code {"leader": <server name>}} as a standalone nats-server writes it
     * @param config    the configuration (with the {@code config} option), as the JetStream API writes it
     * @param state     the state (without the deleted list)
     * @param consumers the consumers' infos (with the {@code consumer} option; without config unless asked)
     */
    // nats-server: monitor.go StreamDetail
    public record StreamDetail(
            @JsonProperty("name") String name,
            @JsonProperty("created") String created,
            @JsonProperty("cluster") @JsonInclude(Include.NON_NULL) StreamInfo.ClusterInfo cluster,
            @JsonProperty("config") @JsonInclude(Include.NON_NULL) Object config,
            @JsonProperty("state") StreamInfo.State state,
            @JsonProperty("consumer_detail") @JsonInclude(Include.NON_EMPTY) List<Object> consumers) {
    }
}
