package io.jnatsd.server.conn;

import io.jnatsd.config.ExportOptions;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sampling, header handling and ids of service imports ({@code accounts.go shouldSample}, {@code setHeader}). */
class ServiceImportsTest {

    private static final ExportOptions.Latency HEADERS = new ExportOptions.Latency("lat", 0);

    private static PublishArgs message(String header, String body) {
        PublishArgs pa = new PublishArgs();
        byte[] all = (header + body + "\r\n").getBytes(StandardCharsets.UTF_8);
        pa.payload = Unpooled.wrappedBuffer(all);
        pa.payloadOffset = 0;
        pa.headerLength = header.isEmpty() ? -1 : header.length();
        pa.totalLength = all.length - 2;
        return pa;
    }

    @Test
    void shouldSampleByPercentageThenByTracingHeaders() {
        assertThat(ServiceImports.shouldSample(null, Map.of()).tracking()).isFalse();
        assertThat(ServiceImports.shouldSample(new ExportOptions.Latency("lat", 100), Map.of()).tracking()).isTrue();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of()).tracking()).isFalse();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("X-B3-Sampled", List.of("1"))).headers())
                .containsOnlyKeys("X-B3-Sampled");
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("X-B3-Sampled", List.of("0"),
                "X-B3-Traceid", List.of("abc"))).tracking()).isFalse();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("X-B3-Traceid", List.of("abc"))).tracking()).isTrue();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("B3", List.of("a-b-0"))).tracking()).isFalse();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("B3", List.of("a-b-1"))).tracking()).isTrue();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("B3", List.of("0"))).tracking()).isFalse();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("Uber-Trace-Id",
                List.of("479fefe9525eddb:5adb976bfc1f95c1:479fefe9525eddb:1"), "Uberctx-A", List.of("x"))).headers())
                .containsOnlyKeys("Uber-Trace-Id", "Uberctx-A");
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("Uber-Trace-Id",
                List.of("479fefe9525eddb:5adb976bfc1f95c1:479fefe9525eddb:0"))).tracking()).isFalse();
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("Traceparent",
                List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "Tracestate", List.of("s")))
                .headers()).containsOnlyKeys("Traceparent", "Tracestate");
        assertThat(ServiceImports.shouldSample(HEADERS, Map.of("Traceparent",
                List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"))).tracking()).isFalse();
    }

    @Test
    void shouldParseHeadersUnderCanonicalKeys() {
        PublishArgs pa = message("NATS/1.0\r\nx-b3-traceid: abc\r\nUBER-TRACE-ID: 1:2:3:1\r\nx-b3-traceid: def\r\n\r\n",
                "body");
        Map<String, List<String>> headers = ServiceImports.parseHeaders(pa);
        assertThat(headers).containsEntry("X-B3-Traceid", List.of("abc", "def"))
                .containsEntry("Uber-Trace-Id", List.of("1:2:3:1"));
        assertThat(ServiceImports.canonicalKey("nats-request-info")).isEqualTo("Nats-Request-Info");
    }

    @Test
    void shouldSetTheClientInfoHeaderAsNatsServerDoes() {
        byte[] json = "{\"acc\":\"B\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(new String(ServiceImports.withHeader(message("", "x"), 0, "Nats-Request-Info", json),
                StandardCharsets.UTF_8)).isEqualTo("NATS/1.0\r\nNats-Request-Info: {\"acc\":\"B\"}\r\n\r\n");
        PublishArgs withOld = message("NATS/1.0\r\nA: 1\r\nNats-Request-Info: old\r\nB: 2\r\n\r\n", "x");
        assertThat(new String(ServiceImports.withHeader(withOld, withOld.headerLength, "Nats-Request-Info", json),
                StandardCharsets.UTF_8)).isEqualTo("NATS/1.0\r\nA: 1\r\nB: 2\r\nNats-Request-Info: {\"acc\":\"B\"}"
                + "\r\n\r\n");
    }

    @Test
    void shouldMakeIdsOfTheExpectedShape() {
        assertThat(ServiceImports.eventId()).matches("[0-9A-Za-z]{22}");
        assertThat(ServiceImports.serverHash("my-server")).matches("[0-9A-Za-z]{8}")
                .isEqualTo(ServiceImports.serverHash("my-server"));
    }
}
