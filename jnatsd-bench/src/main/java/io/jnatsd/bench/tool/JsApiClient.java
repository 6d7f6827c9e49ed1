package io.jnatsd.bench.tool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blocking connection for the few JetStream API requests a JetStream case makes around its measured run (create,
 * inspect and delete its stream): one request at a time, the reply's JSON returned as a string. Unlike
 * {@link NatsConn} it keeps payloads, and it asks for headers and no-responders replies, so a server without
 * JetStream is reported at once rather than after a timeout.
 * <p>
 * Owned by the runner thread.
 */
final class JsApiClient implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\\{[^}]*\"description\"\\s*:\\s*\"([^\"]*)\"");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String inbox;

    private JsApiClient(Socket socket, String inbox) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
        this.inbox = inbox;
    }

    /** Connects to {@code url} and subscribes to a reply subject of its own. */
    static JsApiClient open(ServerUrl url, String inbox) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.host(), url.port()), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            JsApiClient c = new JsApiClient(socket, inbox);
            c.out.write(Frames.connect(url, "bench-jsapi", true));
            c.out.write(Frames.sub(inbox, null, 1));
            c.out.write(Frames.PING);
            c.out.flush();
            c.awaitPong();
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends {@code json} to {@code subject} and returns the reply's payload.
     *
     * @throws IOException if the server has no responder for the subject (no JetStream), does not answer in time,
     *                     or answers with a JetStream API error
     */
    String request(String subject, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(Frames.ascii("PUB " + subject + " " + inbox + " " + body.length + "\r\n"));
        out.write(body);
        out.write(Frames.ascii("\r\n"));
        out.flush();
        while (true) {
            String line = readLine();
            if (line.startsWith("PING")) {
                out.write(Frames.PONG);
                out.flush();
            } else if (line.startsWith("-ERR")) {
                throw new IOException(subject + ": " + line);
            } else if (line.startsWith("MSG ") || line.startsWith("HMSG ")) {
                String[] tokens = line.trim().split("\\s+");
                boolean headers = line.startsWith("HMSG ");
                int total = Integer.parseInt(tokens[tokens.length - 1]);
                int headerBytes = headers ? Integer.parseInt(tokens[tokens.length - 2]) : 0;
                byte[] payload = in.readNBytes(total + 2);
                if (payload.length < total + 2) {
                    throw new IOException("the server closed the connection");
                }
                String head = new String(payload, 0, headerBytes, StandardCharsets.UTF_8);
                if (head.startsWith("NATS/1.0 503")) {
                    throw new IOException("no responders for " + subject + ": is JetStream enabled on the server?");
                }
                String reply = new String(payload, headerBytes, total - headerBytes, StandardCharsets.UTF_8);
                Matcher m = ERROR.matcher(reply);
                if (m.find()) {
                    throw new IOException(subject + ": " + m.group(1));
                }
                return reply;
            }
        }
    }

    private void awaitPong() throws IOException {
        while (true) {
            String line = readLine();
            if (line.startsWith("PONG")) {
                return;
            }
            if (line.startsWith("-ERR")) {
                throw new IOException(line);
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer from the server within " + TIMEOUT_MS + " ms", e);
        }
    }

    /** The number in {@code "name":<number>} of {@code json}, or -1. */
    static long number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }
}
