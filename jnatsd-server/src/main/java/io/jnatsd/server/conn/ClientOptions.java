package io.jnatsd.server.conn;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The fields of a client's CONNECT ({@code client.go ClientOpts}). CONNECT JSON is decoded into the current
 * instance, so omitted fields keep their values; a fresh instance has nats-server's defaults (verbose, pedantic and
 * echo on). Mutable, owned by the connection's event loop.
 */
public final class ClientOptions {
    @JsonProperty("echo") public boolean echo = true;
    @JsonProperty("verbose") public boolean verbose = true;
    @JsonProperty("pedantic") public boolean pedantic = true;
    @JsonProperty("tls_required") public boolean tlsRequired;
    @JsonProperty("jwt") public String jwt;
    @JsonProperty("nkey") public String nkey;
    @JsonProperty("sig") public String signature;
    @JsonProperty("auth_token") public String token;
    @JsonProperty("user") public String user;
    @JsonProperty("pass") public String password;
    @JsonProperty("name") public String name;
    @JsonProperty("lang") public String lang;
    @JsonProperty("version") public String version;
    @JsonProperty("protocol") public int protocol;
    @JsonProperty("account") public String account;
    @JsonProperty("new_account") public boolean newAccount;
    @JsonProperty("headers") public boolean headers;
    @JsonProperty("no_responders") public boolean noResponders;
    @JsonProperty("proxy_sig") public String proxySignature;
}
