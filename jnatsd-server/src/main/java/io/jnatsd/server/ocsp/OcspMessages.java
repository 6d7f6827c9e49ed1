package io.jnatsd.server.ocsp;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.CertStatus;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.ResponseBytes;
import org.bouncycastle.asn1.ocsp.ResponseData;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ocsp.SingleResponse;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;

/**
 * Builds OCSP requests and parses responses (RFC 6960) as {@code golang.org/x/crypto/ocsp} does, with its error
 * texts: {@code CreateRequest} (SHA-1 certificate ID, no nonce: the same bytes as nats-server's requests) and
 * {@code ParseResponseForCert} (response status, basic type, exactly one single response when no certificate is
 * given, the signature of the issuer or of an embedded certificate the issuer signed, no critical single extension,
 * a known hash). The ASN.1 structures are Bouncy Castle's ({@code bcprov}, already needed by the xkeys); signatures
 * are checked with the JDK. Stateless and thread-safe.
 * <p>
 * Why not the JDK: its OCSP code ({@code sun.security.provider.certpath.OCSP}) is internal, and
 * {@code PKIXRevocationChecker} can neither hand over the response bytes a server staples nor tell revoked from
 * unknown the way nats-server's options ({@code unknown_is_good}, {@code warn_only}) need.
 */
// golang.org/x/crypto/ocsp: ocsp.go CreateRequest, ParseResponseForCert
public final class OcspMessages {

    private static final ASN1ObjectIdentifier SHA1 = new ASN1ObjectIdentifier("1.3.14.3.2.26");

    /** The certificate-ID hashes Go recognises ({@code hashOIDs}), by OID, with their JDK names. */
    private static final Map<String, String> HASHES = Map.of(
            "1.3.14.3.2.26", "SHA-1",
            "2.16.840.1.101.3.4.2.1", "SHA-256",
            "2.16.840.1.101.3.4.2.2", "SHA-384",
            "2.16.840.1.101.3.4.2.3", "SHA-512");

    /** Signature algorithms by OID, with their JDK names. */
    private static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.5", "SHA1withRSA"),
            Map.entry("1.2.840.113549.1.1.11", "SHA256withRSA"),
            Map.entry("1.2.840.113549.1.1.12", "SHA384withRSA"),
            Map.entry("1.2.840.113549.1.1.13", "SHA512withRSA"),
            Map.entry("1.2.840.113549.1.1.10", "RSASSA-PSS"),
            Map.entry("1.2.840.10045.4.1", "SHA1withECDSA"),
            Map.entry("1.2.840.10045.4.3.2", "SHA256withECDSA"),
            Map.entry("1.2.840.10045.4.3.3", "SHA384withECDSA"),
            Map.entry("1.2.840.10045.4.3.4", "SHA512withECDSA"),
            Map.entry("1.3.101.112", "Ed25519"));

    private OcspMessages() {
    }

    /**
     * The DER request for {@code cert}'s status from the responder of {@code issuer}: one SHA-1 certificate ID, no
     * extensions, unsigned.
     */
    // golang.org/x/crypto/ocsp: CreateRequest (nil options: SHA-1)
    public static byte[] request(X509Certificate cert, X509Certificate issuer) throws OcspException {
        try {
            CertID id = certId(cert.getSerialNumber(), issuer);
            TBSRequest tbs = new TBSRequest(null, new DERSequence(new Request(id, null)), (Extensions) null);
            return new OCSPRequest(tbs, null).getEncoded(ASN1Encoding.DER);
        } catch (IOException | GeneralSecurityException e) {
            throw new OcspException("ocsp: " + e.getMessage(), e);
        }
    }

    /** The SHA-1 certificate ID of {@code serial} issued by {@code issuer}. */
    static CertID certId(BigInteger serial, X509Certificate issuer) throws GeneralSecurityException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] keyHash = sha1.digest(SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded())
                .getPublicKeyData().getBytes());
        byte[] nameHash = sha1.digest(issuer.getSubjectX500Principal().getEncoded());
        return new CertID(new AlgorithmIdentifier(SHA1, DERNull.INSTANCE), new DEROctetString(nameHash),
                new DEROctetString(keyHash), new ASN1Integer(serial));
    }

    /** {@link #parse(byte[], X509Certificate, X509Certificate)} without a certificate (one response expected). */
    public static OcspResponse parse(byte[] raw, X509Certificate issuer) throws OcspException {
        return parse(raw, null, issuer);
    }

    /**
     * Parses {@code raw} and checks its signature.
     *
     * @param cert   the certificate whose single response is wanted (by serial number), or null to require exactly
     *               one single response
     * @param issuer the certificate's issuer: it must have signed the response or the embedded signer; null skips
     *               that check
     * @throws OcspException with x/crypto/ocsp's text
     */
    // golang.org/x/crypto/ocsp: ParseResponseForCert
    public static OcspResponse parse(byte[] raw, X509Certificate cert, X509Certificate issuer)
            throws OcspException {
        OCSPResponse response;
        BasicOCSPResponse basic;
        byte[] basicBytes;
        try {
            response = OCSPResponse.getInstance(strictDer(raw));
            int status = response.getResponseStatus().getIntValue();
            if (status != 0) {
                throw new OcspException("ocsp: error from server: " + responseStatusText(status));
            }
            ResponseBytes bytes = response.getResponseBytes();
            if (bytes == null || !bytes.getResponseType().equals(OCSPObjectIdentifiers.id_pkix_ocsp_basic)) {
                throw new OcspException("bad OCSP response type");
            }
            basicBytes = bytes.getResponse().getOctets();
            basic = BasicOCSPResponse.getInstance(strictDer(basicBytes));
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new OcspException("asn1: structure error: " + e.getMessage(), e);
        }
        ResponseData data = basic.getTbsResponseData();
        ASN1Sequence responses = data.getResponses();
        int n = responses.size();
        if (n == 0 || cert == null && n > 1) {
            throw new OcspException("OCSP response contains bad number of responses");
        }
        SingleResponse single = null;
        if (cert == null) {
            single = SingleResponse.getInstance(responses.getObjectAt(0));
        } else {
            for (ASN1Encodable element : responses) {
                SingleResponse candidate = SingleResponse.getInstance(element);
                if (candidate.getCertID().getSerialNumber().getValue().equals(cert.getSerialNumber())) {
                    single = candidate;
                    break;
                }
            }
            if (single == null) {
                throw new OcspException("no response matching the supplied certificate");
            }
        }
        byte[] tbs = firstElement(basicBytes);
        String algorithmOid = basic.getSignatureAlgorithm().getAlgorithm().getId();
        ASN1Encodable algorithmParameters = basic.getSignatureAlgorithm().getParameters();
        byte[] signature = basic.getSignature().getBytes();
        X509Certificate signer = null;
        if (basic.getCerts() != null && basic.getCerts().size() > 0) {
            try {
                byte[] der = basic.getCerts().getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DER);
                signer = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
            } catch (IOException | CertificateException e) {
                throw new OcspException("x509: malformed certificate", e);
            }
            String bad = verify(signer.getPublicKey(), algorithmOid, algorithmParameters, tbs, signature);
            if (bad != null) {
                throw new OcspException("bad signature on embedded certificate: " + bad);
            }
            if (issuer != null) {
                byte[] signerTbs;
                try {
                    signerTbs = signer.getTBSCertificate();
                } catch (CertificateException e) {
                    throw new OcspException("x509: malformed certificate", e);
                }
                String badChain = verify(issuer.getPublicKey(), signer.getSigAlgOID(), sigAlgParameters(signer),
                        signerTbs, signer.getSignature());
                if (badChain != null) {
                    throw new OcspException("bad OCSP signature: " + badChain);
                }
            }
        } else if (issuer != null) {
            String bad = verify(issuer.getPublicKey(), algorithmOid, algorithmParameters, tbs, signature);
            if (bad != null) {
                throw new OcspException("bad OCSP signature: " + bad);
            }
        }
        Extensions extensions = single.getSingleExtensions();
        if (extensions != null) {
            for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
                Extension extension = extensions.getExtension(oid);
                if (extension.isCritical()) {
                    throw new OcspException("unsupported critical extension");
                }
            }
        }
        if (!HASHES.containsKey(single.getCertID().getHashAlgorithm().getAlgorithm().getId())) {
            throw new OcspException("unsupported issuer hash algorithm");
        }
        CertStatus certStatus = single.getCertStatus();
        OcspStatus status;
        Instant revokedAt = null;
        int reason = 0;
        switch (certStatus.getTagNo()) {
            case 0 -> status = OcspStatus.GOOD;
            case 2 -> status = OcspStatus.UNKNOWN;
            default -> {
                status = OcspStatus.REVOKED;
                RevokedInfo info = RevokedInfo.getInstance(certStatus.getStatus());
                revokedAt = instant(info.getRevocationTime());
                if (info.getRevocationReason() != null) {
                    reason = info.getRevocationReason().getValue().intValue();
                }
            }
        }
        return new OcspResponse(raw, status, single.getCertID().getSerialNumber().getValue(),
                instant(data.getProducedAt()), instant(single.getThisUpdate()),
                single.getNextUpdate() == null ? null : instant(single.getNextUpdate()), revokedAt, reason, signer);
    }

    /** One DER object with nothing after it ({@code trailing data in OCSP response} otherwise). */
    private static ASN1Primitive strictDer(byte[] der) throws IOException, OcspException {
        int length = tlvLength(der, 0);
        if (length < der.length) {
            throw new OcspException("trailing data in OCSP response");
        }
        return ASN1Primitive.fromByteArray(der);
    }

    /** The bytes of the first element of the DER sequence {@code der} (the signed response data, as received). */
    private static byte[] firstElement(byte[] der) throws OcspException {
        int headerEnd = contentStart(der, 0);
        int length = tlvLength(der, headerEnd);
        byte[] element = new byte[length];
        System.arraycopy(der, headerEnd, element, 0, length);
        return element;
    }

    /** Where the content of the TLV at {@code off} starts. */
    private static int contentStart(byte[] der, int off) throws OcspException {
        if (off + 2 > der.length) {
            throw new OcspException("asn1: syntax error: data truncated");
        }
        int lengthByte = der[off + 1] & 0xff;
        return off + 2 + (lengthByte < 0x80 ? 0 : lengthByte & 0x7f);
    }

    /** The whole length (header and content) of the TLV at {@code off}. */
    private static int tlvLength(byte[] der, int off) throws OcspException {
        if (off + 2 > der.length) {
            throw new OcspException("asn1: syntax error: data truncated");
        }
        int lengthByte = der[off + 1] & 0xff;
        long content;
        int header = 2;
        if (lengthByte < 0x80) {
            content = lengthByte;
        } else {
            int octets = lengthByte & 0x7f;
            if (octets == 0 || octets > 4 || off + 2 + octets > der.length) {
                throw new OcspException("asn1: syntax error: bad length");
            }
            content = 0;
            for (int i = 0; i < octets; i++) {
                content = (content << 8) | (der[off + 2 + i] & 0xff);
            }
            header += octets;
        }
        long total = header + content;
        if (off + total > der.length) {
            throw new OcspException("asn1: syntax error: data truncated");
        }
        return (int) total;
    }

    /** Null when {@code key} verifies {@code signature} over {@code data}, else Go's text for the failure. */
    private static String verify(PublicKey key, String algorithmOid, ASN1Encodable parameters, byte[] data,
                                 byte[] signature) {
        String name = SIGNATURES.get(algorithmOid);
        if (name == null) {
            return "x509: cannot verify signature: algorithm unimplemented";
        }
        try {
            Signature verifier = Signature.getInstance(name);
            if (name.equals("RSASSA-PSS")) {
                AlgorithmParameters pss = AlgorithmParameters.getInstance("RSASSA-PSS");
                pss.init(parameters.toASN1Primitive().getEncoded(ASN1Encoding.DER));
                verifier.setParameter(pss.getParameterSpec(PSSParameterSpec.class));
            }
            verifier.initVerify(key);
            verifier.update(data);
            if (verifier.verify(signature)) {
                return null;
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return "x509: " + e.getMessage();
        }
        return switch (key.getAlgorithm()) {
            case "RSA", "RSASSA-PSS" -> "crypto/rsa: verification error";
            case "EC" -> "x509: ECDSA verification failure";
            case "Ed25519", "EdDSA" -> "x509: Ed25519 verification failure";
            default -> "x509: signature verification failure";
        };
    }

    private static ASN1Encodable sigAlgParameters(X509Certificate cert) {
        byte[] params = cert.getSigAlgParams();
        if (params == null) {
            return null;
        }
        try {
            return ASN1Primitive.fromByteArray(params);
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant instant(ASN1GeneralizedTime time) throws OcspException {
        try {
            return time.getDate().toInstant();
        } catch (ParseException e) {
            throw new OcspException("asn1: time did not serialize back to the original value", e);
        }
    }

    /** x/crypto/ocsp's {@code ResponseStatus.String}. */
    static String responseStatusText(int status) {
        return switch (status) {
            case 0 -> "success";
            case 1 -> "malformed";
            case 2 -> "internal error";
            case 3 -> "try later";
            case 5 -> "signature required";
            case 6 -> "unauthorized";
            default -> "unknown OCSP status: " + status;
        };
    }
}
