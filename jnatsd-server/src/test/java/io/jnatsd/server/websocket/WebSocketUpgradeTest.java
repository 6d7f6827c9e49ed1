package io.jnatsd.server.websocket;

import io.jnatsd.config.WebSocketOptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade request's parsing (Go's {@code net/http} and {@code textproto} rules) and nats-server's
 * {@code wsUpgrade} checks: header tokens, the key, compression, cookies, {@code X-Forwarded-For}, the browser and
 * the origin rules ({@code checkOrigin}, {@code wsGetHostAndPort}).
 */
class WebSocketUpgradeTest {

    private static final String VALID = "GET /path HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n";

    private static Object parse(String head) {
        return HttpRequestHead.parse(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpRequestHead request(String... extraHeaders) {
        StringBuilder b = new StringBuilder(VALID);
        for (String h : extraHeaders) {
            b.append(h).append("\r\n");
        }
        Object parsed = parse(b.append("\r\n").toString());
        assertThat(parsed).isInstanceOf(HttpRequestHead.class);
        return (HttpRequestHead) parsed;
    }

    private static WebSocketUpgrade.Config config(WebSocketOptions.Builder ws) {
        return WebSocketUpgrade.Config.of(ws.port(1).noTls(true).build());
    }

    @Test
    void shouldParseTheHeadAsGo() {
        HttpRequestHead r = (HttpRequestHead) parse("GET /a?b=c HTTP/1.1\nHOST:  x.io \nX-Multi: 1\r\nx-multi: 2\n"
                + "X-Folded: a\n  b\n\n");
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.url().path()).isEqualTo("/a");
        assertThat(r.host()).isEqualTo("x.io");
        assertThat(r.headerValues("X-MULTI")).containsExactly("1", "2");
        assertThat(r.header("x-folded")).isEqualTo("a b");
        assertThat(r.keepAlive()).isTrue();
        assertThat(((HttpRequestHead) parse("GET http://abs.io/p HTTP/1.0\r\n\r\n")).host()).isEqualTo("abs.io");
    }

    @Test
    void shouldRefuseWhatGosServerRefuses() {
        String plain = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                + "\r\n400 Bad Request";
        for (String bad : List.of("GET /\r\n\r\n", "GET / HTTP/1\r\nHost: x\r\n\r\n",
                "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET x HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
                "GET / HTTP/1.1\r\nNo colon\r\n\r\n", "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n")) {
            assertThat(parse(bad)).as(bad).isEqualTo(new HttpRequestHead.Refusal(plain));
        }
        assertThat(parse("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")).isEqualTo(new HttpRequestHead.Refusal(
                "HTTP/1.1 400 Bad Request: malformed Host header\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Connection: close\r\n\r\n400 Bad Request: malformed Host header"));
        assertThat(parse("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n")).isEqualTo(
                new HttpRequestHead.Refusal("HTTP/1.1 501 Not Implemented\r\nContent-Type: text/plain; "
                        + "charset=utf-8\r\nConnection: close\r\n\r\nUnsupported transfer encoding"));
    }

    @Test
    void shouldUpgradeAValidRequest() {
        WebSocketUpgrade.Outcome outcome = WebSocketUpgrade.upgrade(request(), config(WebSocketOptions.builder()));
        assertThat(outcome).isInstanceOf(WebSocketUpgrade.Upgraded.class);
        WebSocketUpgrade.Upgraded up = (WebSocketUpgrade.Upgraded) outcome;
        assertThat(up.response()).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        assertThat(up.kind()).isEqualTo(WebSocketUpgrade.Kind.CLIENT);
        assertThat(up.compress()).isFalse();
        assertThat(up.noMasking()).isFalse();
        assertThat(up.browser()).isFalse();
        assertThat(up.forwardedFor()).isNull();
    }

    @Test
    void shouldNegotiateCompressionWhateverTheParameters() {
        WebSocketUpgrade.Config compressing = config(WebSocketOptions.builder().compression(true));
        for (String offer : List.of("permessage-deflate", "x-foo, PerMessage-Deflate; client_max_window_bits",
                "foo; permessage-deflate")) {
            WebSocketUpgrade.Upgraded up = (WebSocketUpgrade.Upgraded) WebSocketUpgrade.upgrade(
                    request("Sec-WebSocket-Extensions: " + offer), compressing);
            assertThat(up.compress()).as(offer).isTrue();
            assertThat(up.response()).contains("Sec-WebSocket-Extensions: permessage-deflate; "
                    + "server_no_context_takeover; client_no_context_takeover\r\n");
        }
        assertThat(((WebSocketUpgrade.Upgraded) WebSocketUpgrade.upgrade(request("Sec-WebSocket-Extensions: x-webkit"),
                compressing)).compress()).isFalse();
    }

    @Test
    void shouldCaptureTheBrowserCookiesAndForwardedAddress() {
        WebSocketUpgrade.Config cfg = config(WebSocketOptions.builder().compression(true).jwtCookie("jwt")
                .usernameCookie("user").passwordCookie("pass").tokenCookie("tok"));
        WebSocketUpgrade.Upgraded up = (WebSocketUpgrade.Upgraded) WebSocketUpgrade.upgrade(request(
                "User-Agent: Mozilla/5.0 (Macintosh) AppleWebKit/605 Version/17 Safari/605",
                "Sec-WebSocket-Extensions: permessage-deflate",
                "Cookie: jwt=eyJ0; user=\"bob\"; bad name=x; pass=p\\w; tok=t1",
                "Cookie: tok=t2; =empty",
                "X-Forwarded-For: 2001:db8::7",
                "Nats-No-Masking: true"), cfg);
        assertThat(up.browser()).isTrue();
        assertThat(up.noCompressedFragments()).isTrue();
        assertThat(up.cookies()).containsExactly("eyJ0", "bob", "", "t2");
        assertThat(up.forwardedFor()).isEqualTo("2001:db8::7");
        assertThat(up.noMasking()).isTrue();
        assertThat(up.response()).contains("\r\nNats-No-Masking: true\r\n");
        up = (WebSocketUpgrade.Upgraded) WebSocketUpgrade.upgrade(request("User-Agent: Mozilla/5.0 Chrome/120",
                "X-Forwarded-For: 10.0.0.1, 10.0.0.2", "X-Forwarded-For: 10.0.0.3"), cfg);
        assertThat(up.browser()).isTrue();
        assertThat(up.noCompressedFragments()).isFalse();
        assertThat(up.forwardedFor()).isNull();
        assertThat(up.cookies()).containsExactly("", "", "", "");
    }

    @Test
    void shouldRecogniseGosIpAddresses() {
        for (String ip : List.of("1.2.3.4", "255.255.255.255", "::1", "2001:db8::7", "::ffff:1.2.3.4")) {
            assertThat(WebSocketUpgrade.isIp(ip)).as(ip).isTrue();
        }
        for (String notIp : List.of("", "1.2.3", "1.2.3.04", "256.1.1.1", "fe80::1%eth0", "host", "1.2.3.4 ")) {
            assertThat(WebSocketUpgrade.isIp(notIp)).as(notIp).isFalse();
        }
    }

    @Test
    void shouldSelectTheKindByThePathSuffix() {
        HttpRequestHead leaf = (HttpRequestHead) parse(VALID.replace("/path", "/x/leafnode") + "\r\n");
        assertThat(((WebSocketUpgrade.Upgraded) WebSocketUpgrade.upgrade(leaf, config(WebSocketOptions.builder())))
                .kind()).isEqualTo(WebSocketUpgrade.Kind.LEAF);
        HttpRequestHead mqtt = (HttpRequestHead) parse(VALID.replace("/path", "/mqtt") + "\r\n");
        WebSocketUpgrade.Outcome refused = WebSocketUpgrade.upgrade(mqtt, config(WebSocketOptions.builder()));
        assertThat(((WebSocketUpgrade.Refused) refused).reason()).isEqualTo("mqtt websocket endpoint not enabled");
        assertThat(((WebSocketUpgrade.Refused) refused).response()).startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void shouldCleanPathsAsGosServeMux() {
        assertThat(WebSocketUpgrade.cleanPath("")).isEqualTo("/");
        assertThat(WebSocketUpgrade.cleanPath("/a/./b/../c/")).isEqualTo("/a/c/");
        assertThat(WebSocketUpgrade.cleanPath("//a")).isEqualTo("/a");
        assertThat(WebSocketUpgrade.cleanPath("/..")).isEqualTo("/");
        assertThat(WebSocketUpgrade.cleanPath("/leafnode")).isEqualTo("/leafnode");
    }

    @Test
    void shouldCheckOriginsAsNatsServer() {
        WebSocketUpgrade.Config same = config(WebSocketOptions.builder().sameOrigin(true));
        WebSocketUpgrade.Config listed = config(WebSocketOptions.builder()
                .allowedOrigins(List.of("https://a.io", "http://a.io:8080", "HTTP://B.io")));
        assertThat(listed.allowedOrigins()).isEqualTo(Map.of(
                "a.io", List.of(new WebSocketUpgrade.AllowedOrigin("https", "443"),
                        new WebSocketUpgrade.AllowedOrigin("http", "8080")),
                "b.io", List.of(new WebSocketUpgrade.AllowedOrigin("http", "80"))));
        assertThat(WebSocketUpgrade.checkOrigin(request(), same, "example.com")).isNull();
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: http://EXAMPLE.com:80"), same, "example.com"))
                .isNull();
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: http://example.com:81"), same, "example.com"))
                .isEqualTo("not same origin");
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: http://example.com"), same, "example.com:1:2"))
                .isEqualTo("address example.com:1:2: too many colons in address");
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: https://a.io"), listed, "x")).isNull();
        assertThat(WebSocketUpgrade.checkOrigin(request("Sec-WebSocket-Origin: http://b.io"), listed, "x")).isNull();
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: http://a.io"), listed, "x"))
                .isEqualTo("not in the allowed list");
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: a.io"), listed, "x"))
                .isEqualTo("parse \"a.io\": invalid URI for request");
        assertThat(WebSocketUpgrade.checkOrigin(request("Origin: http://b.io"), config(WebSocketOptions.builder()),
                "x")).isNull();
    }

    @Test
    void shouldComputeTheAcceptKeyOfRfc6455() {
        assertThat(WebSocketUpgrade.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
