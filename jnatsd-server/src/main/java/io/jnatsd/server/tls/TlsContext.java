package io.jnatsd.server.tls;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.GoTlsNames;
import io.jnatsd.config.TlsOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The client port's TLS, ready to use: a Netty {@link SslContext} built from {@link TlsOptions} (server
 * certificates chosen by SNI, client verification against {@code ca_file} or the system roots, Go's suites,
 * curves and minimum version mapped to the provider's names) plus the per-connection settings (handshake timeout,
 * handshake_first, allow_non_tls, pinned certificates, rate limit). A reload that changes the TLS options builds
 * a new instance; connections keep the one they were accepted with.
 * <p>
 * The provider is the JDK's (JSSE) unless {@code -Djnatsd.tls.provider=openssl} asks for OpenSSL/BoringSSL, which
 * needs {@code netty-tcnative} on the class path (not a dependency of jnatsd today; without it the JDK is used).
 * <p>
 * Immutable and thread-safe; {@link #newSslHandler} is called on the accepting channel's event loop.
 */
public final class TlsContext {

    private static final NatsLogger LOG = NatsLogger.get(TlsContext.class);

    private final TlsOptions options;
    private final SslContext sslContext;
    private final boolean jdkProvider;
    private final String[] namedGroups;            // JSSE names, applied per engine (JDK provider only)
    private final HandshakeRateLimiter rateLimiter; // null without connection_rate_limit

    private TlsContext(TlsOptions options, SslContext sslContext, boolean jdkProvider, String[] namedGroups,
                       HandshakeRateLimiter rateLimiter) {
        this.options = options;
        this.sslContext = sslContext;
        this.jdkProvider = jdkProvider;
        this.namedGroups = namedGroups;
        this.rateLimiter = rateLimiter;
    }

    /**
     * Builds the context for enabled {@code options}.
     *
     * @param previous the context being replaced (its rate-limit window carries over), or null
     * @throws IllegalArgumentException when the provider cannot use the options (for example none of the
     *                                  configured curves is available)
     */
    // nats-server: opts.go GenTLSConfig (the tls.Config part)
    public static TlsContext create(TlsOptions options, TlsContext previous) {
        if (!options.enabled()) {
            throw new IllegalArgumentException("TLS is not enabled");
        }
        SslProvider provider = provider();
        boolean jdk = provider == SslProvider.JDK;
        Set<String> supportedSuites;
        Set<String> supportedGroups;
        try {
            SSLContext jsse = SSLContext.getDefault();
            supportedSuites = jdk ? Set.of(jsse.getSupportedSSLParameters().getCipherSuites())
                    : OpenSsl.availableJavaCipherSuites();
            supportedGroups = Set.of(jsse.getSupportedSSLParameters().getNamedGroups());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        JsseNames.Mapped suites = JsseNames.cipherSuites(options.cipherSuites(), supportedSuites);
        if (!suites.unsupported().isEmpty()) {
            LOG.warn("TLS cipher suites not available from the " + providerName(provider) + " TLS provider, ignored: "
                    + String.join(", ", suites.unsupported()));
        }
        String[] groups;
        if (jdk) {
            JsseNames.Mapped mapped = JsseNames.jsseGroups(options.curvePreferences(), supportedGroups);
            if (mapped.names().isEmpty()) {
                throw new IllegalArgumentException("none of the curve preferences " + options.curvePreferences()
                        + " is available from the JDK TLS provider");
            }
            // Go's default list starts with a hybrid group older JDKs lack: dropping it from the default is silent
            if (!mapped.unsupported().isEmpty() && !options.curvePreferences().equals(GoTlsNames.CURVES)) {
                LOG.warn("TLS curve preferences not available from the JDK TLS provider, ignored: "
                        + String.join(", ", mapped.unsupported()));
            }
            groups = mapped.names().toArray(new String[0]);
        } else {
            groups = JsseNames.opensslGroups(options.curvePreferences()).toArray(new String[0]);
        }
        SslContextBuilder builder = SslContextBuilder.forServer(new SniKeyManager(options.certificates()))
                .sslProvider(provider)
                .protocols(JsseNames.protocols(options.minVersion()))
                .ciphers(suites.names(), IdentityCipherSuiteFilter.INSTANCE)
                .clientAuth(options.verify() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (!jdk) {
            builder.option(OpenSslContextOption.GROUPS, groups);
        }
        if (options.verify()) {
            if (options.caCertificates().isEmpty()) {
                builder.trustManager(systemRoots());
            } else {
                builder.trustManager(options.caCertificates());
            }
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
        HandshakeRateLimiter limiter = null;
        if (options.connectionRateLimit() > 0) {
            limiter = previous != null && previous.rateLimiter != null
                    && previous.rateLimiter.limit() == options.connectionRateLimit()
                    ? previous.rateLimiter : new HandshakeRateLimiter(options.connectionRateLimit());
        }
        return new TlsContext(options, context, jdk, groups, limiter);
    }

    private static SslProvider provider() {
        String wanted = System.getProperty("jnatsd.tls.provider", "jdk").toLowerCase(Locale.ROOT);
        if (wanted.equals("openssl")) {
            if (OpenSsl.isAvailable()) {
                return SslProvider.OPENSSL;
            }
            LOG.warn("jnatsd.tls.provider=openssl: OpenSSL is not available (netty-tcnative missing?), using the JDK");
        } else if (!wanted.equals("jdk")) {
            LOG.warn("jnatsd.tls.provider: " + wanted + " (expected: jdk or openssl), using the JDK");
        }
        return SslProvider.JDK;
    }

    private static String providerName(SslProvider provider) {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL";
    }

    private static TrustManagerFactory systemRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the system trust store: " + e.getMessage(), e);
        }
    }

    /** The options this context was built from. */
    /** The Netty context (server side). */
    public SslContext sslContext() {
        return sslContext;
    }

    public TlsOptions options() {
        return options;
    }

    /** The handshake timeout ({@code timeout}). */
    public Duration handshakeTimeout() {
        return options.timeout();
    }

    /** The pinned client keys; empty for no pinning. */
    public Set<String> pinnedCerts() {
        return options.pinnedCerts();
    }

    /** The handshake refusals caused by {@code connection_rate_limit} since the last call. */
    public long takeRateLimitedHandshakes() {
        return rateLimiter == null ? 0 : rateLimiter.takeBlocked();
    }

    /** Whether a handshake may start now under {@code connection_rate_limit}. */
    boolean tryStartHandshake() {
        return rateLimiter == null || rateLimiter.tryAcquire();
    }

    /**
     * A handler running the server side of one handshake. Netty's own handshake timeout is off: the negotiator
     * times the handshake to answer as nats-server does.
     *
     * @param startTls whether the first write (the INFO) goes out in plaintext before the handshake
     */
    SslHandler newSslHandler(ByteBufAllocator allocator, boolean startTls) {
        SSLEngine engine = sslContext.newEngine(allocator);
        if (jdkProvider) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setNamedGroups(namedGroups);
            parameters.setUseCipherSuitesOrder(true);
            engine.setSSLParameters(parameters);
        }
        SslHandler handler = new SslHandler(engine, startTls);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    @Override
    public String toString() {
        return "TlsContext[" + options + ", groups=" + Arrays.toString(namedGroups) + "]";
    }

    /** The JSSE cipher suites enabled for TLS 1.2 and 1.3, in preference order (for tests and diagnostics). */
    List<String> cipherSuites() {
        return sslContext.cipherSuites();
    }
}
