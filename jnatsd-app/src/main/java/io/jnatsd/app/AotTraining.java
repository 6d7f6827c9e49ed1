package io.jnatsd.app;

import io.jnatsd.app.logging.LogbackBackend;
import io.jnatsd.config.CommandLine;
import io.jnatsd.config.CommandLineResult;
import io.jnatsd.server.NatsServer;
import io.jnatsd.server.transport.EarlyListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The training run for the JDK's ahead-of-time cache ({@code -XX:AOTCacheOutput}, JEP 514): parses a command line,
 * starts a server on a random loopback port exactly as {@link Main} does, runs one client session (CONNECT, SUB,
 * PUB, HPUB, PING) and shuts down, then the same over TLS, so that the cache holds the classes and profiles of a real start. {@code
 * bin/jnatsd} runs it in the background the first time it starts a given jar, with
 * {@code -Djnatsd.aotTraining=true}; later starts load the cache and reach "Server is ready" much sooner.
 */
final class AotTraining {

    private static final String SESSION = "CONNECT {\"verbose\":false,\"headers\":true,\"protocol\":1}\r\n"
            + "SUB train 1\r\nPUB train 5\r\nhello\r\nHPUB train 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n";

    private AotTraining() {
    }

    /** How long a training session's reads may wait; a stalled run then ends and leaves no cache. */
    static final int SESSION_TIMEOUT_MILLIS = 30_000;

    /** Returns 0 when both sessions (plain, then TLS) completed. */
    static int run() throws IOException {
        if (session(List.of()) != 0) {
            return 1;
        }
        // A TLS session too: a cold JVM spends hundreds of milliseconds in its first handshake, longer than some
        // clients wait for a connection. The certificate is made for this run by the JDK's keytool.
        Path dir = Files.createTempDirectory("jnatsd-aot");
        try {
            Path[] pem = trainingCertificate(dir);
            if (pem == null) {
                return 0;
            }
            return session(List.of("--tls", "--tlscert", pem[0].toString(), "--tlskey", pem[1].toString()));
        } catch (GeneralSecurityException | InterruptedException e) {
            return 0;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static int session(List<String> extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", "-1"));
        args.addAll(extraArgs);
        CommandLineResult result = CommandLine.parse(args.toArray(String[]::new));
        if (!(result instanceof CommandLineResult.Run run)) {
            return 1;
        }
        EarlyListener early = EarlyListener.bind(run.options().host(), run.options().port());
        NatsServer server = new NatsServer(run.options(), new LogbackBackend());
        try {
            server.start(early);
            try (Socket plain = new Socket("127.0.0.1", server.clientPort())) {
                // a training run in the background must end even if the session stalls: no read waits for ever
                plain.setSoTimeout(SESSION_TIMEOUT_MILLIS);
                Socket socket = plain;
                if (!extraArgs.isEmpty()) {
                    readLine(plain.getInputStream());                  // INFO, then the handshake
                    SSLSocket tls = (SSLSocket) trustAll().getSocketFactory()
                            .createSocket(plain, "127.0.0.1", server.clientPort(), true);
                    tls.startHandshake();
                    socket = tls;
                }
                OutputStream out = socket.getOutputStream();
                out.write(SESSION.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder seen = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0) {
                    seen.append((char) b);
                    if (seen.indexOf("PONG\r\n") >= 0) {
                        return 0;
                    }
                }
                return 1;
            } catch (GeneralSecurityException e) {
                return 1;
            }
        } finally {
            server.shutdown();
        }
    }

    private static void readLine(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            // skip
        }
    }

    /** A client context that accepts the training certificate (and any other: loopback training only). */
    private static SSLContext trustAll() throws GeneralSecurityException {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // the training client presents no certificate
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // accepted: the server is the one this run started
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        return context;
    }

    /**
     * An RSA 2048 certificate for 127.0.0.1 made with keytool, written as PEM {@code [cert, key]}; null when keytool
     * is not there or fails.
     */
    private static Path[] trainingCertificate(Path dir) throws IOException, GeneralSecurityException,
            InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            return null;
        }
        Path store = dir.resolve("training.p12");
        char[] password = "training".toCharArray();
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "RSA", "-keysize", "2048",
                "-alias", "jnatsd", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(password))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            return null;
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password);
        }
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, pem("CERTIFICATE", keyStore.getCertificate("jnatsd").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keyStore.getKey("jnatsd", password).getEncoded()));
        return new Path[] {cert, key};
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
