package io.jnatsd.server.ocsp;

import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.GoDuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the OCSP status of one server certificate for stapling (nats-server's {@code OCSPMonitor}): the status is
 * taken from memory while current, else from the status file under {@code store_dir/ocsp}, else from the
 * responders (the certificate's OCSP URLs or the {@code ocsp.url} override), and a virtual thread asks again
 * halfway to the response's next update. With {@code shutdownOnRevoke} (modes {@code always}, and {@code must}
 * with a must-staple certificate) a status other than good shuts the server down.
 * <p>
 * Thread-safe: {@link #status()} is called by TLS handshakes (off the event loops) and by the monitor thread; the
 * current response is swapped under a lock, fetches run outside it.
 */
// nats-server: ocsp.go OCSPMonitor
public final class OcspStapler {

    /** Subdirectory of {@code store_dir} holding the status files ({@code defaultOCSPStoreDir}). */
    public static final String STORE_SUBDIR = "ocsp";
    /** Check interval when a response has no next update ({@code defaultOCSPCheckInterval}). */
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofHours(24);
    /** Check interval once the next update has passed ({@code minOCSPCheckInterval}). */
    static final Duration MIN_CHECK_INTERVAL = Duration.ofMinutes(2);
    /** Timeout of one exchange with a responder (nats-server's {@code http.Client}). */
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private static final NatsLogger LOG = NatsLogger.get(OcspStapler.class);

    private final String kind;
    private final String certFile;
    private final X509Certificate leaf;
    private final X509Certificate issuer;
    private final boolean shutdownOnRevoke;
    private final List<String> responders;
    private final Path storeDir;            // store_dir/ocsp, or null
    private final Clock clock;
    private final OcspHttp http;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object lock = new Object();
    private OcspResponse response;          // guarded by lock

    /**
     * @param kind             the connection kind in log lines ({@code client})
     * @param certFile         the certificate file in log lines
     * @param leaf             the certificate
     * @param issuer           its issuer (signs the responses)
     * @param shutdownOnRevoke whether a status other than good shuts the server down
     * @param responders       the URLs to ask (override or the certificate's own)
     * @param storeDir         {@code store_dir/ocsp} for status files, or null
     * @param clock            the time responses are judged at
     */
    OcspStapler(String kind, String certFile, X509Certificate leaf, X509Certificate issuer, boolean shutdownOnRevoke,
                List<String> responders, Path storeDir, Clock clock) {
        this.kind = kind;
        this.certFile = certFile;
        this.leaf = leaf;
        this.issuer = issuer;
        this.shutdownOnRevoke = shutdownOnRevoke;
        this.responders = List.copyOf(responders);
        this.storeDir = storeDir;
        this.clock = clock;
        this.http = new OcspHttp(HTTP_TIMEOUT);
    }

    /** The connection kind ({@code client}). */
    public String kind() {
        return kind;
    }

    /** Whether a bad status shuts the server down. */
    public boolean shutdownOnRevoke() {
        return shutdownOnRevoke;
    }

    /** The stapled certificate. */
    public X509Certificate leaf() {
        return leaf;
    }

    /**
     * The current response to staple: the cached one while it is current, else the status file's, else a fresh one
     * from the responders (this blocks).
     *
     * @throws OcspException when no current response can be had (nats-server then fails the handshake)
     */
    // nats-server: ocsp.go OCSPMonitor.getStatus
    public OcspResponse status() throws OcspException {
        OcspResponse cached;
        synchronized (lock) {
            cached = response;
        }
        if (cached != null && validityProblem(cached) == null) {
            return cached;
        }
        try {
            return localStatus();
        } catch (OcspException | IOException e) {
            return remoteStatus();
        }
    }

    /** The cached response without checking it (tests and log lines). */
    OcspResponse cached() {
        synchronized (lock) {
            return response;
        }
    }

    // nats-server: ocsp.go OCSPMonitor.getLocalStatus
    private OcspResponse localStatus() throws OcspException, IOException {
        if (storeDir == null) {
            throw new OcspException("store_dir not set");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(storeDir.resolve(storeKey(leaf)));
        } catch (NoSuchFileException e) {
            throw new OcspException("open " + e.getFile() + ": no such file or directory", e);
        }
        OcspResponse parsed;
        try {
            parsed = OcspMessages.parse(bytes, issuer);
        } catch (OcspException e) {
            throw new OcspException("failed to get local status: " + e.getMessage(), e);
        }
        String invalid = validityProblem(parsed);
        if (invalid != null) {
            throw new OcspException(invalid);
        }
        remember(parsed);
        return parsed;
    }

    /**
     * Asks the responders, checks the answer, writes the status file and caches it.
     *
     * @throws OcspException with nats-server's text ({@code no available ocsp servers}, {@code exhausted ocsp
     *                       servers: ...}, {@code failed to get remote status: ...}, {@code invalid ocsp ...})
     */
    // nats-server: ocsp.go OCSPMonitor.getRemoteStatus
    OcspResponse remoteStatus() throws OcspException {
        byte[] request = OcspMessages.request(leaf, issuer);
        if (responders.isEmpty()) {
            throw new OcspException("no available ocsp servers");
        }
        byte[] body = http.fetchForStaple(responders, request);
        OcspResponse parsed;
        try {
            parsed = OcspMessages.parse(body, issuer);
        } catch (OcspException e) {
            throw new OcspException("failed to get remote status: " + e.getMessage(), e);
        }
        String invalid = validityProblem(parsed);
        if (invalid != null) {
            throw new OcspException(invalid);
        }
        if (storeDir != null) {
            try {
                writeStatus(body);
            } catch (IOException e) {
                throw new OcspException("failed to write ocsp status: " + e.getMessage(), e);
            }
        }
        remember(parsed);
        return parsed;
    }

    private void remember(OcspResponse parsed) {
        synchronized (lock) {
            response = parsed;
        }
    }

    /** Writes a temporary file, then moves it over the status file (nats-server's {@code writeOCSPStatus}). */
    private void writeStatus(byte[] body) throws IOException {
        Path tmp = Files.createTempFile(storeDir, "tmp-cert-status", "");
        try {
            Files.write(tmp, body);
            Files.move(tmp, storeDir.resolve(storeKey(leaf)), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The status file's name: the hex SHA-256 of the whole certificate. */
    static String storeKey(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a certificate", e);
        }
    }

    /** Null when {@code r} is current, else nats-server's reason ({@code validOCSPResponse}). */
    String validityProblem(OcspResponse r) {
        Instant now = clock.instant();
        if (r.nextUpdate() != null && r.nextUpdate().isBefore(now)) {
            return "invalid ocsp NextUpdate, is past time: " + GoTime.rfc3339Nano(r.nextUpdate());
        }
        if (r.thisUpdate().isAfter(now)) {
            return "invalid ocsp ThisUpdate, is future time: " + GoTime.rfc3339Nano(r.thisUpdate());
        }
        return null;
    }

    /** When to ask again: halfway to the next update, a day without one, two minutes once it has passed. */
    // nats-server: ocsp.go OCSPMonitor.getNextRun
    Duration nextRun() {
        OcspResponse current = cached();
        if (current == null || current.nextUpdate() == null) {
            return DEFAULT_CHECK_INTERVAL;
        }
        Duration half = Duration.between(clock.instant(), current.nextUpdate()).dividedBy(2);
        return half.isNegative() ? MIN_CHECK_INTERVAL : half;
    }

    /** Starts the monitor thread; {@code shutdown} is run (on that thread) when a bad status must stop the server. */
    void start(Runnable shutdown) {
        LOG.notice("OCSP Stapling enabled for " + kind + " connections");
        Thread.ofVirtual().name("jnatsd-ocsp-staple").start(() -> run(shutdown));
    }

    /** Stops the monitor thread (reload, shutdown); the stapler stays usable by contexts still holding it. */
    void stop() {
        stopped.countDown();
    }

    /** Stops the monitor and releases the HTTP client (server shutdown, failed set-up). */
    void close() {
        stop();
        http.close();
    }

    // nats-server: ocsp.go OCSPMonitor.run
    private void run(Runnable shutdown) {
        Duration next = Duration.ZERO;
        try {
            OcspResponse first = status();
            if (first.status() == OcspStatus.GOOD) {
                next = nextRun();
                LOG.notice("Found OCSP status for " + kind + " certificate at '" + certFile + "': good, next update "
                        + nextUpdateText(first) + ", checking again in " + GoDuration.format(next));
            } else if (shutdownOnRevoke) {
                LOG.error("Found OCSP status for " + kind + " certificate at '" + certFile + "': " + first.status());
                shutdown.run();
                return;
            }
        } catch (OcspException e) {
            // nats-server asks the responders again at once
        }
        while (true) {
            try {
                if (stopped.await(Math.max(0, next.toNanos()), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            OcspResponse fresh;
            try {
                fresh = remoteStatus();
            } catch (OcspException e) {
                if (stopped.getCount() == 0) {
                    return;
                }
                next = nextRun();
                LOG.error("Bad OCSP status update for certificate '" + certFile + "': " + e.getMessage()
                        + ", trying again in " + GoDuration.format(next));
                continue;
            }
            if (fresh.status() == OcspStatus.GOOD) {
                next = nextRun();
                LOG.notice("Received OCSP status for " + kind + " certificate '" + certFile + "': good, next update "
                        + nextUpdateText(fresh) + ", checking again in " + GoDuration.format(next));
                continue;
            }
            LOG.error("Received OCSP status for " + kind + " certificate '" + certFile + "': " + fresh.status());
            if (shutdownOnRevoke) {
                shutdown.run();
            }
            return;
        }
    }

    private static String nextUpdateText(OcspResponse r) {
        return r.nextUpdate() == null ? GoTime.ZERO : GoTime.rfc3339Nano(r.nextUpdate());
    }
}
