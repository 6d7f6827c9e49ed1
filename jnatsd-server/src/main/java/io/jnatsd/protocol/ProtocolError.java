package io.jnatsd.protocol;

/** The protocol errors a parser reports; each maps to one nats-server closed state. */
public enum ProtocolError {
    /** Unknown operation or bad payload terminator: {@code -ERR 'Unknown Protocol Operation'}, Protocol Violation. */
    UNKNOWN_OPERATION,
    /** Control line longer than max_control_line: {@code -ERR 'maximum control line exceeded'}. */
    MAX_CONTROL_LINE,
    /** Malformed arguments of PUB, HPUB, SUB or UNSUB, or headers not negotiated: closed without -ERR. */
    BAD_ARGUMENTS
}
