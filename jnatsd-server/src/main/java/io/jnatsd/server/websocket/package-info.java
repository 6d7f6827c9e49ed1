/**
 * The WebSocket client listener (nats-server {@code server/websocket.go}): {@link
 * io.jnatsd.server.websocket.WebSocketListener} binds the {@code websocket {}} port ({@code ws://} or, with TLS,
 * {@code wss://}); each socket first speaks HTTP/1.1 with Go's {@code net/http} rules until the upgrade succeeds
 * (request parsing and refusals, handshake timeout, origin checks, compression and masking negotiation, cookies,
 * {@code X-Forwarded-For}); then a frame decoder before and a frame encoder after the client port's own handler
 * turn it into an ordinary {@link io.jnatsd.server.conn.Connection} of kind {@code CLIENT} and client type
 * {@code websocket}. Frames carry the NATS protocol unchanged: the decoder hands unmasked payload slices to the
 * parser (inflating per-message-deflate messages first), the encoder wraps each flushed batch in one binary frame
 * (deflated when negotiated). Close frames and their status codes, pongs and protocol errors follow nats-server.
 * <p>
 * Netty's {@code codec-http} is not used: its request decoder accepts and refuses other requests than Go's server
 * and its per-message-deflate handshaker negotiates differently (nats-server always answers with both
 * no-context-takeover parameters and ignores the client's), so the request head, the upgrade and the frames are
 * handled here with nats-server's rules and texts.
 * <p>
 * Threads: every handler belongs to its channel's event loop; the listener is bound and closed by the server.
 */
package io.jnatsd.server.websocket;
