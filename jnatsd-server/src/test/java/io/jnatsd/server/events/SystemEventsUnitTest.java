package io.jnatsd.server.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SystemEventsUnitTest {

    @Test
    void shouldHashServerNamesAsNatsServer() {
        // observed on nats-server 2.9.10: its $SYS._INBOX.wKy2hkPd.* subscription
        assertThat(ServerHash.of("NB7BS47FSUFOT7KGHYXOYM5IELES2BV35EZE4Y73XVVW4MYCX6ZLGEOD")).isEqualTo("wKy2hkPd");
    }

    @Test
    void shouldMakeDistinctNuidsOf22Characters() {
        Nuid nuid = new Nuid();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = nuid.next();
            assertThat(id).hasSize(22).matches("[0-9A-Za-z]+");
            assertThat(seen.add(id)).isTrue();
        }
    }

    @Test
    void shouldDecodeOptionsWithGoErrors() throws Exception {
        Map<String, GoOptions.Type> fields = Map.of("limit", GoOptions.Type.INT, "auth", GoOptions.Type.BOOL,
                "tags", GoOptions.Type.STRINGS, "cid", GoOptions.Type.UINT64);
        GoOptions o = GoOptions.decode("{\"LIMIT\":5,\"auth\":true,\"other\":1}".getBytes(StandardCharsets.UTF_8),
                "ConnzEventOptions", fields);
        assertThat(o.integer("limit")).isEqualTo(5);
        assertThat(o.bool("auth")).isTrue();
        assertThat(GoOptions.decode(new byte[0], "X", fields).integer("limit")).isZero();
        // each text observed on nats-server 2.9.10 ($SYS.REQ.SERVER.PING.CONNZ)
        assertThatThrownBy(() -> GoOptions.decode("{\"limit\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "ConnzEventOptions", fields)).hasMessage(
                "json: cannot unmarshal string into Go struct field ConnzEventOptions.limit of type int");
        assertThatThrownBy(() -> GoOptions.decode("{\"limit\":1.5}".getBytes(StandardCharsets.UTF_8),
                "ConnzEventOptions", fields)).hasMessage(
                "json: cannot unmarshal number 1.5 into Go struct field ConnzEventOptions.limit of type int");
        assertThatThrownBy(() -> GoOptions.decode("{\"cid\":-1}".getBytes(StandardCharsets.UTF_8),
                "ConnzEventOptions", fields)).hasMessage(
                "json: cannot unmarshal number -1 into Go struct field ConnzEventOptions.cid of type uint64");
        assertThatThrownBy(() -> GoOptions.decode("{\"auth\":1}".getBytes(StandardCharsets.UTF_8),
                "ConnzEventOptions", fields)).hasMessage(
                "json: cannot unmarshal number into Go struct field ConnzEventOptions.auth of type bool");
        assertThatThrownBy(() -> GoOptions.decode("{\"tags\":[1]}".getBytes(StandardCharsets.UTF_8),
                "ConnzEventOptions", fields)).hasMessage(
                "json: cannot unmarshal number into Go struct field ConnzEventOptions.tags of type string");
        assertThatThrownBy(() -> GoOptions.decode("[1]".getBytes(StandardCharsets.UTF_8), "ConnzEventOptions",
                fields)).hasMessage("json: cannot unmarshal array into Go value of type server.ConnzEventOptions");
        assertThatThrownBy(() -> GoOptions.decode("xx".getBytes(StandardCharsets.UTF_8), "ConnzEventOptions",
                fields)).hasMessage("invalid character 'x' looking for beginning of value");
    }

    @Test
    void shouldChooseTheCompressionAsNatsServer() {
        assertThat(SystemRequests.acceptEncoding(null)).isNull();
        assertThat(SystemRequests.acceptEncoding(hdr("Accept-Encoding: gzip, s2"))).isEqualTo("snappy");
        assertThat(SystemRequests.acceptEncoding(hdr("accept-encoding: GZIP"))).isEqualTo("gzip");
        assertThat(SystemRequests.acceptEncoding(hdr("Accept-Encoding: br"))).isEqualTo("identity");
        assertThat(SystemRequests.acceptEncoding(hdr("Other: x"))).isNull();
    }

    @Test
    void shouldWriteSnappyFramesWithMaskedCrcs() {
        byte[] framed = SystemRequests.snappyFramed("hello".getBytes(StandardCharsets.US_ASCII));
        // stream identifier, then chunk type 1 of 4 + 5 bytes; the masked CRC-32C of "hello" as the Snappy
        // framing format defines it ((crc >> 15 | crc << 17) + 0xa282ead8)
        assertThat(framed).startsWith(0xff - 256, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y', 1, 9, 0, 0);
        assertThat(new String(framed, framed.length - 5, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(framed).hasSize(10 + 4 + 4 + 5);
    }

    private static byte[] hdr(String line) {
        return ("NATS/1.0\r\n" + line + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
