package io.jnatsd.bench.tool;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCounted;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * How the generator speaks TLS to a server: which CA it trusts (a PEM file, or the JVM's default roots), which
 * protocol versions it offers, and which TLS implementation it uses ({@code openssl}: BoringSSL through
 * netty-tcnative, the default where its native library loads; {@code jdk}: the JDK's). The server certificate's
 * chain is verified; its host name is not (the servers are addressed by IP).
 * <p>
 * Engines are made without a peer address, so the client never resumes a session: every connection runs a full
 * handshake. Immutable; the underlying context is built once per distinct configuration and shared by all threads.
 *
 * @param caFile    the CA certificates to trust (PEM), or {@code null} for the JVM's default trust store
 * @param protocols the versions offered, e.g. {@code TLSv1.3}, {@code TLSv1.2}
 * @param provider  {@value #OPENSSL} or {@value #JDK}
 */
record TlsClient(Path caFile, List<String> protocols, String provider) {

    /** The JDK's TLS implementation. */
    static final String JDK = "jdk";
    /** BoringSSL through netty-tcnative. */
    static final String OPENSSL = "openssl";
    /** TLS 1.3 and 1.2, as nats-server accepts by default. */
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Map<TlsClient, SslContext> CONTEXTS = new ConcurrentHashMap<>();

    TlsClient {
        protocols = List.copyOf(protocols);
        provider = provider.toLowerCase(Locale.ROOT);
        if (!provider.equals(JDK) && !provider.equals(OPENSSL)) {
            throw new IllegalArgumentException("TLS client provider: " + provider + " (expected: jdk or openssl)");
        }
    }

    /** Default roots, TLS 1.3 and 1.2, the default provider. */
    static TlsClient defaults() {
        return new TlsClient(null, DEFAULT_PROTOCOLS, defaultProvider());
    }

    /** {@value #OPENSSL} where netty-tcnative's library loads, else {@value #JDK}. */
    static String defaultProvider() {
        return OpenSsl.isAvailable() ? OPENSSL : JDK;
    }

    TlsClient withCaFile(Path file) {
        return new TlsClient(file, protocols, provider);
    }

    TlsClient withProtocols(List<String> versions) {
        return new TlsClient(caFile, versions, provider);
    }

    TlsClient withProvider(String name) {
        return new TlsClient(caFile, protocols, name);
    }

    /** A new client-mode engine; {@link #release} it when the connection closes. */
    SSLEngine newEngine() {
        SslContext context = CONTEXTS.computeIfAbsent(this, TlsClient::build);
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        engine.setUseClientMode(true);
        return engine;
    }

    /** Frees an engine's native state (OpenSSL); nothing to do for the JDK's. Idempotent. */
    static void release(SSLEngine engine) {
        if (engine instanceof ReferenceCounted counted && counted.refCnt() > 0) {
            counted.release(counted.refCnt());
        }
    }

    /** A short description for reports, e.g. {@code openssl TLSv1.3}. */
    String describe() {
        return provider + " " + String.join("+", protocols);
    }

    private static SslContext build(TlsClient c) {
        SslProvider provider = c.provider.equals(OPENSSL) ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
        if (provider != SslProvider.JDK && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("the openssl TLS client needs netty-tcnative, which is not available"
                    + " here: " + OpenSsl.unavailabilityCause());
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider)
                    .protocols(c.protocols).endpointIdentificationAlgorithm(null);
            if (c.caFile != null) {
                builder.trustManager(c.caFile.toFile());
            }
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalStateException("cannot set up the TLS client (" + c.describe() + "): " + e.getMessage(),
                    e);
        }
    }

    /**
     * A server-side context for the generator's in-process TLS sinks ({@link GeneratorCeiling}), from a
     * certificate and key in PEM files.
     */
    static SslContext serverContext(Path certFile, Path keyFile, String provider) {
        try {
            return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                    .sslProvider(provider.equals(OPENSSL) ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK)
                    .protocols(DEFAULT_PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up the in-process TLS sink: " + e.getMessage(), e);
        }
    }
}
