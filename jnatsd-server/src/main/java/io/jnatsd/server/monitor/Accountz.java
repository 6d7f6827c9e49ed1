package io.jnatsd.server.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** {@code /accountz}: nats-server's {@code Accountz} and {@code AccountInfo} (monitor.go). */
public record Accountz(
        @JsonProperty("server_id") String serverId,
        @JsonProperty("now") String now,
        @JsonProperty("system_account") @JsonInclude(Include.NON_DEFAULT) String systemAccount,
        @JsonProperty("accounts") @JsonInclude(Include.NON_NULL) List<String> accounts,
        @JsonProperty("account_detail") @JsonInclude(Include.NON_NULL) AccountInfo account) {

    /** One account ({@code AccountInfo}); imports and exports are the system ones jnatsd provides. */
    public record AccountInfo(
            @JsonProperty("account_name") String accountName,
            @JsonProperty("update_time") String updateTime,
            @JsonProperty("is_system") @JsonInclude(Include.NON_DEFAULT) boolean isSystem,
            @JsonProperty("expired") boolean expired,
            @JsonProperty("complete") boolean complete,
            @JsonProperty("jetstream_enabled") boolean jetstreamEnabled,
            @JsonProperty("leafnode_connections") int leafnodeConnections,
            @JsonProperty("client_connections") int clientConnections,
            @JsonProperty("subscriptions") long subscriptions,
            @JsonProperty("mappings") @JsonInclude(Include.NON_DEFAULT) Map<String, List<MapDest>> mappings,
            @JsonProperty("exports") @JsonInclude(Include.NON_DEFAULT) List<ExtExport> exports,
            @JsonProperty("imports") @JsonInclude(Include.NON_DEFAULT) List<ExtImport> imports,
            @JsonProperty("jwt") @JsonInclude(Include.NON_DEFAULT) String jwt,
            @JsonProperty("issuer_key") @JsonInclude(Include.NON_DEFAULT) String issuerKey,
            @JsonProperty("name_tag") @JsonInclude(Include.NON_DEFAULT) String nameTag,
            @JsonProperty("tags") @JsonInclude(Include.NON_DEFAULT) List<String> tags,
            @JsonProperty("decoded_jwt") @JsonInclude(Include.NON_NULL) Object decodedJwt,
            @JsonProperty("revoked_user") @JsonInclude(Include.NON_DEFAULT) Map<String, String> revokedUser,
            @JsonProperty("sublist_stats") @JsonInclude(Include.NON_NULL) Subsz.Stats sublistStats,
            @JsonProperty("responses") @JsonInclude(Include.NON_DEFAULT) Map<String, ExtImport> responses) {
    }

    /** A mapping destination ({@code MapDest}). */
    public record MapDest(
            @JsonProperty("subject") String subject,
            @JsonProperty("weight") int weight,
            @JsonProperty("cluster") @JsonInclude(Include.NON_DEFAULT) String cluster) {
    }

    /** An export ({@code ExtExport}: jwt.Export plus approved accounts). */
    public record ExtExport(
            @JsonProperty("subject") String subject,
            @JsonProperty("type") String type,
            @JsonProperty("response_type") @JsonInclude(Include.NON_DEFAULT) String responseType,
            @JsonProperty("approved_accounts") @JsonInclude(Include.NON_DEFAULT) List<String> approvedAccounts) {
    }

    /** An import ({@code ExtImport}: jwt.Import plus its state). */
    public record ExtImport(
            @JsonProperty("subject") String subject,
            @JsonProperty("account") String account,
            @JsonProperty("to") @JsonInclude(Include.NON_DEFAULT) String to,
            @JsonProperty("local_subject") @JsonInclude(Include.NON_DEFAULT) String localSubject,
            @JsonProperty("type") String type,
            @JsonProperty("invalid") boolean invalid,
            @JsonProperty("share") boolean share,
            @JsonProperty("tracking") boolean tracking) {
    }
}
