package io.jnatsd.server.ocsp;

import io.jnatsd.common.GoTime;
import io.jnatsd.common.logging.NatsLogger;
import io.jnatsd.config.GoDuration;
import io.jnatsd.config.OcspPeerOptions;
import io.jnatsd.server.auth.CertificateIdentity;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides whether a peer's verified certificate chain is OCSP valid, for one {@code tls} block with
 * {@code ocsp_peer} (nats-server's {@code peerOCSPValid} and {@code certOCSPGood}): a chain of one (a trusted
 * self-signed certificate) and a chain whose certificates name no http(s) OCSP responder are valid; otherwise
 * every certificate below the root that names a responder needs a current good answer, from the cache or from
 * the responder (status unknown counts as good with {@code unknown_is_good}). {@code warn_only} allows what would
 * be refused, and {@code allow_when_ca_unreachable} allows a certificate whose responders do not answer unless a
 * revocation of it is cached. Each refused certificate raises the {@code OCSP.PEER.LINK.INVALID} advisory.
 * <p>
 * Thread-safe; {@link #valid} blocks while it asks responders (at most {@code ca_timeout} each), so it runs on the
 * handshake's delegated-task thread, never on an event loop.
 */
// nats-server: ocsp_peer.go peerOCSPValid, certOCSPGood; certidp/certidp.go OCSPResponseCurrent, ValidDelegationCheck
public final class OcspPeerVerifier implements AutoCloseable {

    /** What the handshake is refused with, and the reason of the reject advisory. */
    public static final String CLIENT_REJECT = "client not OCSP valid";

    private static final NatsLogger LOG = NatsLogger.get(OcspPeerVerifier.class);

    private final String kind;
    private final OcspPeerOptions options;
    private final Supplier<OcspResponseCache> cache;
    private final OcspEvents events;
    private final Clock clock;
    private final OcspHttp http;

    /**
     * @param kind    the connection kind of the block ({@code client})
     * @param options the block's {@code ocsp_peer}
     * @param cache   the server's current response cache (replaced on reload)
     * @param events  where advisories go
     * @param clock   the time responses are judged at
     */
    public OcspPeerVerifier(String kind, OcspPeerOptions options, Supplier<OcspResponseCache> cache,
                            OcspEvents events, Clock clock) {
        this.kind = kind;
        this.options = options;
        this.cache = cache;
        this.events = events;
        this.clock = clock;
        Duration timeout = options.caTimeout().isPositive() ? options.caTimeout()
                : OcspPeerOptions.DEFAULT_CA_TIMEOUT;
        this.http = new OcspHttp(timeout);
    }

    /** The block's options. */
    public OcspPeerOptions options() {
        return options;
    }

    /**
     * Whether a client with the verified {@code chain} (leaf first, trust anchor last; empty when none could be
     * built) may connect; when not, the reject advisory has been raised.
     */
    // nats-server: ocsp_peer.go plugClientTLSOCSPPeer (VerifyConnection), tlsClientOCSPValid
    public boolean acceptClient(List<X509Certificate> chain) {
        LOG.debug("Peer OCSP enabled: " + (chain.isEmpty() ? 0 : 1) + " TLS client chain(s) will be evaluated");
        if (chainValid(chain)) {
            return true;
        }
        X509Certificate peer = chain.isEmpty() ? null : chain.getFirst();
        if (peer == null) {
            LOG.error("Peer certificate is nil, cannot send OCSP peer reject event");
        } else {
            events.peerRejected(kind, peer, CLIENT_REJECT);
        }
        return false;
    }

    // nats-server: ocsp_peer.go peerOCSPValid (one verified chain)
    private boolean chainValid(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            LOG.error("Peer certificate is nil, rejecting OCSP peer");
            return false;
        }
        X509Certificate peer = chain.getFirst();
        LOG.debug("Chain [0]: " + chain.size() + " total link(s)");
        if (chain.size() == 1) {
            LOG.debug("Chain [0] is self-signed, thus peer is valid");
            return true;
        }
        List<Link> eligible = new ArrayList<>();
        for (int i = 0; i < chain.size() - 1; i++) {
            X509Certificate cert = chain.get(i);
            List<URI> endpoints = OcspCertificates.webEndpoints(cert);
            if (!endpoints.isEmpty()) {
                eligible.add(new Link(cert, chain.get(i + 1), endpoints));
            }
        }
        if (eligible.isEmpty()) {
            LOG.debug("Chain [0] has no OCSP eligible links, thus peer is valid");
            return true;
        }
        LOG.debug("Chain [0] has " + eligible.size() + " OCSP eligible link(s)");
        for (Link link : eligible) {
            String bad = linkProblem(link);
            if (bad != null) {
                LOG.debug(bad);
                events.linkInvalid(peer, link.leaf(), bad);
                LOG.debug("No OCSP valid chains, thus peer is invalid");
                return false;
            }
        }
        LOG.debug("Chain [0] is OCSP valid for all eligible links, thus peer is valid");
        return true;
    }

    /** A certificate of the chain with its issuer and responders ({@code certidp.ChainLink}). */
    private record Link(X509Certificate leaf, X509Certificate issuer, List<URI> endpoints) {
    }

    /** Null when {@code link} is good (or allowed by policy), else the reason it is not. */
    // nats-server: ocsp_peer.go certOCSPGood
    private String linkProblem(Link link) {
        String fingerprint = OcspCertificates.fingerprint(link.leaf());
        String subject = CertificateIdentity.subjectString(link.leaf());
        OcspResponseCache rc = cache.get();
        OcspResponse response = null;
        boolean useCached = false;
        boolean cachedRevocation = false;
        LOG.debug("Checking OCSP peer cache for [" + subject + "], key [" + fingerprint + "]");
        byte[] cached = rc == null ? null : rc.get(fingerprint);
        if (cached != null && cached.length > 0) {
            try {
                OcspResponse parsed = OcspMessages.parse(cached, link.issuer());
                if (!validDelegation(link.issuer(), parsed)) {
                    // nats-server passes one argument for two verbs here
                    LOG.debug("Invalid cached OCSP response for [" + subject + "] with fingerprint [%!s(MISSING)]");
                    rc.delete(fingerprint, true);
                } else {
                    if (current(parsed)) {
                        LOG.debug("Cached OCSP response is current, status [" + parsed.status() + "]");
                        useCached = true;
                        response = parsed;
                    } else {
                        LOG.debug("Cached OCSP response is expired, status [" + parsed.status() + "]");
                        rc.delete(fingerprint, true);
                    }
                    if (parsed.status() == OcspStatus.REVOKED) {
                        cachedRevocation = true;
                    }
                }
            } catch (OcspException e) {
                LOG.debug("Invalid cached OCSP response for [" + subject + "] with fingerprint [" + fingerprint + "]");
                rc.delete(fingerprint, true);
            }
        }
        if (!useCached) {
            byte[] raw;
            try {
                raw = http.fetchForPeer(link.endpoints(), OcspMessages.request(link.leaf(), link.issuer()), LOG);
            } catch (OcspException e) {
                raw = null;
                LOG.warn("Attempt to obtain OCSP response from CA responder for [" + subject + "] failed: "
                        + e.getMessage());
            }
            if (raw == null || raw.length == 0) {
                if (raw != null) {
                    LOG.warn("Attempt to obtain OCSP response from CA responder for [" + subject + "] failed: "
                            + "%!s(<nil>)");
                }
                if (options.warnOnly()) {
                    LOG.warn("OCSP verify fail for [" + subject + "] but WarnOnly is true so allowing");
                    return null;
                }
                if (options.allowWhenCaUnreachable() && !cachedRevocation) {
                    LOG.warn("Failed to obtain OCSP CA response for [" + subject + "] but AllowWhenCAUnreachable set;"
                            + " no cached revocation so allowing");
                    return null;
                } else if (options.allowWhenCaUnreachable()) {
                    LOG.warn("Failed to obtain OCSP CA response for [" + subject + "] but AllowWhenCAUnreachable set;"
                            + " cached revocation exists so rejecting");
                }
                return "Failed OCSP response fetch";
            }
            try {
                response = OcspMessages.parse(raw, link.issuer());
            } catch (OcspException e) {
                LOG.error("Could not parse OCSP CA response for [" + subject + "]: " + e.getMessage());
                if (options.warnOnly()) {
                    LOG.warn("OCSP verify fail for [" + subject + "] but WarnOnly is true so allowing");
                    return null;
                }
                return "Failed OCSP response parse";
            }
            if (!validDelegation(link.issuer(), response)) {
                String text = "Invalid OCSP response delegation: " + subject;
                LOG.warn(text);
                if (options.warnOnly()) {
                    LOG.warn("OCSP verify fail for [" + subject + "] but WarnOnly is true so allowing");
                    return null;
                }
                return text;
            }
            if (!current(response)) {
                LOG.warn("New OCSP CA response obtained for [" + subject + "] but not current");
                if (options.warnOnly()) {
                    LOG.warn("OCSP verify fail for [" + subject + "] but WarnOnly is true so allowing");
                    return null;
                }
                return "OCSP response not in effectivity window";
            }
            if (rc != null) {
                rc.put(fingerprint, response, subject);
            }
        }
        if (response.status() == OcspStatus.REVOKED
                || response.status() == OcspStatus.UNKNOWN && !options.unknownIsGood()) {
            LOG.warn("OCSP verify fail for [" + subject + "] with CA status [" + response.status() + "]");
            if (options.warnOnly()) {
                LOG.warn("OCSP verify fail for [" + subject + "] but WarnOnly is true so allowing");
                return null;
            }
            return "Invalid OCSP response status: " + response.status();
        }
        LOG.debug("OCSP verify pass for [" + subject + "]");
        return null;
    }

    /** Whether {@code r} is in its effectivity window, give or take the allowed clock skew. */
    // nats-server: certidp/certidp.go OCSPResponseCurrent
    boolean current(OcspResponse r) {
        Duration skew = options.clockSkew().isNegative() ? OcspPeerOptions.DEFAULT_CLOCK_SKEW : options.clockSkew();
        Instant now = clock.instant();
        if (r.nextUpdate() != null && r.nextUpdate().isBefore(now.minus(skew))) {
            LOG.debug("OCSP response NextUpdate [" + GoTime.rfc3339Nano(r.nextUpdate()) + "] is before now ["
                    + GoTime.rfc3339Nano(now) + "] with clockskew [" + GoDuration.format(skew) + "]");
            return false;
        }
        if (r.nextUpdate() == null) {
            Duration ttl = options.ttlUnsetNextUpdate().isNegative() ? OcspPeerOptions.DEFAULT_TTL_UNSET_NEXT_UPDATE
                    : options.ttlUnsetNextUpdate();
            Instant expiry = r.thisUpdate().plus(ttl);
            if (expiry.isBefore(now.minus(skew))) {
                LOG.debug("OCSP response cache expiry [" + GoTime.rfc3339Nano(expiry) + "] is before now ["
                        + GoTime.rfc3339Nano(now) + "] with clockskew [" + GoDuration.format(skew) + "]");
                return false;
            }
        }
        if (r.thisUpdate().isAfter(now.plus(skew))) {
            LOG.debug("OCSP response ThisUpdate [" + GoTime.rfc3339Nano(r.thisUpdate()) + "] is before now ["
                    + GoTime.rfc3339Nano(now) + "] with clockskew [" + GoDuration.format(skew) + "]");
            return false;
        }
        return true;
    }

    /**
     * Whether the response was signed by the issuer itself, or by a delegate the issuer authorised with the
     * id-kp-OCSPSigning usage (RFC 6960 4.2.2.2; the signer's certificate was checked against the issuer by the
     * parse).
     */
    // nats-server: certidp/certidp.go ValidDelegationCheck
    static boolean validDelegation(X509Certificate issuer, OcspResponse r) {
        if (r.signer() == null || r.signer().equals(issuer)) {
            return true;
        }
        return OcspCertificates.ocspSigning(r.signer());
    }

    @Override
    public void close() {
        http.close();
    }
}
