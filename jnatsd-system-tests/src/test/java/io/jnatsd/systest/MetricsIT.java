package io.jnatsd.systest;

import io.jnatsd.config.ServerOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} on the monitoring port (jnatsd's addition to nats-server): Prometheus text by default,
 * OpenMetrics when asked for, server and per-account figures that follow the traffic, {@code name[]} selection.
 */
class MetricsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void shouldExposeServerAndAccountFiguresInPrometheusText() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT));
             io.nats.client.Connection nc = Nats.connect(new Options.Builder().server(server.url())
                     .connectionTimeout(TIMEOUT).build())) {
            nc.subscribe("m");
            nc.publish("m", new byte[7]);
            nc.flush(TIMEOUT);
            String url = server.monitorUrl() + "/metrics";
            Await.until(TIMEOUT, "the delivery counted", () -> Http.get(url).body()
                    .contains("nats_server_out_msgs_total 1.0"));
            Http.Reply reply = Http.get(url);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("Content-Type")).startsWith("text/plain; version=0.0.4");
            assertThat(reply.body())
                    .contains("# TYPE nats_server_connections gauge")
                    .contains("nats_server_connections 1.0")
                    .contains("# TYPE nats_server_in_msgs_total counter")
                    .contains("nats_server_in_msgs_total 1.0")
                    .contains("nats_server_in_bytes_total 7.0")
                    .contains("nats_server_connections_accepted_total 1.0")
                    .contains("nats_account_connections{account=\"$G\"} 1.0")
                    .contains("nats_account_in_msgs_total{account=\"$G\"} 1.0")
                    .contains("nats_account_connections{account=\"$SYS\"} 0.0")
                    .contains("nats_server_info{server_id=\"" + server.server().serverId() + "\"");
        }
    }

    @Test
    void shouldNegotiateOpenMetricsAndSelectNames() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start(b -> b.httpPort(ServerOptions.RANDOM_PORT))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> open = client.send(HttpRequest.newBuilder(URI.create(server.monitorUrl()
                    + "/metrics")).header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(open.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/openmetrics-text");
            assertThat(open.body()).contains("# TYPE nats_server_in_msgs counter").endsWith("# EOF\n");
            Http.Reply selected = Http.get(server.monitorUrl() + "/metrics?name[]=nats_server_connections");
            assertThat(selected.body()).contains("nats_server_connections 0.0").doesNotContain("nats_account_");
        }
    }
}
