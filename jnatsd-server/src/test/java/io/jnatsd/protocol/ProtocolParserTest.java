package io.jnatsd.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolParserTest {

    /** Parses {@code input} delivered as chunks, accumulating like Netty's cumulation does. */
    private static List<String> parse(RecordingHandler handler, int maxControlLine, String... chunks) {
        ProtocolParser parser = new ProtocolParser(handler, maxControlLine);
        ByteBuf cumulation = Unpooled.buffer();
        try {
            for (String chunk : chunks) {
                cumulation.writeBytes(chunk.getBytes(StandardCharsets.ISO_8859_1));
                parser.parse(cumulation);
                cumulation.discardReadBytes();
            }
        } finally {
            cumulation.release();
        }
        return handler.events;
    }

    private static List<String> parse(String... chunks) {
        return parse(new RecordingHandler(), 4096, chunks);
    }

    @Test
    void shouldParseEveryClientOperation() {
        assertThat(parse("CONNECT {\"verbose\":false}\r\nPUB foo 5\r\nhello\r\nPUB foo bar 0\r\n\r\n"
                + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nSUB foo 1\r\nSUB foo q 2\r\nUNSUB 1\r\nUNSUB 2 10\r\n"
                + "PING\r\nPONG\r\n+OK\r\n-ERR 'x'\r\nINFO {}\r\n"))
                .containsExactly("CONNECT {\"verbose\":false}", "PUB foo [hello]", "PUB foo reply=bar []",
                        "HPUB foo hdr=12 [NATS/1.0\r\n\r\nhi]", "SUB foo sid=1", "SUB foo queue=q sid=2",
                        "UNSUB 1 max=-1", "UNSUB 2 max=10", "PING", "PONG", "OK", "ERR 'x'", "INFO {}");
    }

    @Test
    void shouldAcceptAnyCaseAndTabsAndBareNewlines() {
        assertThat(parse("pub\tfoo  \t 2\nhi\r\nsUb foo 1\nPiNg\nconnect{}\n"))
                .containsExactly("PUB foo [hi]", "SUB foo sid=1", "PING", "CONNECT {}");
    }

    @Test
    void shouldIgnoreTrailingBytesOnPingPongAndOk() {
        assertThat(parse("PINGXYZ junk\r\nPONG whatever\r\n+OKAY\r\n")).containsExactly("PING", "PONG", "OK");
    }

    @Test
    void shouldParseTheSameWhenSplitAtEveryByte() {
        String input = "CONNECT {}\r\nPUB foo.bar reply 11\r\nhello world\r\nHPUB a 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
                + "SUB foo q 1\r\nUNSUB 1 5\r\nPING\r\n";
        List<String> whole = parse(input);
        for (int split = 1; split < input.length(); split++) {
            assertThat(parse(input.substring(0, split), input.substring(split)))
                    .as("split at %d", split).isEqualTo(whole);
        }
        String[] bytes = input.split("");
        assertThat(parse(bytes)).isEqualTo(whole);
    }

    @Test
    void shouldReportUnknownOperations() {
        assertThat(parse("FOO\r\n")).singleElement().asString()
                .startsWith("ERROR UNKNOWN_OPERATION Unknown Protocol Operation | Client parser ERROR");
        assertThat(parse("PUBX foo 1\r\n")).singleElement().asString().contains("UNKNOWN_OPERATION");
        assertThat(parse("MSG foo 1 1\r\n")).singleElement().asString().contains("UNKNOWN_OPERATION");
        assertThat(parse("\r\n")).singleElement().asString().contains("UNKNOWN_OPERATION");
        assertThat(parse("UNSUB\r\n")).singleElement().asString().contains("UNKNOWN_OPERATION");
    }

    @Test
    void shouldReportAnUnknownOperationBeforeTheLineEnds() {
        assertThat(parse("XYZ")).singleElement().asString().contains("UNKNOWN_OPERATION");
    }

    @Test
    void shouldRejectABadPayloadTerminator() {
        assertThat(parse("PUB foo 2\r\nhiX\r\n")).singleElement().asString().contains("UNKNOWN_OPERATION");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUB foo\r\n", "PUB a b c 1\r\n", "PUB foo x\r\n", "PUB foo 1234567890\r\n",
            "PUB foo -1\r\n", "SUB foo\r\n", "SUB a b c d\r\n", "UNSUB \r\n", "UNSUB 1 2 3\r\n", "HPUB foo 1\r\n",
            "HPUB foo 5 2\r\n", "HPUB foo x 2\r\n", "HPUB foo 1 x\r\n"})
    void shouldCloseSilentlyOnBadArguments(String line) {
        assertThat(parse(line)).singleElement().asString().startsWith("ERROR BAD_ARGUMENTS null | ");
    }

    @Test
    void shouldNameTheFailingCheckInTheLog() {
        assertThat(parse("PUB foo x\r\n")).containsExactly(
                "ERROR BAD_ARGUMENTS null | processPub Bad or Missing Size: \"foo x\"");
        assertThat(parse("HPUB foo 5 2\r\n")).containsExactly(
                "ERROR BAD_ARGUMENTS null | processHeaderPub Header Size larger then TotalSize: \"foo 5 2\"");
        assertThat(parse("SUB foo\r\n")).containsExactly("ERROR BAD_ARGUMENTS null | processSub Parse Error: \"foo\"");
    }

    @Test
    void shouldTreatAnUnparsableUnsubMaxAsMinusOne() {
        assertThat(parse("UNSUB 1 abc\r\n")).containsExactly("UNSUB 1 max=-1");
    }

    @Test
    void shouldEnforceMaxControlLineOnCompleteAndPendingLines() {
        assertThat(parse(new RecordingHandler(), 10, "SUB foo.bar.baz 1\r\n")).singleElement().asString()
                .startsWith("ERROR MAX_CONTROL_LINE maximum control line exceeded");
        assertThat(parse(new RecordingHandler(), 10, "SUB foo.bar.baz.qux")).singleElement().asString()
                .startsWith("ERROR MAX_CONTROL_LINE");
        assertThat(parse(new RecordingHandler(), 10, "SUB foo 1\r\n")).containsExactly("SUB foo sid=1");
    }

    @Test
    void shouldCheckThePayloadSizeOnceBeforeThePayloadArrives() {
        RecordingHandler handler = new RecordingHandler();
        handler.maxPayload = 4;
        assertThat(parse(handler, 4096, "PUB foo 5\r\n")).containsExactly("MAX_PAYLOAD 5");
    }

    @Test
    void shouldRefuseHpubWithoutHeaders() {
        RecordingHandler handler = new RecordingHandler();
        handler.headers = false;
        assertThat(parse(handler, 4096, "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n")).containsExactly("NO_HEADERS");
    }

    @Test
    void shouldRequireConnectFirstWhenAuthIsRequired() {
        RecordingHandler handler = new RecordingHandler();
        handler.authRequired = true;
        assertThat(parse(handler, 4096, "PING\r\n")).containsExactly("AUTH_VIOLATION");
        handler = new RecordingHandler();
        handler.authRequired = true;
        assertThat(parse(handler, 4096, "CONNECT {}\r\nPING\r\n")).containsExactly("CONNECT {}", "PING");
    }

    @Test
    void shouldParseTheFirstOperationWhenTheHandlerAuthenticatesWithoutConnect() {
        RecordingHandler handler = new RecordingHandler();
        handler.authRequired = true;
        handler.implicitConnect = true;
        assertThat(parse(handler, 4096, "PING\r\nPING\r\n")).containsExactly("IMPLICIT_CONNECT", "PING", "PING");
    }

    @Test
    void shouldStopAfterAnError() {
        assertThat(parse("FOO\r\nPING\r\n", "PING\r\n")).hasSize(1);
    }

    @Test
    void shouldDeliverLargePayloadsArrivingInPieces() {
        String payload = "x".repeat(100_000);
        String input = "PUB big 100000\r\n" + payload + "\r\n";
        String[] chunks = new String[(input.length() + 999) / 1000];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = input.substring(i * 1000, Math.min(input.length(), (i + 1) * 1000));
        }
        assertThat(parse(chunks)).containsExactly("PUB big [" + payload + "]");
    }

    @Test
    void shouldKeepTheSizeTokensAsSent() {
        RecordingHandler handler = new RecordingHandler();
        parse(handler, 4096, "PUB foo 01\r\nx\r\nHPUB h 012 0014\r\nNATS/1.0\r\n\r\nhi\r\n");
        assertThat(handler.sizeTokens).containsExactly("01", "012 0014");
    }

    @Test
    void shouldSplitSubAndUnsubArgumentsOnCarriageReturnsLikeSplitArg() {
        assertThat(parse("SUB a\rb 1\r\nUNSUB 1\r5\r\n")).containsExactly("SUB a queue=b sid=1", "UNSUB 1 max=5");
        assertThat(parse("PUB a\rb 1\r\nx\r\n")).containsExactly("PUB a\rb [x]");
    }
}
