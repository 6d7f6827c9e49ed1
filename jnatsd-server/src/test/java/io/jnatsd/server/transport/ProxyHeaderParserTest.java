package io.jnatsd.server.transport;

import io.jnatsd.server.transport.ProxyHeaderParser.Kind;
import io.jnatsd.server.transport.ProxyHeaderParser.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyHeaderParserTest {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A header as an independent implementation (Netty's encoder) writes it, followed by {@code tail}. */
    private static byte[] encoded(HAProxyMessage message, String tail) {
        EmbeddedChannel channel = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        channel.writeOutbound(message);
        ByteBuf out = channel.readOutbound();
        byte[] header = new byte[out.readableBytes()];
        out.readBytes(header);
        out.release();
        channel.finishAndReleaseAll();
        byte[] tailBytes = tail.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + tailBytes.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(tailBytes, 0, all, header.length, tailBytes.length);
        return all;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] v2(int versionCommand, int familyProtocol, byte... address) {
        byte[] b = new byte[16 + address.length];
        System.arraycopy(V2_SIGNATURE, 0, b, 0, 12);
        b[12] = (byte) versionCommand;
        b[13] = (byte) familyProtocol;
        b[14] = (byte) (address.length >> 8);
        b[15] = (byte) address.length;
        System.arraycopy(address, 0, b, 16, address.length);
        return b;
    }

    /** Parses {@code bytes} whole and checks that every shorter prefix asks for more (no early verdict). */
    private static Outcome parseAtEverySplit(byte[] bytes, int headerLength) {
        for (int n = 0; n < headerLength; n++) {
            ByteBuf partial = Unpooled.wrappedBuffer(bytes, 0, n);
            assertThat(ProxyHeaderParser.parse(partial).kind()).as("prefix of %d bytes", n).isEqualTo(Kind.NEED_MORE);
            assertThat(partial.readerIndex()).isZero();
        }
        ByteBuf whole = Unpooled.wrappedBuffer(bytes);
        Outcome outcome = ProxyHeaderParser.parse(whole);
        if (outcome.kind() == Kind.HEADER) {
            assertThat(whole.readerIndex()).isEqualTo(headerLength);
        }
        return outcome;
    }

    @Test
    void shouldReadV1Tcp4HeaderAndLeaveTheClientBytes() {
        byte[] bytes = encoded(new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "192.0.2.7", "10.0.0.1", 51234, 4222), "CONNECT {}\r\n");
        Outcome outcome = parseAtEverySplit(bytes, bytes.length - "CONNECT {}\r\n".length());
        assertThat(outcome.kind()).isEqualTo(Kind.HEADER);
        assertThat(outcome.source().getAddress().getHostAddress()).isEqualTo("192.0.2.7");
        assertThat(outcome.source().getPort()).isEqualTo(51234);
    }

    @Test
    void shouldReadV1Tcp6HeaderWithMappedAddressAndExtraSpaces() {
        Outcome outcome = ProxyHeaderParser.parse(Unpooled.wrappedBuffer(
                ascii("PROXY TCP6  ::ffff:192.0.2.1\t2001:db8::1 0 65535\r\n")));
        assertThat(outcome.kind()).isEqualTo(Kind.HEADER);
        assertThat(outcome.source().getAddress().getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(outcome.source().getPort()).isZero();
    }

    @Test
    void shouldKeepThePeerForV1Unknown() {
        Outcome outcome = parseAtEverySplit(ascii("PROXY UNKNOWN whatever\r\nPING\r\n"), 24);
        assertThat(outcome).isEqualTo(Outcome.KEEP_PEER);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'PROXY '|invalid PROXY protocol header: invalid v1 format",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1|invalid PROXY protocol header: invalid v1 format",
        "PROXY TCP4 1.2.3 5.6.7.8 1 2|invalid PROXY protocol header: invalid address",
        "PROXY TCP4 01.2.3.4 5.6.7.8 1 2|invalid PROXY protocol header: invalid address",
        "PROXY TCP4 host 5.6.7.8 1 2|invalid PROXY protocol header: invalid address",
        "PROXY TCP4 1.2.3.4 5.6.7.8 x 2|invalid source port: strconv.ParseUint: parsing \"x\": invalid syntax",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536|invalid dest port: strconv.ParseUint: parsing \"65536\": value out of"
                + " range",
        "PROXY TCP4 ::1 5.6.7.8 1 2|invalid PROXY protocol header: TCP4 with IPv6 address",
        "PROXY TCP6 ::1 5.6.7.8 1 2|invalid PROXY protocol header: TCP6 with IPv4 address",
        "PROXY UDP4 1.2.3.4 5.6.7.8 1 2|invalid PROXY protocol header: invalid protocol UDP4",
    })
    void shouldRefuseMalformedV1Lines(String line, String error) {
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(ascii(line + "\r\n"))))
                .isEqualTo(Outcome.error(error));
    }

    @Test
    void shouldRefuseV1LineLongerThan107Bytes() {
        String longLine = "PROXY TCP4 " + "1".repeat(96);   // 107 bytes, no CRLF
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(ascii(longLine.substring(0, 106)))).kind())
                .isEqualTo(Kind.NEED_MORE);
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(ascii(longLine))))
                .isEqualTo(Outcome.error("invalid PROXY protocol header: v1 line too long"));
    }

    @Test
    void shouldTreatOtherTrafficAsNoHeader() {
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(ascii("CONNECT {}\r\n")))).isEqualTo(Outcome.ABSENT);
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(ascii("PROXY")))).isEqualTo(Outcome.NEED_MORE);
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(ascii("PROXYX\r\n")))).isEqualTo(Outcome.ABSENT);
    }

    @Test
    void shouldReadV2Inet() {
        byte[] bytes = encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP4, "198.51.100.9", "10.0.0.1", 40000, 4222), "PING\r\n");
        Outcome outcome = parseAtEverySplit(bytes, bytes.length - 6);
        assertThat(outcome.source().getAddress().getHostAddress()).isEqualTo("198.51.100.9");
        assertThat(outcome.source().getPort()).isEqualTo(40000);
    }

    @Test
    void shouldReadV2Inet6AndSkipTlvs() {
        byte[] address = new byte[36 + 7];
        address[15] = 1;                                // src ::1
        address[32] = (byte) 0x9c;                      // sport 40000
        address[33] = 0x40;
        address[36] = 0x04;                             // a NOOP TLV of 4 bytes
        address[38] = 4;
        byte[] bytes = v2(0x21, 0x21, address);
        Outcome outcome = parseAtEverySplit(bytes, bytes.length);
        assertThat(outcome.source().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(outcome.source().getPort()).isEqualTo(40000);
    }

    @Test
    void shouldKeepThePeerForV2LocalAndUnspec() {
        byte[] local = encoded(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.LOCAL,
                HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0), "");
        assertThat(parseAtEverySplit(local, local.length)).isEqualTo(Outcome.KEEP_PEER);
        byte[] localWithAddress = v2(0x20, 0x11, new byte[12]);
        assertThat(parseAtEverySplit(localWithAddress, localWithAddress.length)).isEqualTo(Outcome.KEEP_PEER);
        byte[] unspec = v2(0x21, 0x01, new byte[3]);
        assertThat(parseAtEverySplit(unspec, unspec.length)).isEqualTo(Outcome.KEEP_PEER);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "16|17|12|invalid PROXY protocol header: invalid version 0x10",
        "34|17|12|unknown PROXY protocol command: 0x02",
        "33|18|12|unsupported PROXY protocol feature: only STREAM protocol supported",
        "33|0|12|unsupported PROXY protocol feature: only STREAM protocol supported",
        "33|49|216|unsupported PROXY protocol feature: unsupported address family 0x30",
        "33|17|11|IPv4 address data too short: 11 bytes",
        "33|33|35|IPv6 address data too short: 35 bytes",
    })
    void shouldRefuseBadV2Headers(int versionCommand, int familyProtocol, int addressBytes, String error) {
        byte[] bytes = v2(versionCommand, familyProtocol, new byte[addressBytes]);
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(bytes))).isEqualTo(Outcome.error(error));
    }

    @Test
    void shouldRefuseABrokenV2Signature() {
        byte[] bytes = v2(0x21, 0x11, new byte[12]);
        bytes[11] = 0x0B;
        assertThat(ProxyHeaderParser.parse(Unpooled.wrappedBuffer(bytes)))
                .isEqualTo(Outcome.error("invalid PROXY protocol header: invalid signature"));
    }

    @Test
    void shouldDescribeAnIncompleteHeaderAsNatsServer() {
        assertThat(ProxyHeaderParser.incomplete(Unpooled.EMPTY_BUFFER, "EOF"))
                .isEqualTo("failed to read protocol version: EOF");
        assertThat(ProxyHeaderParser.incomplete(Unpooled.wrappedBuffer(ascii("PRO")), "i/o timeout"))
                .isEqualTo("failed to read protocol version: i/o timeout");
        assertThat(ProxyHeaderParser.incomplete(Unpooled.wrappedBuffer(ascii("PROXY TCP4")), "EOF"))
                .isEqualTo("failed to read v1 line: EOF");
        assertThat(ProxyHeaderParser.incomplete(Unpooled.wrappedBuffer(V2_SIGNATURE, 0, 8), "EOF"))
                .isEqualTo("failed to read v2 signature: unexpected EOF");
        byte[] partial = v2(0x21, 0x11, new byte[12]);
        assertThat(ProxyHeaderParser.incomplete(Unpooled.wrappedBuffer(partial, 0, 20), "i/o timeout"))
                .isEqualTo("failed to read IPv4 address data: i/o timeout");
    }
}
