package io.jnatsd.server.conn;

import io.jnatsd.common.GoJson;
import io.jnatsd.server.ServerInfo;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** The fixed byte sequences the server writes and the allocation-free pieces of MSG/HMSG lines. Stateless. */
final class Frames {

    static final byte[] PONG = ascii("PONG\r\n");
    static final byte[] PING = ascii("PING\r\n");
    static final byte[] OK = ascii("+OK\r\n");
    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] MSG = ascii("MSG ");
    static final byte[] HMSG = ascii("HMSG ");
    private static final byte[] INFO = ascii("INFO ");

    private Frames() {
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code INFO <json> \r\n}: nats-server leaves a space before the CRLF. */
    static byte[] infoLine(ServerInfo info) {
        byte[] json = GoJson.writeBytes(info);
        byte[] line = new byte[INFO.length + json.length + 3];
        System.arraycopy(INFO, 0, line, 0, INFO.length);
        System.arraycopy(json, 0, line, INFO.length, json.length);
        line[line.length - 3] = ' ';
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        return line;
    }

    /** {@code -ERR '<text>'\r\n}. */
    static byte[] errLine(String text) {
        return ("-ERR '" + text + "'\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Number of ASCII digits of a non-negative int. */
    static int decimalLength(int value) {
        int digits = 1;
        for (long bound = 10; bound <= value; bound *= 10) {
            digits++;
        }
        return digits;
    }

    /** Writes a non-negative int in ASCII without allocating. */
    static void writeDecimal(ByteBuf out, int value) {
        int digits = decimalLength(value);
        int end = out.writerIndex() + digits;
        out.writerIndex(end);
        for (int i = 1; i <= digits; i++) {
            out.setByte(end - i, '0' + value % 10);
            value /= 10;
        }
    }
}
