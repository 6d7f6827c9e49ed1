package io.jnatsd.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Go's {@code url.ParseRequestURI} and {@code net.SplitHostPort} as far as the WebSocket code needs them. */
class GoUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://a.io                 | http  | a.io          | ''
            HTTPS://A.io:8443/p/q?x=1   | https | A.io:8443     | /p/q
            http://user@b.io:80/        | http  | b.io:80       | /
            http://[::1]:4443           | http  | [::1]:4443    | ''
            /leafnode                   | ''    | ''            | /leafnode
            ws://h/x/leafnode           | ws    | h             | /x/leafnode
            mailto:someone              | mailto| ''            | ''
            x.com:80                    | x.com | ''            | ''
            *                           | ''    | ''            | *
            """)
    void shouldParseAsGo(String raw, String scheme, String host, String path) throws Exception {
        GoUrl url = GoUrl.parseRequestUri(raw);
        assertThat(url.scheme()).isEqualTo(scheme);
        assertThat(url.host()).isEqualTo(host);
        assertThat(url.path()).isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            x.com                 | parse "x.com": invalid URI for request
            ://x                  | parse "://x": missing protocol scheme
            http://x:abc          | parse "http://x:abc": invalid port ":abc" after host
            http://[::1           | parse "http://[::1": missing ']' in host
            http://a b            | parse "http://a b": invalid character " " in host name
            http://%zz            | parse "http://%zz": invalid URL escape "%zz"
            /a%2               | parse "/a%2": invalid URL escape "%2"
            """)
    void shouldFailAsGo(String raw, String message) {
        assertThatThrownBy(() -> GoUrl.parseRequestUri(raw)).isInstanceOf(GoUrl.ParseException.class)
                .hasMessage(message);
    }

    @Test
    void shouldRefuseEmptyAndControlCharacters() {
        assertThatThrownBy(() -> GoUrl.parseRequestUri("")).hasMessage("parse \"\": empty url");
        assertThatThrownBy(() -> GoUrl.parseRequestUri("http://a\u0001")).hasMessage(
                "parse \"http://a\\x01\": net/url: invalid control character in URL");
    }

    @Test
    void shouldSplitHostAndPortAsGo() throws Exception {
        assertThat(GoUrl.splitHostPort("a:1")).containsExactly("a", "1");
        assertThat(GoUrl.splitHostPort("[::1]:2")).containsExactly("::1", "2");
        assertThat(GoUrl.splitHostPort(":3")).containsExactly("", "3");
        assertThatThrownBy(() -> GoUrl.splitHostPort("a")).hasMessage("address a: missing port in address");
        assertThatThrownBy(() -> GoUrl.splitHostPort("a:1:2")).hasMessage("address a:1:2: too many colons in address");
        assertThatThrownBy(() -> GoUrl.splitHostPort("[::1]")).hasMessage("address [::1]: missing port in address");
        assertThatThrownBy(() -> GoUrl.splitHostPort("[::1")).hasMessage("address [::1: missing ']' in address");
        assertThatThrownBy(() -> GoUrl.splitHostPort("[a]b:1")).hasMessage("address [a]b:1: missing port in address");
        assertThatThrownBy(() -> GoUrl.splitHostPort("a[:1")).hasMessage("address a[:1: unexpected '[' in address");
        assertThatThrownBy(() -> GoUrl.splitHostPort("a]:1")).hasMessage("address a]:1: unexpected ']' in address");
    }

    @Test
    void shouldDefaultThePortByScheme() throws Exception {
        assertThat(GoUrl.hostAndPort(false, "Example.COM")).containsExactly("example.com", "80");
        assertThat(GoUrl.hostAndPort(true, "example.com")).containsExactly("example.com", "443");
        assertThat(GoUrl.hostAndPort(true, "example.com:8443")).containsExactly("example.com", "8443");
        assertThat(GoUrl.hostAndPort(false, "[::1]")).containsExactly("[::1]", "80");
        assertThatThrownBy(() -> GoUrl.hostAndPort(false, "a:1:2")).isInstanceOf(GoUrl.AddressException.class);
    }
}
