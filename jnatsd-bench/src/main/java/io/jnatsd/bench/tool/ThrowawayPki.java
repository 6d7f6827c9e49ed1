package io.jnatsd.bench.tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A throw-away certificate authority and one server certificate for the TLS scenarios of {@code --compare}: ECDSA
 * P-256 keys, the server certificate valid for {@code 127.0.0.1} and {@code localhost}, both valid from an hour ago
 * for two days. Written as PEM files ({@code ca.pem}, {@code server-cert.pem}, {@code server-key.pem} as PKCS#8),
 * which jnatsd and nats-server read from the same {@code tls {}} block.
 * <p>
 * Built with the JDK alone: the certificates are DER-encoded here (RFC 5280, only the fields and extensions a TLS
 * server certificate needs) and signed with {@code SHA256withECDSA}. Immutable.
 *
 * @param caFile   the CA certificate (PEM)
 * @param certFile the server certificate (PEM)
 * @param keyFile  the server's private key (PEM, PKCS#8)
 */
record ThrowawayPki(Path caFile, Path certFile, Path keyFile) {

    private static final byte[] OID_EC_PUBLIC_KEY_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);   // ecdsa-with-SHA256
    private static final byte[] OID_COMMON_NAME = oid(2, 5, 4, 3);
    private static final byte[] OID_BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
    private static final byte[] OID_KEY_USAGE = oid(2, 5, 29, 15);
    private static final byte[] OID_EXTENDED_KEY_USAGE = oid(2, 5, 29, 37);
    private static final byte[] OID_SUBJECT_ALT_NAME = oid(2, 5, 29, 17);
    private static final byte[] OID_SERVER_AUTH = oid(1, 3, 6, 1, 5, 5, 7, 3, 1);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Creates a new CA and server certificate in {@code dir}. */
    static ThrowawayPki create(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            KeyPair ca = newKeyPair();
            KeyPair server = newKeyPair();
            Instant from = Instant.now().minus(Duration.ofHours(1));
            Instant until = from.plus(Duration.ofDays(2));
            byte[] caName = name("jnatsd-bench throw-away CA");
            byte[] caCert = certificate(1, caName, caName, from, until, ca.getPublic(), ca.getPrivate(),
                    caExtensions());
            byte[] serverCert = certificate(2, caName, name("localhost"), from, until, server.getPublic(),
                    ca.getPrivate(), serverExtensions());
            ThrowawayPki pki = new ThrowawayPki(dir.resolve("ca.pem"), dir.resolve("server-cert.pem"),
                    dir.resolve("server-key.pem"));
            Files.writeString(pki.caFile, pem("CERTIFICATE", caCert));
            Files.writeString(pki.certFile, pem("CERTIFICATE", serverCert));
            Files.writeString(pki.keyFile, pem("PRIVATE KEY", server.getPrivate().getEncoded()));
            return pki;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create the throw-away certificates: " + e.getMessage(), e);
        }
    }

    /** The server certificate, parsed. */
    X509Certificate serverCertificate() throws IOException {
        return read(certFile);
    }

    /** The CA certificate, parsed. */
    X509Certificate caCertificate() throws IOException {
        return read(caFile);
    }

    /**
     * The {@code tls {}} block both servers get: the server certificate and key, and a handshake timeout long
     * enough for the handshake scenario's bursts on a loaded machine.
     */
    String tlsBlock() {
        return "tls {\n  cert_file: \"" + certFile.toAbsolutePath() + "\"\n  key_file: \"" + keyFile.toAbsolutePath()
                + "\"\n  timeout: 5\n}\n";
    }

    private static X509Certificate read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
    private static byte[] certificate(long serial, byte[] issuer, byte[] subject, Instant from, Instant until,
            PublicKey key, PrivateKey signer, byte[] extensions) throws GeneralSecurityException {
        byte[] algorithm = sequence(tlv(0x06, OID_EC_PUBLIC_KEY_SHA256));
        byte[] serialNumber = new BigInteger(64, new SecureRandom()).shiftLeft(8).add(BigInteger.valueOf(serial))
                .toByteArray();
        byte[] tbs = sequence(
                tlv(0xA0, tlv(0x02, new byte[] {2})),                        // [0] version v3
                tlv(0x02, serialNumber),
                algorithm,
                issuer,
                sequence(utcTime(from), utcTime(until)),
                subject,
                key.getEncoded(),                                            // SubjectPublicKeyInfo
                tlv(0xA3, sequence(extensions)));                            // [3] extensions
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(signer);
        signature.update(tbs);
        return sequence(tbs, algorithm, bitString(signature.sign()));
    }

    private static byte[] caExtensions() {
        return concat(
                extension(OID_BASIC_CONSTRAINTS, true, sequence(tlv(0x01, new byte[] {(byte) 0xFF}))),
                extension(OID_KEY_USAGE, true, bitString(new byte[] {0x06})));   // keyCertSign, cRLSign
    }

    private static byte[] serverExtensions() {
        return concat(
                extension(OID_BASIC_CONSTRAINTS, true, sequence()),
                extension(OID_KEY_USAGE, true, bitString(new byte[] {(byte) 0x80})),  // digitalSignature
                extension(OID_EXTENDED_KEY_USAGE, false, sequence(tlv(0x06, OID_SERVER_AUTH))),
                extension(OID_SUBJECT_ALT_NAME, false, sequence(
                        tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)),      // dNSName
                        tlv(0x87, new byte[] {127, 0, 0, 1}))));                        // iPAddress
    }

    private static byte[] extension(byte[] oid, boolean critical, byte[] value) {
        return critical ? sequence(tlv(0x06, oid), tlv(0x01, new byte[] {(byte) 0xFF}), tlv(0x04, value))
                : sequence(tlv(0x06, oid), tlv(0x04, value));
    }

    private static byte[] name(String commonName) {
        return sequence(tlv(0x31, sequence(tlv(0x06, OID_COMMON_NAME),
                tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] utcTime(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bitString(byte[] bits) {
        byte[] value = new byte[bits.length + 1];                          // no unused bits
        System.arraycopy(bits, 0, value, 1, bits.length);
        return tlv(0x03, value);
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** One DER tag-length-value. */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** The DER contents of an OBJECT IDENTIFIER. */
    static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int groups = 1;
            for (int v = arc >>> 7; v != 0; v >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int seven = (arc >>> (7 * g)) & 0x7F;
                out.write(g == 0 ? seven : seven | 0x80);
            }
        }
        return out.toByteArray();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
