package io.jnatsd.server;

import io.jnatsd.config.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NatsServerTest {

    private NatsServer server;

    @BeforeEach
    void start() throws IOException {
        server = new NatsServer(ServerOptions.builder().host("127.0.0.1").port(ServerOptions.RANDOM_PORT).build());
        server.start();
    }

    @AfterEach
    void stop() {
        server.shutdown();
    }

    @Test
    void shouldRouteAPublishToASubscriberOnAnotherConnection() throws IOException {
        try (Socket sub = new Socket("127.0.0.1", server.clientPort());
             Socket pub = new Socket("127.0.0.1", server.clientPort())) {
            sub.setSoTimeout(5000);
            pub.setSoTimeout(5000);
            BufferedReader subIn = reader(sub);
            BufferedReader pubIn = reader(pub);
            assertThat(subIn.readLine()).startsWith("INFO {\"server_id\":\"N").endsWith("} ");
            assertThat(pubIn.readLine()).startsWith("INFO ");
            send(sub, "CONNECT {\"verbose\":false}\r\nSUB foo.* 1\r\nPING\r\n");
            assertThat(subIn.readLine()).isEqualTo("PONG");
            send(pub, "CONNECT {\"verbose\":false}\r\nPUB foo.bar reply 5\r\nhello\r\nPING\r\n");
            assertThat(pubIn.readLine()).isEqualTo("PONG");
            assertThat(subIn.readLine()).isEqualTo("MSG foo.bar 1 reply 5");
            assertThat(subIn.readLine()).isEqualTo("hello");
        }
    }

    @Test
    void shouldAnswerVerboseAndPingOnOneConnection() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.clientPort())) {
            s.setSoTimeout(5000);
            BufferedReader in = reader(s);
            in.readLine();
            send(s, "CONNECT {}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n");
            assertThat(in.readLine()).isEqualTo("+OK");
            assertThat(in.readLine()).isEqualTo("+OK");
            assertThat(in.readLine()).isEqualTo("+OK");
            assertThat(in.readLine()).isEqualTo("MSG a 1 2");
            assertThat(in.readLine()).isEqualTo("hi");
            assertThat(in.readLine()).isEqualTo("PONG");
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
