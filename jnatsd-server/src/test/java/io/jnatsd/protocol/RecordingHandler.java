package io.jnatsd.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records every callback as a readable line, for parser tests. */
final class RecordingHandler implements ProtocolHandler {
    final List<String> events = new ArrayList<>();
    final List<String> sizeTokens = new ArrayList<>();
    boolean authRequired;
    boolean implicitConnect;
    boolean headers = true;
    int maxPayload = 1024 * 1024;

    private static String text(ByteBuf buf, int offset, int length) {
        return buf.toString(offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public boolean awaitingAuth() {
        return authRequired;
    }

    @Override
    public boolean onOperationBeforeConnect() {
        if (implicitConnect) {
            authRequired = false;
            events.add("IMPLICIT_CONNECT");
            return true;
        }
        events.add("AUTH_VIOLATION");
        return false;
    }

    @Override
    public boolean onConnect(ByteBuf buf, int offset, int length) {
        authRequired = false;
        events.add("CONNECT " + text(buf, offset, length));
        return true;
    }

    @Override
    public boolean onPublishSize(int headerLength, int totalLength) {
        if (headerLength >= 0 && !headers) {
            events.add("NO_HEADERS");
            return false;
        }
        if (totalLength > maxPayload) {
            events.add("MAX_PAYLOAD " + totalLength);
            return false;
        }
        return true;
    }

    @Override
    public boolean onPublish(ByteBuf buf, PublishLine line) {
        String op = line.headerLength() < 0 ? "PUB" : "HPUB";
        // the parser's copy of the line must agree with the buffer
        byte[] subject = new byte[line.subjectLength()];
        line.copySubject(subject);
        byte[] reply = new byte[line.replyLength()];
        line.copyReply(reply);
        if (!new String(subject, StandardCharsets.UTF_8).equals(text(buf, line.subjectOffset(), line.subjectLength()))
                || !new String(reply, StandardCharsets.UTF_8).equals(
                        text(buf, line.replyOffset(), line.replyLength()))) {
            events.add("LINE COPY MISMATCH");
        }
        sizeTokens.add((line.headerLength() >= 0 ? text(buf, line.headerSizeOffset(), line.headerSizeLength()) + " "
                : "") + text(buf, line.totalSizeOffset(), line.totalSizeLength()));
        events.add(op + " " + text(buf, line.subjectOffset(), line.subjectLength())
                + (line.replyLength() > 0 ? " reply=" + text(buf, line.replyOffset(), line.replyLength()) : "")
                + (line.headerLength() >= 0 ? " hdr=" + line.headerLength() : "")
                + " [" + text(buf, line.payloadOffset(), line.totalLength()) + "]");
        return true;
    }

    @Override
    public boolean onSubscribe(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                               int sidOffset, int sidLength) {
        events.add("SUB " + text(buf, subjectOffset, subjectLength)
                + (queueLength > 0 ? " queue=" + text(buf, queueOffset, queueLength) : "")
                + " sid=" + text(buf, sidOffset, sidLength));
        return true;
    }

    @Override
    public boolean onUnsubscribe(ByteBuf buf, int sidOffset, int sidLength, int maxMessages) {
        events.add("UNSUB " + text(buf, sidOffset, sidLength) + " max=" + maxMessages);
        return true;
    }

    @Override
    public boolean onPing() {
        events.add("PING");
        return true;
    }

    @Override
    public boolean onPong() {
        events.add("PONG");
        return true;
    }

    @Override
    public boolean onInfo(ByteBuf buf, int offset, int length) {
        events.add("INFO " + text(buf, offset, length));
        return true;
    }

    @Override
    public boolean onErr(ByteBuf buf, int offset, int length) {
        events.add("ERR " + text(buf, offset, length));
        return true;
    }

    @Override
    public boolean onOk() {
        events.add("OK");
        return true;
    }

    @Override
    public void onProtocolError(ProtocolError error, String clientError, String logMessage) {
        events.add("ERROR " + error + " " + clientError + " | " + logMessage);
    }
}
