/**
 * TLS for the client port and the WebSocket listener: {@link io.jnatsd.server.tls.TlsContext} turns
 * {@link io.jnatsd.config.TlsOptions} into a Netty {@code SslContext} (OpenSSL through netty-tcnative by default,
 * the JDK's provider where that cannot load or with {@code -Djnatsd.tls.provider=jdk}), mapping Go's cipher-suite,
 * curve and version names (groups OpenSSL lacks are found by {@link io.jnatsd.server.tls.OpenSslGroups});
 * {@link io.jnatsd.server.tls.ClientTlsNegotiator} runs nats-server's
 * per-connection flows (INFO then handshake, handshake_first with or without fallback, allow_non_tls sniffing),
 * the handshake timeout, {@code connection_rate_limit} and {@code pinned_certs}
 * ({@link io.jnatsd.server.tls.PinnedCerts}). The WebSocket listener takes a plain server-side handler
 * ({@code TlsContext.newServerHandler}) and words its failures with the same Go texts.
 * {@link io.jnatsd.server.tls.OcspHooks} plugs OCSP into a context (the staple handed to each OpenSSL engine, the
 * {@code ocsp_peer} trust manager; see {@code io.jnatsd.server.ocsp}), and {@link io.jnatsd.server.tls.ClientTlsConfig}
 * is the client side of a {@code tls {}} block for connections the server makes itself ({@code resolver_tls}).
 * <p>
 * Behaviour of nats-server {@code server/opts.go} (GenTLSConfig), {@code server/server.go} (createClientEx,
 * tlsTimeout), {@code server/client.go} (doTLSHandshake), {@code server/auth.go} (matchesPinnedCert),
 * {@code server/ciphersuites*.go}, {@code server/rate_counter.go} and {@code server/server.go}
 * (configureResolver). A {@code TlsContext} is immutable and shared;
 * a negotiator belongs to one channel's event loop.
 */
package io.jnatsd.server.tls;
