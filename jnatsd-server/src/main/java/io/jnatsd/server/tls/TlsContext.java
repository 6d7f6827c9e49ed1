package io.jnatsd.server.tls;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.GoTlsNames;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.server.ocsp.OcspPeerTrustManager;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslServerContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client port's TLS, ready to use: a Netty {@link SslContext} built from {@link TlsOptions} (server
 * certificates chosen by SNI, client verification against {@code ca_file} or the system roots, Go's suites,
 * curves and minimum version mapped to the provider's names) plus the per-connection settings (handshake timeout,
 * handshake_first, allow_non_tls, pinned certificates, rate limit). A reload that changes the TLS options builds
 * a new instance; connections keep the one they were accepted with.
 * <p>
 * The provider is OpenSSL (BoringSSL through netty-tcnative-boringssl-static, which {@code jnatsd.jar} ships for
 * Linux x86_64): it was the faster in {@code bin/jnatsd-bench}'s side-by-side TLS run (docs/performance.md, "TLS").
 * Where its native library cannot load (another platform, or an embedder without netty-tcnative on the class path)
 * the JDK's provider (JSSE) is used and a notice says so once. {@code -Djnatsd.tls.provider=jdk|openssl} overrides
 * the default.
 * <p>
 * OCSP ({@link OcspHooks}): the stapled response goes to each OpenSSL engine as the certificate is chosen; the JDK's
 * provider cannot staple a response it did not fetch itself (JSSE's server-side stapling,
 * {@code jdk.tls.server.enableStatusRequestExtension}, asks the responders on its own and takes no response from
 * the application), so with it the status is still monitored (and a revoked certificate still shuts the server
 * down) but nothing is stapled, which is logged once per context. Client certificates go through
 * {@link OcspPeerTrustManager} with {@code ocsp_peer}. Such contexts run their handshakes' blocking steps as
 * delegated tasks on virtual threads.
 * <p>
 * Immutable and thread-safe; {@link #newSslHandler} is called on the accepting channel's event loop.
 */
public final class TlsContext {

    /** The system property that picks the TLS provider: {@code jdk} or {@code openssl}. */
    public static final String PROVIDER_PROPERTY = "jnatsd.tls.provider";
    /** The JDK's TLS provider (JSSE). */
    public static final String JDK = "jdk";
    /** OpenSSL (BoringSSL) through netty-tcnative. */
    public static final String OPENSSL = "openssl";
    /**
     * The provider used when {@value #PROVIDER_PROPERTY} is not set: the faster of the two in
     * {@code bin/jnatsd-bench}'s side-by-side TLS run (docs/performance.md, "TLS").
     */
    public static final String DEFAULT_PROVIDER = OPENSSL;

    private static final NatsLogger LOG = NatsLogger.get(TlsContext.class);
    private static final AtomicBoolean PROVIDER_NOTICE_LOGGED = new AtomicBoolean();

    private final TlsOptions options;
    private final SslContext sslContext;
    private final boolean jdkProvider;
    private final String[] namedGroups;            // provider's names; applied per engine by the JDK provider
    private final HandshakeRateLimiter rateLimiter; // null without connection_rate_limit
    private final OcspHooks ocsp;

    private TlsContext(TlsOptions options, SslContext sslContext, boolean jdkProvider, String[] namedGroups,
                       HandshakeRateLimiter rateLimiter, OcspHooks ocsp) {
        this.options = options;
        this.sslContext = sslContext;
        this.jdkProvider = jdkProvider;
        this.namedGroups = namedGroups;
        this.rateLimiter = rateLimiter;
        this.ocsp = ocsp;
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
        return create(options, previous, OcspHooks.NONE);
    }

    /**
     * Builds the context for enabled {@code options} with OCSP stapling and peer verification.
     *
     * @param previous the context being replaced (its rate-limit window carries over), or null
     * @param ocsp     the stapler and client verifier, or {@link OcspHooks#NONE}
     * @throws IllegalArgumentException when the provider cannot use the options
     */
    // nats-server: ocsp.go NewOCSPMonitor, ocsp_peer.go plugClientTLSOCSPPeer (the tls.Config hooks)
    public static TlsContext create(TlsOptions options, TlsContext previous, OcspHooks ocsp) {
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
            supportedGroups = jdk ? Set.of(jsse.getSupportedSSLParameters().getNamedGroups())
                    : OpenSslGroups.SUPPORTED;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
        JsseNames.Mapped suites = JsseNames.cipherSuites(options.cipherSuites(), supportedSuites);
        if (!suites.unsupported().isEmpty()) {
            LOG.warn("TLS cipher suites not available from the " + providerName(provider) + " TLS provider, ignored: "
                    + String.join(", ", suites.unsupported()));
        }
        JsseNames.Mapped mapped = jdk ? JsseNames.jsseGroups(options.curvePreferences(), supportedGroups)
                : JsseNames.opensslGroups(options.curvePreferences(), supportedGroups);
        if (mapped.names().isEmpty()) {
            throw new IllegalArgumentException("none of the curve preferences " + options.curvePreferences()
                    + " is available from the " + providerName(provider) + " TLS provider");
        }
        // Go's default list starts with a hybrid group older JDKs lack: dropping it from the default is silent
        if (!mapped.unsupported().isEmpty() && !options.curvePreferences().equals(GoTlsNames.CURVES)) {
            LOG.warn("TLS curve preferences not available from the " + providerName(provider)
                    + " TLS provider, ignored: " + String.join(", ", mapped.unsupported()));
        }
        String[] groups = mapped.names().toArray(new String[0]);
        boolean staple = ocsp.stapler() != null && !jdk;
        if (ocsp.stapler() != null && jdk) {
            LOG.warn("OCSP staples are not sent with the JDK TLS provider (it fetches its own and takes none from"
                    + " the server); the certificate status is monitored without stapling");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(new SniKeyManager(options.certificates(),
                        staple ? ocsp : null))
                .sslProvider(provider)
                .protocols(JsseNames.protocols(options.minVersion()))
                .ciphers(suites.names(), IdentityCipherSuiteFilter.INSTANCE)
                .clientAuth(options.verify() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (!jdk) {
            builder.option(OpenSslContextOption.GROUPS, groups);
            if (ocsp.active()) {
                builder.option(OpenSslContextOption.USE_TASKS, true);
            }
        }
        if (staple) {
            builder.enableOcsp(true);
        }
        if (options.verify()) {
            if (ocsp.peer() != null) {
                builder.trustManager(new OcspPeerTrustManager(pkix(options.caCertificates()), ocsp.peer()));
            } else if (options.caCertificates().isEmpty()) {
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
        if (context instanceof OpenSslServerContext openssl) {
            // Go (and the JDK) issue session tickets so that clients can resume; Netty's OpenSSL context turns them
            // off unless it is given ticket keys
            openssl.sessionContext().setTicketKeys(newTicketKey());
        }
        HandshakeRateLimiter limiter = null;
        if (options.connectionRateLimit() > 0) {
            limiter = previous != null && previous.rateLimiter != null
                    && previous.rateLimiter.limit() == options.connectionRateLimit()
                    ? previous.rateLimiter : new HandshakeRateLimiter(options.connectionRateLimit());
        }
        return new TlsContext(options, context, jdk, groups, limiter, ocsp);
    }

    /** The PKIX trust manager for {@code caCertificates}, or for the system roots when there are none. */
    private static X509ExtendedTrustManager pkix(List<X509Certificate> caCertificates) {
        try {
            TrustManagerFactory factory;
            if (caCertificates.isEmpty()) {
                factory = systemRoots();
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                for (int i = 0; i < caCertificates.size(); i++) {
                    store.setCertificateEntry("ca" + i, caCertificates.get(i));
                }
                factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
            }
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalArgumentException("cannot set up TLS: no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The OCSP stapler and client verifier of this context ({@link OcspHooks#NONE} without OCSP). */
    public OcspHooks ocsp() {
        return ocsp;
    }

    /**
     * The provider {@value #PROVIDER_PROPERTY} asks for ({@code jdk} or {@code openssl}), else the default
     * ({@value #DEFAULT_PROVIDER}). OpenSSL needs netty-tcnative's native library for this platform; without it the
     * JDK's provider is used, which is logged once per process.
     */
    static SslProvider provider() {
        boolean available = OpenSsl.isAvailable();
        ProviderChoice choice = chooseProvider(System.getProperty(PROVIDER_PROPERTY), available,
                available ? null : OpenSsl.unavailabilityCause());
        if (choice.notice() != null && PROVIDER_NOTICE_LOGGED.compareAndSet(false, true)) {
            if (choice.warn()) {
                LOG.warn(choice.notice());
            } else {
                LOG.notice(choice.notice());
            }
        }
        return choice.provider();
    }

    /**
     * A provider decision and what to log about it.
     *
     * @param provider the provider to use
     * @param notice   a line to log once, or null
     * @param warn     whether that line is a warning (an explicit request that cannot be honoured) or a notice
     */
    record ProviderChoice(SslProvider provider, String notice, boolean warn) {
    }

    /**
     * Picks the provider from the property's value (null when unset) and whether OpenSSL's native library loaded.
     */
    static ProviderChoice chooseProvider(String property, boolean opensslAvailable, Throwable unavailable) {
        String wanted = property == null || property.isBlank() ? DEFAULT_PROVIDER
                : property.strip().toLowerCase(Locale.ROOT);
        String notice = null;
        if (!wanted.equals(JDK) && !wanted.equals(OPENSSL)) {
            notice = PROVIDER_PROPERTY + ": " + property.strip() + " (expected: " + JDK + " or " + OPENSSL
                    + "), using the default, " + DEFAULT_PROVIDER;
            wanted = DEFAULT_PROVIDER;
        }
        if (wanted.equals(JDK)) {
            return new ProviderChoice(SslProvider.JDK, notice, notice != null);
        }
        if (opensslAvailable) {
            return new ProviderChoice(SslProvider.OPENSSL, notice, notice != null);
        }
        String reason = unavailable == null ? "unknown reason" : unavailable.getClass().getSimpleName()
                + (unavailable.getMessage() == null ? "" : ": " + unavailable.getMessage());
        String fallback = "TLS provider OpenSSL is not available on this platform (netty-tcnative-boringssl-static: "
                + reason + "), using the JDK's";
        // asked for explicitly: a warning; the default falling back where the library is missing: a notice
        return new ProviderChoice(SslProvider.JDK, notice == null ? fallback : notice + "; " + fallback,
                property != null && !property.isBlank());
    }

    /** A random session ticket key: tickets stay valid for the life of this context (until a TLS reload). */
    private static OpenSslSessionTicketKey newTicketKey() {
        SecureRandom random = new SecureRandom();
        byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
        byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
        random.nextBytes(name);
        random.nextBytes(hmac);
        random.nextBytes(aes);
        return new OpenSslSessionTicketKey(name, hmac, aes);
    }

    /** {@code JDK} or {@code OpenSSL}. */
    private static String providerName(SslProvider provider) {
        return provider == SslProvider.JDK ? "JDK" : "OpenSSL";
    }

    /** The name of the TLS provider this context uses: {@code JDK} or {@code OpenSSL}. */
    public String providerName() {
        return jdkProvider ? "JDK" : "OpenSSL";
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

    /** The Netty context (server side). */
    public SslContext sslContext() {
        return sslContext;
    }

    /** The options this context was built from. */
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
        SslHandler handler = ocsp.active() ? new SslHandler(engine, startTls, OcspHooks.TASKS)
                : new SslHandler(engine, startTls);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /**
     * A handler running the server side of a handshake that starts at once (the WebSocket listener's {@code wss}),
     * without Netty's own handshake timeout.
     */
    public SslHandler newServerHandler(ByteBufAllocator allocator) {
        return newSslHandler(allocator, false);
    }

    /** How nats-server (Go's {@code crypto/tls}) words a failed handshake, as far as it can be told. */
    public static String describeHandshakeError(Throwable failure) {
        return HandshakeErrors.describe(failure).text();
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
