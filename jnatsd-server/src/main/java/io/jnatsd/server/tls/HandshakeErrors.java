package io.jnatsd.server.tls;

import io.jnatsd.server.ocsp.OcspPeerTrustManager;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Words a failed TLS handshake as nats-server logs it ({@code TLS handshake error: <text>}), using Go's
 * {@code crypto/tls} texts for the common failures of either provider (JDK or OpenSSL), and says whether it looks
 * like a probe (a plaintext peer or a load balancer's health check), which nats-server logs at debug level only.
 * Stateless.
 */
final class HandshakeErrors {

    /**
     * The text and level of a failure.
     *
     * @param text  what follows {@code TLS handshake error: }
     * @param probe whether to log at debug rather than error level
     */
    record Described(String text, boolean probe) {
    }

    private HandshakeErrors() {
    }

    // nats-server: client.go doTLSHandshake, isClientProbeTLSHandshakeError
    static Described describe(Throwable failure) {
        Throwable cause = failure;
        if (cause instanceof DecoderException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NotSslRecordException) {
            return new Described("tls: first record does not look like a TLS handshake", true);
        }
        if (cause instanceof ClosedChannelException) {
            return new Described("EOF", false);
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            // OCSP: a client refused by ocsp_peer, or no staple for the server's certificate (the hooks' own texts)
            if (c instanceof OcspPeerTrustManager.OcspPeerRejectedException
                    || c instanceof OcspHooks.StapleUnavailableException) {
                return new Described(c.getMessage(), false);
            }
            if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
                return new Described("tls: failed to verify certificate: x509: certificate has expired or is not"
                        + " yet valid", false);
            }
        }
        String message = messageChain(cause);
        String lower = message.toLowerCase(Locale.ROOT);
        // JDK texts first, then BoringSSL's reason codes (OpenSSL provider: "error:...:OPENSSL_internal:<REASON>")
        if (lower.contains("empty client certificate chain") || lower.contains("empty certificate chain")
                || lower.contains("peer_did_not_return_a_certificate")) {
            return new Described("tls: client didn't provide a certificate", false);
        }
        if (lower.contains("unable to find valid certification path")
                || lower.contains("no trusted certificate found") || lower.contains("certificate_verify_failed")) {
            return new Described("tls: failed to verify certificate: x509: certificate signed by unknown authority",
                    false);
        }
        if (lower.contains("no cipher suites in common") || lower.contains("no_shared_cipher")) {
            return new Described("tls: no cipher suite supported by both client and server", false);
        }
        if (lower.contains("connection reset")) {
            return new Described("read: connection reset by peer", false);
        }
        if (lower.contains("connection closed") || lower.contains("closed engine")) {
            return new Described("EOF", false);
        }
        String own = cause.getMessage();
        return new Described(own == null || own.isEmpty() ? cause.getClass().getSimpleName() : own, false);
    }

    /** Every message along the cause chain, joined: what the known failures are recognised by. */
    private static String messageChain(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                all.append(c.getMessage()).append(": ");
            }
        }
        return all.toString();
    }
}
