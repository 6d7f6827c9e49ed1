package io.jnatsd.server.ocsp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OCSP responder for tests (what nats-server's tests get from {@code internal/ocsp}): answers POSTs and GETs
 * ({@code /<base64>}, URL-escaped or not) for the certificates of one issuer, signed by the issuer or by a delegate
 * whose certificate it embeds, with the status set per serial number (unknown when not set). Validity windows,
 * outages and error statuses can be set to exercise every path of the server. Thread-safe.
 */
public final class TestOcspResponder implements AutoCloseable {

    /** One request the responder answered. */
    public record Hit(String method, BigInteger serial) {
    }

    private final HttpServer http;
    private final X509Certificate issuer;
    private final X509Certificate signerCertificate;   // null: the issuer signs without embedding
    private final PrivateKey signerKey;
    private final Map<BigInteger, OcspStatus> statuses = new ConcurrentHashMap<>();
    private final List<Hit> hits = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration thisUpdateOffset = Duration.ofMinutes(-1);
    private volatile Duration validity = Duration.ofHours(1);    // null: no next update
    private volatile int httpStatus = 200;
    private volatile boolean postFails;
    private volatile int responseStatus;                         // 0 successful, else an OCSP error status

    private TestOcspResponder(X509Certificate issuer, X509Certificate signerCertificate, PrivateKey signerKey)
            throws IOException {
        this.issuer = issuer;
        this.signerCertificate = signerCertificate;
        this.signerKey = signerKey;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        http.start();
    }

    /** A responder for {@code issuer}'s certificates, signing with the issuer's own key. */
    public static TestOcspResponder start(X509Certificate issuer, PrivateKey issuerKey) {
        return start(issuer, null, issuerKey);
    }

    /**
     * A responder for {@code issuer}'s certificates signing with {@code signerKey}; {@code signerCertificate}
     * (a delegate's, or null) is embedded in each response.
     */
    public static TestOcspResponder start(X509Certificate issuer, X509Certificate signerCertificate,
                                          PrivateKey signerKey) {
        try {
            return new TestOcspResponder(issuer, signerCertificate, signerKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Sets the status of {@code cert}. */
    public TestOcspResponder status(X509Certificate cert, OcspStatus status) {
        statuses.put(cert.getSerialNumber(), status);
        return this;
    }

    /** How long answers are valid (next update = this update + {@code v}); null for no next update. */
    public TestOcspResponder validity(Duration v) {
        validity = v;
        return this;
    }

    /** Where this update lies relative to now (default a minute ago). */
    public TestOcspResponder thisUpdateOffset(Duration v) {
        thisUpdateOffset = v;
        return this;
    }

    /** Answers every request with this HTTP status (500 plays a responder that is down). */
    public TestOcspResponder httpStatus(int v) {
        httpStatus = v;
        return this;
    }

    /** Refuses POSTs (405) so that the GET fallback is used. */
    public TestOcspResponder postFails(boolean v) {
        postFails = v;
        return this;
    }

    /** Answers with this OCSP response status (3: try later) instead of a successful response; 0 to stop. */
    public TestOcspResponder responseStatus(int v) {
        responseStatus = v;
        return this;
    }

    /** The requests answered so far. */
    public int requests() {
        return requests.get();
    }

    /** The requests answered so far, in order. */
    public List<Hit> hits() {
        synchronized (hits) {
            return List.copyOf(hits);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                respond(exchange);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            }
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        {
            byte[] request;
            String method = exchange.getRequestMethod();
            if (method.equals("POST")) {
                if (postFails) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                request = exchange.getRequestBody().readAllBytes();
            } else {
                // nats-server's stapler sends the base64 as it is, its peer verification URL-escaped
                String path = exchange.getRequestURI().getRawPath().substring(1).replace("+", "%2B");
                request = Base64.getDecoder().decode(URLDecoder.decode(path, StandardCharsets.UTF_8));
            }
            if (httpStatus != 200) {
                exchange.sendResponseHeaders(httpStatus, -1);
                return;
            }
            byte[] body = answer(method, request);
            exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private byte[] answer(String method, byte[] requestBytes) throws IOException {
        try {
            OCSPReq request = new OCSPReq(requestBytes);
            if (responseStatus != 0) {
                return new OCSPRespBuilder().build(responseStatus, null).getEncoded();
            }
            X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID((signerCertificate == null
                    ? issuerHolder : new JcaX509CertificateHolder(signerCertificate)).getSubject()));
            Instant thisUpdate = Instant.now().plus(thisUpdateOffset);
            Duration v = validity;
            for (Req one : request.getRequestList()) {
                CertificateID id = one.getCertID();
                OcspStatus status = statuses.getOrDefault(id.getSerialNumber(), OcspStatus.UNKNOWN);
                hits.add(new Hit(method, id.getSerialNumber()));
                CertificateStatus certStatus = switch (status) {
                    case GOOD -> CertificateStatus.GOOD;
                    case REVOKED -> new RevokedStatus(Date.from(thisUpdate.minus(Duration.ofMinutes(5))),
                            CRLReason.keyCompromise);
                    case UNKNOWN -> new UnknownStatus();
                };
                builder.addResponse(id, certStatus, Date.from(thisUpdate),
                        v == null ? null : Date.from(thisUpdate.plus(v)), null);
            }
            requests.incrementAndGet();
            String algorithm = signerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509CertificateHolder[] chain = signerCertificate == null ? null
                    : new X509CertificateHolder[] {new JcaX509CertificateHolder(signerCertificate)};
            OCSPResp response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signerKey), chain,
                            Date.from(Instant.now())));
            return response.getEncoded();
        } catch (Exception e) {
            throw new IOException("OCSP answer: " + e, e);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
