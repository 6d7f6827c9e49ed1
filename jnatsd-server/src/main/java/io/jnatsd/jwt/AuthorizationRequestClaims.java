package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The {@code nats} object of an {@code authorization_request} JWT, which a server signs to ask an auth callout
 * service about a client ({@code authorization_claims.go AuthorizationRequest}). Plain data for the auth callout
 * work. Immutable.
 *
 * @param server        {@code server_id}
 * @param userNkey      {@code user_nkey}: the key the response must be about
 * @param clientInfo    {@code client_info}
 * @param connectOptions {@code connect_opts}: the client's CONNECT fields
 * @param clientTls     {@code client_tls}, or null
 * @param requestNonce  {@code request_nonce}
 * @param tags          {@code tags}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthorizationRequestClaims(@JsonProperty("server_id") @JsonInclude(JsonInclude.Include.ALWAYS)
                                         ServerId server,
                                         @JsonProperty("user_nkey") @JsonInclude(JsonInclude.Include.ALWAYS)
                                         String userNkey,
                                         @JsonProperty("client_info") @JsonInclude(JsonInclude.Include.ALWAYS)
                                         ClientInformation clientInfo,
                                         @JsonProperty("connect_opts") @JsonInclude(JsonInclude.Include.ALWAYS)
                                         ConnectOptions connectOptions,
                                         @JsonProperty("client_tls") ClientTls clientTls,
                                         @JsonProperty("request_nonce") String requestNonce,
                                         @JsonProperty("tags") List<String> tags) {

    public AuthorizationRequestClaims {
        userNkey = Objects.requireNonNullElse(userNkey, "");
        requestNonce = Objects.requireNonNullElse(requestNonce, "");
        tags = List.copyOf(Objects.requireNonNullElse(tags, List.of()));
    }

    /** {@code server_id}: the asking server. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ServerId(@JsonProperty("name") @JsonInclude(JsonInclude.Include.ALWAYS) String name,
                           @JsonProperty("host") @JsonInclude(JsonInclude.Include.ALWAYS) String host,
                           @JsonProperty("id") @JsonInclude(JsonInclude.Include.ALWAYS) String id,
                           @JsonProperty("version") String version, @JsonProperty("cluster") String cluster,
                           @JsonProperty("tags") List<String> tags, @JsonProperty("xkey") String xkey) {
    }

    /** {@code client_info}: who the client is. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record ClientInformation(@JsonProperty("host") String host, @JsonProperty("id") long id,
                                    @JsonProperty("user") String user, @JsonProperty("name") String name,
                                    @JsonProperty("tags") List<String> tags,
                                    @JsonProperty("name_tag") String nameTag, @JsonProperty("kind") String kind,
                                    @JsonProperty("type") String type, @JsonProperty("mqtt_id") String mqttId,
                                    @JsonProperty("nonce") String nonce) {
    }

    /** {@code connect_opts}: the CONNECT credentials and client identity. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ConnectOptions(@JsonProperty("jwt") String jwt, @JsonProperty("nkey") String nkey,
                                 @JsonProperty("sig") String signedNonce, @JsonProperty("auth_token") String token,
                                 @JsonProperty("user") String user, @JsonProperty("pass") String password,
                                 @JsonProperty("name") String name, @JsonProperty("lang") String lang,
                                 @JsonProperty("version") String version,
                                 @JsonProperty("protocol") @JsonInclude(JsonInclude.Include.ALWAYS) int protocol) {
    }

    /** {@code client_tls}: the client's TLS session, certificates as PEM. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ClientTls(@JsonProperty("version") String version, @JsonProperty("cipher") String cipher,
                            @JsonProperty("certs") List<String> certs,
                            @JsonProperty("verified_chains") List<List<String>> verifiedChains) {
    }
}
