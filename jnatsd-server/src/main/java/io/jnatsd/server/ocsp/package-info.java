/**
 * OCSP: stapling the server's own certificate status, verifying client certificates against their responders, and
 * the response cache. {@link io.jnatsd.server.ocsp.OcspSupport} holds a server's features for one set of options
 * (rebuilt on every reload): an {@link io.jnatsd.server.ocsp.OcspStapler} per TLS block whose {@code ocsp} mode and
 * certificate (must-staple extension) call for stapling (client port, WebSocket listener, and the HTTPS monitoring
 * port which shares the client port's), which fetches the status before the server starts, refreshes it halfway to
 * its next update and shuts the server down on a revocation in {@code always}/{@code must} mode; an
 * {@link io.jnatsd.server.ocsp.OcspPeerVerifier} per block with {@code tls.ocsp_peer}, plugged into the handshake
 * through {@link io.jnatsd.server.ocsp.OcspPeerTrustManager}, raising the {@code OCSP.PEER.CONN.REJECT} and
 * {@code OCSP.PEER.LINK.INVALID} advisories through {@link io.jnatsd.server.ocsp.OcspEvents}; and the
 * {@link io.jnatsd.server.ocsp.OcspResponseCache} ({@code ocsp_cache}) with nats-server's on-disk
 * {@code cache.json}. {@link io.jnatsd.server.ocsp.OcspMessages} builds requests and reads responses (Bouncy
 * Castle's ASN.1 classes from {@code bcprov}, already a runtime dependency; signatures checked with the JDK);
 * {@link io.jnatsd.server.ocsp.OcspHttp} asks responders (POST, then GET) with java.net.http.
 * <p>
 * Behaviour of nats-server {@code server/ocsp.go}, {@code server/ocsp_peer.go}, {@code server/ocsp_responsecache.go},
 * {@code server/certidp/*} and the OCSP parts of {@code server/events.go} and {@code server/reload.go}. Threads: a
 * stapler's monitor and the cache's save timer are virtual threads of their own; peer verification runs on the
 * handshake's delegated-task thread (a virtual thread, see {@link io.jnatsd.server.tls.OcspHooks}), never on an
 * event loop. Every class is thread-safe.
 */
package io.jnatsd.server.ocsp;
