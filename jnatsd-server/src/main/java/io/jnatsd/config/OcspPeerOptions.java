package io.jnatsd.config;

import java.time.Duration;
import java.util.Objects;

/**
 * OCSP verification of the peer's certificate chain ({@code tls { ocsp_peer: ... } }, nats-server's
 * {@code certidp.OCSPPeerConfig}): for client certificates on the client port and the WebSocket listener. The
 * durations are kept as nats-server keeps its float seconds. Immutable.
 *
 * @param verify                 whether peers are checked ({@code verify}; {@code ocsp_peer: true})
 * @param caTimeout              how long a responder may take ({@code ca_timeout}, default 2 s)
 * @param clockSkew              the tolerance when judging a response current ({@code allowed_clockskew}, 30 s)
 * @param warnOnly               log and allow instead of rejecting ({@code warn_only})
 * @param unknownIsGood          treat status unknown as good ({@code unknown_is_good})
 * @param allowWhenCaUnreachable allow when no responder answers and no revocation is cached
 *                               ({@code allow_when_ca_unreachable})
 * @param ttlUnsetNextUpdate     how long a response without next_update counts as current, from this_update
 *                               ({@code cache_ttl_when_next_update_unset}, 1 h)
 */
public record OcspPeerOptions(boolean verify, Duration caTimeout, Duration clockSkew, boolean warnOnly,
                              boolean unknownIsGood, boolean allowWhenCaUnreachable, Duration ttlUnsetNextUpdate) {

    /** Default responder timeout ({@code certidp.DefaultOCSPResponderTimeout}). */
    public static final Duration DEFAULT_CA_TIMEOUT = Duration.ofSeconds(2);
    /** Default clock skew ({@code certidp.DefaultAllowedClockSkew}). */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default validity of a response without next_update ({@code certidp.DefaultTTLUnsetNextUpdate}). */
    public static final Duration DEFAULT_TTL_UNSET_NEXT_UPDATE = Duration.ofHours(1);

    /** The defaults with verification off ({@code certidp.NewOCSPPeerConfig}). */
    public static final OcspPeerOptions DEFAULTS = new OcspPeerOptions(false, DEFAULT_CA_TIMEOUT,
            DEFAULT_CLOCK_SKEW, false, false, false, DEFAULT_TTL_UNSET_NEXT_UPDATE);

    public OcspPeerOptions {
        Objects.requireNonNull(caTimeout, "caTimeout");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(ttlUnsetNextUpdate, "ttlUnsetNextUpdate");
    }

    /** {@code ocsp_peer: true} or {@code false}: the defaults with {@code verify} set. */
    public static OcspPeerOptions of(boolean verify) {
        return DEFAULTS.withVerify(verify);
    }

    public OcspPeerOptions withVerify(boolean v) {
        return new OcspPeerOptions(v, caTimeout, clockSkew, warnOnly, unknownIsGood, allowWhenCaUnreachable,
                ttlUnsetNextUpdate);
    }

    public OcspPeerOptions withCaTimeout(Duration v) {
        return new OcspPeerOptions(verify, v, clockSkew, warnOnly, unknownIsGood, allowWhenCaUnreachable,
                ttlUnsetNextUpdate);
    }

    public OcspPeerOptions withClockSkew(Duration v) {
        return new OcspPeerOptions(verify, caTimeout, v, warnOnly, unknownIsGood, allowWhenCaUnreachable,
                ttlUnsetNextUpdate);
    }

    public OcspPeerOptions withWarnOnly(boolean v) {
        return new OcspPeerOptions(verify, caTimeout, clockSkew, v, unknownIsGood, allowWhenCaUnreachable,
                ttlUnsetNextUpdate);
    }

    public OcspPeerOptions withUnknownIsGood(boolean v) {
        return new OcspPeerOptions(verify, caTimeout, clockSkew, warnOnly, v, allowWhenCaUnreachable,
                ttlUnsetNextUpdate);
    }

    public OcspPeerOptions withAllowWhenCaUnreachable(boolean v) {
        return new OcspPeerOptions(verify, caTimeout, clockSkew, warnOnly, unknownIsGood, v, ttlUnsetNextUpdate);
    }

    public OcspPeerOptions withTtlUnsetNextUpdate(Duration v) {
        return new OcspPeerOptions(verify, caTimeout, clockSkew, warnOnly, unknownIsGood, allowWhenCaUnreachable,
                v);
    }
}
