package io.jnatsd.server.transport;

import io.jnatsd.common.GoQuote;
import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the optional PROXY protocol header (HAProxy's v1 text line or v2 binary block) at the start of a client
 * socket, with nats-server's rules and error texts ({@code server/client_proxyproto.go}):
 * <pre>
 *  first 6 bytes      "PROXY "                      -&gt; v1: one line, at most 107 bytes with its CRLF
 *                     0D 0A 0D 0A 00 0D             -&gt; v2: the rest of the 12-byte signature, then
 *                     anything else                 -&gt; no header: the bytes belong to the client
 *
 *  v2 block   +--------------+---------+------------+---------------+-------------------------------+
 *             | signature 12 | ver|cmd | fam|proto  | length (BE 2) | addresses (length bytes, TLVs)|
 *             +--------------+---------+------------+---------------+-------------------------------+
 *             ver must be 2; cmd LOCAL (0) keeps the socket's peer, PROXY (1) needs proto STREAM (1) and
 *             family INET (src4 dst4 sport dport, &ge; 12 bytes), INET6 (&ge; 36 bytes) or UNSPEC (peer kept)
 * </pre>
 * v1 lines are {@code TCP4|TCP6 <src> <dst> <sport> <dport>} (fields split on white space, TCP4 with no ':' in
 * either address, TCP6 with ':' in both) or {@code UNKNOWN ...} (peer kept). The destination is checked but not
 * used. Trailing TLVs of v2 are skipped unread.
 * <p>
 * Netty's {@code HAProxyMessageDecoder} is not used for parsing because it accepts what nats-server refuses (UDP and
 * UNIX families, {@code PROXY} with an unspecified protocol, single-space-only v1 fields) and refuses what it
 * accepts (port 0, {@code UNSPEC} family over STREAM), and its error texts differ.
 * <p>
 * Stateless; {@link #parse} looks at the readable bytes and consumes the header only once it is complete.
 */
final class ProxyHeaderParser {

    /** Bytes needed to tell a header from client traffic. */
    static final int DETECT_BYTES = 6;
    /** nats-server's proxyProtoV1MaxLineLen: the whole v1 line including CRLF. */
    static final int V1_MAX_LINE_BYTES = 107;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_FIXED_BYTES = 16;
    private static final int V2_IPV4_BYTES = 12;
    private static final int V2_IPV6_BYTES = 36;

    private static final String INVALID = "invalid PROXY protocol header: ";
    private static final String UNSUPPORTED = "unsupported PROXY protocol feature: ";

    /** What the readable bytes hold. */
    enum Kind {
        /** Not enough bytes yet. */
        NEED_MORE,
        /** No PROXY header: the bytes are the client's own. */
        ABSENT,
        /** A complete header, consumed; {@link Outcome#source()} is null for LOCAL/UNKNOWN/UNSPEC. */
        HEADER,
        /** A malformed or unsupported header; {@link Outcome#error()} says why. */
        ERROR
    }

    /**
     * The result of one look at the buffer.
     *
     * @param kind   what was found
     * @param source the client's real address for a PROXY header, else null
     * @param error  nats-server's error text for {@link Kind#ERROR}, else null
     */
    record Outcome(Kind kind, InetSocketAddress source, String error) {
        static final Outcome NEED_MORE = new Outcome(Kind.NEED_MORE, null, null);
        static final Outcome ABSENT = new Outcome(Kind.ABSENT, null, null);
        static final Outcome KEEP_PEER = new Outcome(Kind.HEADER, null, null);

        static Outcome header(InetSocketAddress source) {
            return new Outcome(Kind.HEADER, source, null);
        }

        static Outcome error(String error) {
            return new Outcome(Kind.ERROR, null, error);
        }
    }

    private ProxyHeaderParser() {
    }

    /**
     * Looks at the readable bytes of {@code in}. On {@link Kind#HEADER} the header's bytes have been consumed and
     * what follows is the client's; otherwise nothing is consumed.
     */
    // nats-server: client_proxyproto.go readProxyProtoHeader
    static Outcome parse(ByteBuf in) {
        if (in.readableBytes() < DETECT_BYTES) {
            return Outcome.NEED_MORE;
        }
        int start = in.readerIndex();
        if (matches(in, start, V1_PREFIX, V1_PREFIX.length)) {
            return parseV1(in, start);
        }
        if (matches(in, start, V2_SIGNATURE, DETECT_BYTES)) {
            return parseV2(in, start);
        }
        return Outcome.ABSENT;
    }

    /**
     * The reason nats-server gives when the client stops sending (or closes) before the header is complete, for
     * the bytes readable now; {@code cause} is Go's {@code EOF} or {@code i/o timeout}.
     */
    static String incomplete(ByteBuf in, String cause) {
        int readable = in.readableBytes();
        if (readable < DETECT_BYTES) {
            return "failed to read protocol version: " + (readable == 0 || !cause.equals("EOF") ? cause
                    : "unexpected EOF");
        }
        if (matches(in, in.readerIndex(), V1_PREFIX, V1_PREFIX.length)) {
            return "failed to read v1 line: " + cause;
        }
        String suffix = cause.equals("EOF") ? "unexpected EOF" : cause;
        if (readable < V2_SIGNATURE.length) {
            return "failed to read v2 signature: " + suffix;
        }
        if (readable < V2_FIXED_BYTES) {
            return "failed to read v2 header: " + suffix;
        }
        int family = in.getUnsignedByte(in.readerIndex() + 13) & 0xF0;
        boolean local = (in.getUnsignedByte(in.readerIndex() + 12) & 0x0F) == 0;
        if (local) {
            return "failed to discard LOCAL command address data: " + suffix;
        }
        return switch (family) {
            case 0x10 -> "failed to read IPv4 address data: " + suffix;
            case 0x20 -> "failed to read IPv6 address data: " + suffix;
            default -> "failed to discard UNSPEC address address data: " + suffix;
        };
    }

    // nats-server: client_proxyproto.go readProxyProtoV1Header
    private static Outcome parseV1(ByteBuf in, int start) {
        int limit = start + Math.min(in.readableBytes(), V1_MAX_LINE_BYTES);
        int crlf = -1;
        for (int i = start + V1_PREFIX.length; i + 1 < limit; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n') {
                crlf = i;
                break;
            }
        }
        if (crlf < 0) {
            return in.readableBytes() >= V1_MAX_LINE_BYTES ? Outcome.error(INVALID + "v1 line too long")
                    : Outcome.NEED_MORE;
        }
        String line = in.toString(start + V1_PREFIX.length, crlf - start - V1_PREFIX.length,
                StandardCharsets.ISO_8859_1);
        List<String> parts = fields(line);
        Outcome outcome = v1Address(parts);
        if (outcome.kind() == Kind.HEADER) {
            in.readerIndex(crlf + 2);
        }
        return outcome;
    }

    private static Outcome v1Address(List<String> parts) {
        if (parts.isEmpty()) {
            return Outcome.error(INVALID + "invalid v1 format");
        }
        if (parts.get(0).equals("UNKNOWN")) {
            return Outcome.KEEP_PEER;
        }
        if (parts.size() != 5) {
            return Outcome.error(INVALID + "invalid v1 format");
        }
        String protocol = parts.get(0);
        InetAddress source = parseIp(parts.get(1));
        InetAddress destination = parseIp(parts.get(2));
        if (source == null || destination == null) {
            return Outcome.error(INVALID + "invalid address");
        }
        int sourcePort = parsePort(parts.get(3));
        if (sourcePort < 0) {
            return Outcome.error("invalid source port: " + portError(parts.get(3), sourcePort));
        }
        int destinationPort = parsePort(parts.get(4));
        if (destinationPort < 0) {
            return Outcome.error("invalid dest port: " + portError(parts.get(4), destinationPort));
        }
        boolean sourceIsV6 = parts.get(1).indexOf(':') >= 0;
        boolean destinationIsV6 = parts.get(2).indexOf(':') >= 0;
        if (protocol.equals("TCP4") && (sourceIsV6 || destinationIsV6)) {
            return Outcome.error(INVALID + "TCP4 with IPv6 address");
        }
        if (protocol.equals("TCP6") && (!sourceIsV6 || !destinationIsV6)) {
            return Outcome.error(INVALID + "TCP6 with IPv4 address");
        }
        if (!protocol.equals("TCP4") && !protocol.equals("TCP6")) {
            return Outcome.error(INVALID + "invalid protocol " + protocol);
        }
        return Outcome.header(new InetSocketAddress(source, sourcePort));
    }

    // nats-server: client_proxyproto.go parseProxyProtoV2Header
    private static Outcome parseV2(ByteBuf in, int start) {
        if (in.readableBytes() < V2_SIGNATURE.length) {
            return Outcome.NEED_MORE;
        }
        if (!matches(in, start, V2_SIGNATURE, V2_SIGNATURE.length)) {
            return Outcome.error(INVALID + "invalid signature");
        }
        if (in.readableBytes() < V2_FIXED_BYTES) {
            return Outcome.NEED_MORE;
        }
        int versionCommand = in.getUnsignedByte(start + 12);
        int version = versionCommand & 0xF0;
        int command = versionCommand & 0x0F;
        if (version != 0x20) {
            return Outcome.error(INVALID + "invalid version " + hexByte(version));
        }
        int familyProtocol = in.getUnsignedByte(start + 13);
        int family = familyProtocol & 0xF0;
        int protocol = familyProtocol & 0x0F;
        int addressBytes = in.getUnsignedShort(start + 14);
        int total = V2_FIXED_BYTES + addressBytes;
        if (command == 0x00) {
            return consumed(in, start, total, Outcome.KEEP_PEER);
        }
        if (command != 0x01) {
            return Outcome.error("unknown PROXY protocol command: " + hexByte(command));
        }
        if (protocol != 0x01) {
            return Outcome.error(UNSUPPORTED + "only STREAM protocol supported");
        }
        int addressStart = start + V2_FIXED_BYTES;
        return switch (family) {
            case 0x10 -> addressBytes < V2_IPV4_BYTES
                    ? Outcome.error("IPv4 address data too short: " + addressBytes + " bytes")
                    : v2Source(in, addressStart, total, 4);
            case 0x20 -> addressBytes < V2_IPV6_BYTES
                    ? Outcome.error("IPv6 address data too short: " + addressBytes + " bytes")
                    : v2Source(in, addressStart, total, 16);
            case 0x00 -> consumed(in, start, total, Outcome.KEEP_PEER);
            default -> Outcome.error(UNSUPPORTED + "unsupported address family " + hexByte(family));
        };
    }

    /** {@code outcome} once all {@code total} header bytes are readable (then consumed), else NEED_MORE. */
    private static Outcome consumed(ByteBuf in, int start, int total, Outcome outcome) {
        if (in.readableBytes() < total) {
            return Outcome.NEED_MORE;
        }
        in.readerIndex(start + total);
        return outcome;
    }

    /** The source of a v2 INET/INET6 block once the {@code total} header bytes are readable (then consumed). */
    private static Outcome v2Source(ByteBuf in, int addressStart, int total, int ipBytes) {
        int start = in.readerIndex();
        if (in.readableBytes() < total) {
            return Outcome.NEED_MORE;
        }
        byte[] ip = new byte[ipBytes];
        in.getBytes(addressStart, ip);
        int port = in.getUnsignedShort(addressStart + 2 * ipBytes);
        InetAddress address;
        try {
            address = InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreachable: address of " + ipBytes + " bytes", e);
        }
        in.readerIndex(start + total);
        return Outcome.header(new InetSocketAddress(address, port));
    }

    /** Go's {@code strings.Fields} for ASCII white space. */
    private static List<String> fields(String line) {
        List<String> parts = new ArrayList<>(5);
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && isSpace(line.charAt(i))) {
                i++;
            }
            int begin = i;
            while (i < line.length() && !isSpace(line.charAt(i))) {
                i++;
            }
            if (i > begin) {
                parts.add(line.substring(begin, i));
            }
        }
        return parts;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085'
                || c == '\u00A0';
    }

    /**
     * Go's {@code net.ParseIP}: a dotted IPv4 address or an IPv6 address (possibly with an embedded IPv4 tail),
     * never a host name, zone or brackets. IPv4-mapped IPv6 addresses become IPv4 ones. Null when invalid.
     */
    static InetAddress parseIp(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0) {
            return null;
        }
        if (text.indexOf(':') < 0 && !validIpv4(text)) {
            return null;
        }
        if (text.indexOf(':') >= 0 && !NetUtil.isValidIpV6Address(text)) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Four decimal fields 0..255 without leading zeros (Go 1.17+ refuses them). */
    private static boolean validIpv4(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return false;
            }
            for (int i = 0; i < octet.length(); i++) {
                if (octet.charAt(i) < '0' || octet.charAt(i) > '9') {
                    return false;
                }
            }
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static final int PORT_SYNTAX = -1;
    private static final int PORT_RANGE = -2;

    /** Go's {@code strconv.ParseUint(s, 10, 16)}: the port, or {@link #PORT_SYNTAX}/{@link #PORT_RANGE}. */
    private static int parsePort(String text) {
        if (text.isEmpty()) {
            return PORT_SYNTAX;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return PORT_SYNTAX;
            }
            value = value * 10 + (c - '0');
            if (value > 65535) {
                return PORT_RANGE;          // Go stops at the first overflow, before any later bad character
            }
        }
        return value;
    }

    private static String portError(String text, int code) {
        return "strconv.ParseUint: parsing " + GoQuote.quote(text) + ": "
                + (code == PORT_RANGE ? "value out of range" : "invalid syntax");
    }

    private static String hexByte(int value) {
        return String.format("0x%02x", value);
    }

    private static boolean matches(ByteBuf in, int start, byte[] expected, int length) {
        for (int i = 0; i < length; i++) {
            if (in.getByte(start + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
