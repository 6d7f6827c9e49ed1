package io.jnatsd.server.ocsp;

import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.OcspCacheOptions;
import io.jnatsd.config.OcspOptions;
import io.jnatsd.config.ServerOptions;
import io.jnatsd.config.TlsOptions;
import io.jnatsd.config.WebSocketOptions;
import io.jnatsd.server.tls.OcspHooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's OCSP features for one set of options (nats-server's {@code enableOCSP}, {@code reloadOCSP} and the
 * response cache's life): the stapler of each TLS block's certificate (client port, WebSocket listener) under the
 * {@code ocsp} mode, the {@code ocsp_peer} verifier of each block, and the response cache those verifiers share
 * when any block verifies peers. A reload builds a new instance and stops the old one.
 * <p>
 * Created on the thread that builds or reloads the server (it may ask responders); {@link #start} and
 * {@link #startCache} run once; thread-safe afterwards.
 */
// nats-server: ocsp.go enableOCSP, configureOCSP, startOCSPMonitoring, reloadOCSP; ocsp_responsecache.go
public final class OcspSupport {

    /** The kind nats-server names client-port and WebSocket TLS blocks by in OCSP log lines. */
    public static final String CLIENT_KIND = "client";

    private static final NatsLogger LOG = NatsLogger.get(OcspSupport.class);

    private final OcspHooks client;
    private final OcspHooks webSocket;
    private final List<OcspStapler> staplers;
    private final List<OcspPeerVerifier> verifiers;
    private final List<String> warnings;
    private final Clock clock;
    private final OcspCacheOptions cacheOptions;     // what the cache was started with, or null
    private volatile OcspResponseCache cache;        // null until startCache (and without peer verification)

    private OcspSupport(OcspHooks client, OcspHooks webSocket, List<OcspStapler> staplers,
                        List<OcspPeerVerifier> verifiers, List<String> warnings, Clock clock,
                        OcspCacheOptions cacheOptions) {
        this.client = client;
        this.webSocket = webSocket;
        this.staplers = staplers;
        this.verifiers = verifiers;
        this.warnings = warnings;
        this.clock = clock;
        this.cacheOptions = cacheOptions;
    }

    /** The result of setting up: the features, or nats-server's error for the first block that could not be. */
    public record Setup(OcspSupport support, String error) {
    }

    /**
     * Sets up stapling and peer verification for {@code opts}, fetching the staples' first statuses.
     *
     * @param events   where peer verification reports
     * @param storeDir {@code store_dir} (status files go to its {@code ocsp} subdirectory), or null
     * @return the features and, when a block failed, nats-server's error text (the blocks before it are set up)
     */
    // nats-server: ocsp.go enableOCSP (NewOCSPMonitor, plugTLSOCSPPeer per TLS block)
    public static Setup configure(ServerOptions opts, OcspEvents events, Path storeDir, Clock clock) {
        List<OcspStapler> staplers = new ArrayList<>();
        List<OcspPeerVerifier> verifiers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        OcspHooks[] hooks = {OcspHooks.NONE, OcspHooks.NONE};
        OcspSupport[] self = new OcspSupport[1];
        OcspCacheOptions cacheOptions = opts.ocspCache() == null ? OcspCacheOptions.DEFAULTS : opts.ocspCache();
        List<TlsOptions> blocks = new ArrayList<>();
        blocks.add(opts.tls());
        WebSocketOptions ws = opts.websocket();
        blocks.add(ws.enabled() ? ws.tls() : TlsOptions.disabled());
        String error = null;
        for (int i = 0; i < blocks.size() && error == null; i++) {
            TlsOptions tls = blocks.get(i);
            if (!tls.enabled()) {
                continue;
            }
            OcspStapler stapler;
            try {
                stapler = stapler(tls, opts.ocsp(), storeDir, clock, warnings);
            } catch (OcspException e) {
                error = e.getMessage();
                break;
            }
            OcspPeerVerifier peer = null;
            if (tls.ocspPeer().verify()) {
                LOG.debug("Plugging TLS OCSP peer for [" + CLIENT_KIND + "]");
                if (!tls.verify()) {
                    if (stapler != null) {
                        stapler.close();
                    }
                    error = "OCSP peer verification for client connections requires TLS verify (mTLS) to be enabled";
                    break;
                }
                peer = new OcspPeerVerifier(CLIENT_KIND, tls.ocspPeer(), () -> self[0] == null ? null
                        : self[0].cache, events, clock);
                verifiers.add(peer);
            }
            if (stapler != null) {
                staplers.add(stapler);
            }
            hooks[i] = new OcspHooks(stapler, peer);
        }
        self[0] = new OcspSupport(hooks[0], hooks[1], staplers, verifiers, warnings, clock,
                verifiers.isEmpty() ? null : cacheOptions);
        return new Setup(self[0], error);
    }

    /**
     * The stapler of a block's certificate, or null when the mode and the certificate do not call for stapling.
     *
     * @throws OcspException nats-server's text: the issuer cannot be found, the status cannot be had, or it is not
     *                       good where that must shut the server down
     */
    // nats-server: ocsp.go NewOCSPMonitor (first certificate only)
    private static OcspStapler stapler(TlsOptions tls, OcspOptions ocsp, Path storeDir, Clock clock,
                                       List<String> warnings) throws OcspException {
        if (tls.certificates().isEmpty()) {
            return null;
        }
        TlsOptions.CertificateKeyPair pair = tls.certificates().getFirst();
        // a `certs` list has no cert_file: nats-server names none in its messages
        String certFile = tls.certificates().size() == 1 ? pair.certFile().toString() : "";
        X509Certificate leaf = pair.chain().getFirst();
        boolean mustStaple = OcspCertificates.mustStaple(leaf);
        boolean shutdownOnRevoke = false;
        if (ocsp != null) {
            switch (ocsp.mode()) {
                case NEVER -> {
                    if (mustStaple) {
                        warnings.add("Certificate at '" + certFile + "' has MustStaple but OCSP is disabled");
                    }
                    return null;
                }
                case ALWAYS -> {
                    mustStaple = true;
                    shutdownOnRevoke = true;
                }
                case MUST -> shutdownOnRevoke = mustStaple;
                case AUTO -> {
                    if (!mustStaple) {
                        return null;
                    }
                }
            }
        }
        if (!mustStaple) {
            return null;
        }
        Path ocspDir = setupStoreDir(storeDir);
        X509Certificate issuer = OcspCertificates.issuer(pair.chain(), tls.caCertificates());
        List<String> responders = ocsp != null && !ocsp.overrideUrls().isEmpty() ? ocsp.overrideUrls()
                : OcspCertificates.ocspServers(leaf);
        OcspStapler stapler = new OcspStapler(CLIENT_KIND, certFile, leaf, issuer, shutdownOnRevoke, responders,
                ocspDir, clock);
        OcspResponse status;
        try {
            status = stapler.status();
        } catch (OcspException e) {
            stapler.close();
            throw new OcspException("bad OCSP status update for certificate at '" + certFile + "': "
                    + e.getMessage(), e);
        }
        if (status.status() != OcspStatus.GOOD && shutdownOnRevoke) {
            stapler.close();
            throw new OcspException("found existing OCSP status for certificate at '" + certFile + "': "
                    + status.status());
        }
        return stapler;
    }

    /** Creates {@code store_dir/ocsp}; null without a store directory. */
    // nats-server: ocsp.go setupOCSPStapleStoreDir
    private static Path setupStoreDir(Path storeDir) throws OcspException {
        if (storeDir == null) {
            return null;
        }
        Path dir = storeDir.resolve(OcspStapler.STORE_SUBDIR);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OcspException("OCSP storage directory is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OcspException("could not create OCSP storage directory - " + e.getMessage(), e);
        }
        return dir;
    }

    /** The client port's hooks. */
    public OcspHooks client() {
        return client;
    }

    /** The WebSocket listener's hooks. */
    public OcspHooks webSocket() {
        return webSocket;
    }

    /** Whether some block verifies peers (nats-server's {@code ocspPeerVerify}). */
    public boolean peerVerify() {
        return !verifiers.isEmpty();
    }

    /** The response cache, or null when no block verifies peers (or before {@link #startCache}). */
    public OcspResponseCache cache() {
        return cache;
    }

    /** The effective cache options (the defaults when {@code ocsp_cache} is not set), or null without peers. */
    public OcspCacheOptions cacheOptions() {
        return cacheOptions;
    }

    /** The staplers, one per stapled block. */
    public List<OcspStapler> staplers() {
        return List.copyOf(staplers);
    }

    /**
     * Logs the warnings of the set-up and starts the staplers' monitors ({@code OCSP Stapling enabled for client
     * connections}); {@code shutdown} runs when a revoked certificate must stop the server.
     */
    // nats-server: ocsp.go startOCSPMonitoring
    public void start(Runnable shutdown) {
        for (String warning : warnings) {
            LOG.warn(warning);
        }
        for (OcspStapler stapler : staplers) {
            stapler.start(shutdown);
        }
    }

    /** Creates and starts the response cache when some block verifies peers ({@code OCSP peer cache online}). */
    // nats-server: ocsp_responsecache.go initOCSPResponseCache, startOCSPResponseCache
    public void startCache() {
        if (cacheOptions == null || cache != null) {
            return;
        }
        OcspResponseCache started = new OcspResponseCache(cacheOptions, clock);
        started.start();
        cache = started;
    }

    /** Stops the monitors (their last responses stay usable by contexts still holding them). */
    public void stopMonitors() {
        for (OcspStapler stapler : staplers) {
            stapler.stop();
        }
    }

    /** Stops the response cache, saving a local one. */
    public void stopCache() {
        OcspResponseCache running = cache;
        if (running != null) {
            running.stop();
        }
    }

    /** Stops everything (server shutdown). */
    public void stop() {
        for (OcspStapler stapler : staplers) {
            stapler.close();
        }
        stopCache();
        for (OcspPeerVerifier verifier : verifiers) {
            verifier.close();
        }
    }
}
