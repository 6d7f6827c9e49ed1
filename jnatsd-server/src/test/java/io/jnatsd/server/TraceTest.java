package io.jnatsd.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.server.conn.Connection;
import io.jnatsd.subject.transform.SubjectMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TraceTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(Connection.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private NatsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown();
        }
        logger.detachAppender(appender);
        logger.setLevel(null);
        NatsLogger.setLevels(false, false);
    }

    private List<String> traceOf(ServerOptions.LoggingOptions logging, String protocol) throws IOException {
        return traceOf(ServerOptions.builder().logging(logging), protocol);
    }

    private List<String> traceOf(ServerOptions.Builder options, String protocol) throws IOException {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.TRACE);
        server = new NatsServer(options.host("127.0.0.1").port(ServerOptions.RANDOM_PORT).build());
        server.start();
        try (Socket s = new Socket("127.0.0.1", server.clientPort())) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            in.readLine();
            s.getOutputStream().write((protocol + "PING\r\n").getBytes(StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("PONG"));
        }
        return appender.list.stream().filter(e -> e.getLevel() == Level.TRACE)
                .map(e -> e.getFormattedMessage().replaceFirst("^127\\.0\\.0\\.1:\\d+ - cid:\\d+ - ", ""))
                .toList();
    }

    private static ServerOptions.LoggingOptions trace(boolean headersOnly, int maxTracedMsgLen) {
        return new ServerOptions.LoggingOptions(false, true, false, headersOnly, true, false, null, 0, 0, false, null,
                maxTracedMsgLen);
    }

    @Test
    void shouldTraceTheMappingBetweenThePublishAndItsPayload() throws Exception {
        SubjectMappings mappings = SubjectMappings.EMPTY.with("foo", "bar");
        List<String> lines = traceOf(ServerOptions.builder().logging(trace(false, 0)).mappings(mappings),
                "CONNECT {\"verbose\":false}\r\nSUB bar 1\r\nPUB foo 1\r\nx\r\n");
        assertThat(lines).containsSubsequence(
                "<<- [PUB foo 1]",
                "<<- [MAPPING foo -> bar]",
                "<<- MSG_PAYLOAD: [\"x\"]",
                "->> [MSG bar 1 1]");
    }

    @Test
    void shouldTraceOperationsAndPayloadsLikeNatsServer() throws IOException {
        List<String> lines = traceOf(trace(false, 0), "CONNECT {\"verbose\":false,\"headers\":true,\"pass\":\"s3cret\"}\r\n"
                + "SUB foo 1\r\nPUB foo 01\r\nx\r\n");
        assertThat(lines).containsSubsequence(
                "<<- [CONNECT {\"verbose\":false,\"headers\":true,\"pass\":\"[REDACTED]\"}]",
                "<<- [SUB foo 1]",
                "<<- [PUB foo 01]",
                "<<- MSG_PAYLOAD: [\"x\"]",
                "->> [MSG foo 1 1]",
                "->> MSG_PAYLOAD: [\"x\"]",
                "<<- [PING]",
                "->> [PONG]");
        assertThat(String.join("\n", lines)).doesNotContain("s3cret");
    }

    @Test
    void shouldCutPayloadsAtMaxTracedMsgLen() throws IOException {
        List<String> lines = traceOf(trace(false, 3), "CONNECT {\"verbose\":false}\r\nPUB foo 6\r\nabcdef\r\n");
        assertThat(lines).contains("<<- MSG_PAYLOAD: [\"abc...\"]");
    }

    @Test
    void shouldTraceOnlyHeadersWithTraceHeaders() throws IOException {
        List<String> lines = traceOf(trace(true, 0),
                "CONNECT {\"verbose\":false,\"headers\":true}\r\nPUB foo 2\r\nhi\r\nHPUB foo 18 20\r\nNATS/1.0\r\nA: b\r\n\r\nhi\r\n");
        assertThat(lines).contains("<<- MSG_PAYLOAD: [\"NATS/1.0\\r\\nA: b\"]")
                .noneMatch(l -> l.contains("\"hi\""));
    }
}
