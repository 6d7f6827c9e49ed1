package io.jnatsd.server.conn;

import io.jnatsd.common.GoQuote;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.protocol.PublishLine;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The protocol trace lines nats-server prints with {@code -V} ({@code client.go traceInOp, traceOutOp,
 * traceMsgInternal}): {@code <<- [PUB foo 5]}, {@code ->> [MSG foo 1 5]}, {@code <<- MSG_PAYLOAD: ["hello"]} (Go
 * {@code %q}, cut to max_traced_msg_len with {@code ...}), CONNECT with secrets redacted. Callers check that trace
 * is on before calling. Stateless.
 */
final class ProtocolTrace {

    private static final NatsLogger LOG = NatsLogger.get(Connection.class);

    private ProtocolTrace() {
    }

    /** {@code <prefix><direction> [<op> <arg>]}. */
    static void op(String prefix, String direction, String op, String arg) {
        LOG.trace(prefix + direction + " [" + op + (arg == null ? "" : " " + arg) + "]");
    }

    /** The PUB/HPUB line as received (its payload is traced by {@link #publishPayload}). */
    static void publishLine(String prefix, ByteBuf buf, PublishLine pub) {
        StringBuilder line = new StringBuilder();
        line.append(buf.toString(pub.subjectOffset(), pub.subjectLength(), StandardCharsets.UTF_8));
        if (pub.replyLength() > 0) {
            line.append(' ').append(buf.toString(pub.replyOffset(), pub.replyLength(), StandardCharsets.UTF_8));
        }
        if (pub.headerLength() >= 0) {
            line.append(' ').append(buf.toString(pub.headerSizeOffset(), pub.headerSizeLength(),
                    StandardCharsets.US_ASCII));
        }
        line.append(' ').append(buf.toString(pub.totalSizeOffset(), pub.totalSizeLength(), StandardCharsets.US_ASCII));
        op(prefix, "<<-", pub.headerLength() >= 0 ? "HPUB" : "PUB", line.toString());
    }

    /** The payload of a PUB/HPUB as received. */
    static void publishPayload(String prefix, TraceOptions options, ByteBuf buf, PublishLine pub) {
        payload(prefix, options, "<<-", buf, pub.payloadOffset(), pub.totalLength(), pub.headerLength());
    }

    // nats-server: client.go deliverMsg traces the MSG line and (2.15) the delivered payload.
    static void delivery(String prefix, TraceOptions options, Subscription sub, PublishArgs pa, byte[] subject,
                         int subjectLength, boolean asHmsg, int bodyOffset, int bodyLength) {
        StringBuilder line = new StringBuilder(asHmsg ? "HMSG " : "MSG ");
        line.append(new String(subject, 0, subjectLength, StandardCharsets.UTF_8)).append(' ')
                .append(sub.sidString()).append(' ');
        if (pa.replyLength > 0) {
            line.append(new String(pa.reply, 0, pa.replyLength, StandardCharsets.UTF_8)).append(' ');
        }
        if (asHmsg) {
            line.append(pa.headerLength).append(' ');
        }
        line.append(bodyLength);
        LOG.trace(prefix + "->> [" + line + "]");
        payload(prefix, options, "->>", pa.payload, bodyOffset, bodyLength, asHmsg ? pa.headerLength : -1);
    }

    /** The trace options in force: max_traced_msg_len and trace_headers. */
    record TraceOptions(int maxTracedMsgLen, boolean headersOnly) {
    }

    // nats-server: client.go traceMsgInternal; with trace_headers only the header block is shown.
    private static void payload(String prefix, TraceOptions options, String direction, ByteBuf buf, int offset,
                                int length, int headerLength) {
        if (options.headersOnly()) {
            if (headerLength <= 0) {
                return;
            }
            length = headerLength - 4; // as Go: without the CRLF that ends the last header and the empty line
        }
        if (length <= 0) {
            return;
        }
        int maxTracedMsgLen = options.maxTracedMsgLen();
        int shown = maxTracedMsgLen > 0 ? Math.min(maxTracedMsgLen, length) : length;
        byte[] payload = new byte[shown];
        buf.getBytes(offset, payload);
        String quoted = GoQuote.quote(payload, 0, shown);
        if (shown < length) {
            quoted = quoted.substring(0, quoted.length() - 1) + "...\"";
        }
        LOG.trace(prefix + direction + " MSG_PAYLOAD: [" + quoted + "]");
    }

    // nats-server: client.go removeSecretsFromTrace
    static String redactConnect(String json) {
        return json.replaceAll(
                "(\"(?:pass[a-z_]*|auth_token[a-z_]*|sig|nkey|proxy_sig)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
                "$1\"[REDACTED]\"");
    }
}
