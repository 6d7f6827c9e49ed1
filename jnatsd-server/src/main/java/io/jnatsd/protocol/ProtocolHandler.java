package io.jnatsd.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Receives the operations a {@link ProtocolParser} recognises. Offsets are absolute indexes into {@code buf}; the
 * bytes are valid only during the call, and a handler copies what it keeps. A method returning {@code false}
 * tells the parser to stop: the connection is closing.
 * <p>
 * Called on the connection's event loop only.
 */
public interface ProtocolHandler {

    /**
     * Whether the connection still has to authenticate: then every operation before CONNECT is an authorization
     * violation (checked on the first byte of each operation, as nats-server does).
     */
    boolean awaitingAuth();

    /**
     * The client sent an operation other than CONNECT while {@link #awaitingAuth()}. Returns true when the
     * connection authenticated without CONNECT ({@code no_auth_user}) and the operation is parsed as usual; false
     * after the handler has rejected the connection, and parsing stops. A handler that {@link ProtocolParser#pause()
     * pauses} the parser here (to wait for an auth callout) leaves the operation unread until it resumes.
     */
    boolean onOperationBeforeConnect();

    /** {@code CONNECT <json>}: the JSON spans {@code [offset, offset + length)}. */
    boolean onConnect(ByteBuf buf, int offset, int length);

    /**
     * Called once the PUB/HPUB control line is complete, before the payload is awaited: the place to refuse HPUB
     * when headers were not negotiated and to enforce max_payload ({@code -ERR 'Maximum Payload Violation'}).
     *
     * @param headerLength -1 for PUB
     * @param totalLength  the declared size, headers included
     */
    boolean onPublishSize(int headerLength, int totalLength);

    /** A complete PUB or HPUB; {@code line} holds offsets into {@code buf} and is reused for the next one. */
    boolean onPublish(ByteBuf buf, PublishLine line);

    /** {@code SUB <subject> [queue] <sid>}; {@code queueLength} is 0 without a queue. */
    boolean onSubscribe(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                        int sidOffset, int sidLength);

    /** {@code UNSUB <sid> [max]}; {@code maxMessages} is -1 when absent or unparsable. */
    boolean onUnsubscribe(ByteBuf buf, int sidOffset, int sidLength, int maxMessages);

    boolean onPing();

    boolean onPong();

    /** {@code INFO <json>} sent by the peer. */
    boolean onInfo(ByteBuf buf, int offset, int length);

    /** {@code -ERR <text>} sent by the peer. */
    boolean onErr(ByteBuf buf, int offset, int length);

    /** {@code +OK} sent by the peer; ignored by clients' server side. */
    boolean onOk();

    /**
     * A protocol error. {@code clientError} is the text to send as {@code -ERR '<text>'} or null when nats-server
     * closes silently; {@code logMessage} is what to log at error level. The parser stops after this call.
     */
    void onProtocolError(ProtocolError error, String clientError, String logMessage);
}
