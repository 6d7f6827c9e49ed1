package io.jnatsd.config;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM certificate and key files the way Go's {@code crypto/tls.LoadX509KeyPair} and
 * {@code x509.CertPool.AppendCertsFromPEM} do, with their error texts: certificates from every {@code CERTIFICATE}
 * block; the key from the first block whose type is {@code PRIVATE KEY} or ends in {@code " PRIVATE KEY"}, as PKCS#1
 * (RSA), PKCS#8 (RSA, EC, Ed25519) or SEC1 (EC), whatever the label says; and the key must belong to the
 * certificate. Uses only the JDK (PKCS#1 and SEC1 keys are rewrapped into PKCS#8). Stateless.
 */
final class PemFiles {

    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
    private static final byte[] RSA_OID = hex("06092a864886f70d010101");
    private static final byte[] ED25519_OID = hex("06032b6570");
    private static final byte[] VERSION_ZERO = hex("020100");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PemFiles() {
    }

    /** A certificate chain (leaf first) and the private key of its leaf. */
    record KeyPair(List<X509Certificate> chain, PrivateKey key) {
    }

    /** One PEM block: its type label and decoded bytes. */
    private record Block(String type, byte[] der) {
    }

    /**
     * Loads a certificate chain and its key.
     *
     * @throws IllegalArgumentException with Go's text, e.g. {@code open x.pem: no such file or directory} or
     *                                  {@code tls: private key does not match public key}
     */
    // nats-server: opts.go GenTLSConfig → crypto/tls LoadX509KeyPair
    static KeyPair loadKeyPair(Path certFile, Path keyFile) {
        List<Block> certBlocks = blocks(read(certFile));
        List<X509Certificate> chain = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Block block : certBlocks) {
            if (block.type().equals("CERTIFICATE")) {
                chain.add(certificate(block.der()));
            } else {
                skipped.add(block.type());
            }
        }
        if (chain.isEmpty()) {
            if (skipped.isEmpty()) {
                throw new IllegalArgumentException("tls: failed to find any PEM data in certificate input");
            }
            if (skipped.size() == 1 && skipped.getFirst().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("tls: failed to find certificate PEM data in certificate input, "
                        + "but did find a private key; PEM inputs may have been switched");
            }
            throw new IllegalArgumentException("tls: failed to find \"CERTIFICATE\" PEM block in certificate input "
                    + "after skipping PEM blocks of the following types: " + goList(skipped));
        }
        Block keyBlock = null;
        skipped.clear();
        for (Block block : blocks(read(keyFile))) {
            if (block.type().equals("PRIVATE KEY") || block.type().endsWith(" PRIVATE KEY")) {
                keyBlock = block;
                break;
            }
            skipped.add(block.type());
        }
        if (keyBlock == null) {
            if (skipped.isEmpty()) {
                throw new IllegalArgumentException("tls: failed to find any PEM data in key input");
            }
            if (skipped.size() == 1 && skipped.getFirst().equals("CERTIFICATE")) {
                throw new IllegalArgumentException(
                        "tls: found a certificate rather than a key in the PEM for the private key");
            }
            throw new IllegalArgumentException("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in "
                    + "key input after skipping PEM blocks of the following types: " + goList(skipped));
        }
        PrivateKey key = privateKey(keyBlock.der());
        checkMatch(chain.getFirst().getPublicKey(), key);
        return new KeyPair(List.copyOf(chain), key);
    }

    /**
     * Loads a CA bundle: every parsable {@code CERTIFICATE} block.
     *
     * @throws IllegalArgumentException with Go's text: the read error, or {@code failed to parse root ca
     *                                  certificate} when no certificate could be read
     */
    // nats-server: opts.go GenTLSConfig (ca_file)
    static List<X509Certificate> loadCertificates(Path caFile) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(read(caFile))) {
            if (!block.type().equals("CERTIFICATE")) {
                continue;
            }
            try {
                certificates.add(certificate(block.der()));
            } catch (IllegalArgumentException e) {
                // Go's AppendCertsFromPEM skips certificates it cannot parse
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("failed to parse root ca certificate");
        }
        return List.copyOf(certificates);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("open " + file + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("open " + file + ": permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("read " + file + ": is a directory");
            }
            throw new IllegalArgumentException("open " + file + ": " + e.getMessage());
        }
    }

    /** Go's {@code pem.Decode} applied repeatedly: the well-formed blocks in order; anything else is skipped. */
    private static List<Block> blocks(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", from);
            if (begin < 0) {
                return blocks;
            }
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                return blocks;
            }
            String type = text.substring(begin + 11, typeEnd);
            String endMarker = "-----END " + type + "-----";
            int end = text.indexOf(endMarker, typeEnd + 5);
            if (end < 0 || type.indexOf('\n') >= 0) {
                from = begin + 11;
                continue;
            }
            byte[] der = decodeBody(text.substring(typeEnd + 5, end));
            if (der != null) {
                blocks.add(new Block(type, der));
            }
            from = end + endMarker.length();
        }
    }

    /** The base64 body of a block, skipping RFC 1421 headers ({@code Key: value} lines before a blank line). */
    private static byte[] decodeBody(String body) {
        String content = body;
        int blank = body.indexOf("\n\n");
        if (blank >= 0 && body.substring(0, blank).contains(":")) {
            content = body.substring(blank + 2);
        }
        StringBuilder base64 = new StringBuilder(content.length());
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (!Character.isWhitespace(c)) {
                base64.append(c);
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("x509: malformed certificate");
        }
    }

    /** Go's {@code parsePrivateKey}: PKCS#1, then PKCS#8, then SEC1, whatever the block's label. */
    // nats-server: crypto/tls parsePrivateKey (via LoadX509KeyPair)
    private static PrivateKey privateKey(byte[] der) {
        PrivateKey key = pkcs8(sequence(VERSION_ZERO, RSA_ALGORITHM, octetString(der)), "RSA");
        if (key != null) {
            return key;
        }
        key = pkcs8(der, pkcs8Algorithm(der));
        if (key != null) {
            return key;
        }
        byte[] curve = sec1Curve(der);
        if (curve != null) {
            key = pkcs8(sequence(VERSION_ZERO, sequence(EC_PUBLIC_KEY_OID, curve), octetString(der)), "EC");
            if (key != null) {
                return key;
            }
        }
        throw new IllegalArgumentException("tls: failed to parse private key");
    }

    private static PrivateKey pkcs8(byte[] der, String algorithm) {
        if (algorithm == null) {
            return null;
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The JDK algorithm of a PKCS#8 structure's AlgorithmIdentifier, or null. */
    private static String pkcs8Algorithm(byte[] der) {
        Der outer = Der.read(der, 0);
        if (outer == null || outer.tag() != 0x30) {
            return null;
        }
        Der version = Der.read(der, outer.contentStart());
        Der algorithm = version == null ? null : Der.read(der, version.end());
        Der oid = algorithm == null || algorithm.tag() != 0x30 ? null : Der.read(der, algorithm.contentStart());
        if (oid == null || oid.tag() != 0x06) {
            return null;
        }
        byte[] encoded = Arrays.copyOfRange(der, oid.start(), oid.end());
        if (Arrays.equals(encoded, RSA_OID)) {
            return "RSA";
        }
        if (Arrays.equals(encoded, EC_PUBLIC_KEY_OID)) {
            return "EC";
        }
        if (Arrays.equals(encoded, ED25519_OID)) {
            return "Ed25519";
        }
        return null;
    }

    /** The encoded curve OID of a SEC1 {@code ECPrivateKey} (its {@code [0]} parameters), or null. */
    private static byte[] sec1Curve(byte[] der) {
        Der outer = Der.read(der, 0);
        if (outer == null || outer.tag() != 0x30) {
            return null;
        }
        int at = outer.contentStart();
        while (at < outer.end()) {
            Der field = Der.read(der, at);
            if (field == null) {
                return null;
            }
            if (field.tag() == 0xa0) {
                Der oid = Der.read(der, field.contentStart());
                return oid == null || oid.tag() != 0x06 ? null : Arrays.copyOfRange(der, oid.start(), oid.end());
            }
            at = field.end();
        }
        return null;
    }

    // Go compares the public halves (N for RSA, the point for ECDSA, the bytes for Ed25519); for EC and EdDSA the
    // JDK cannot derive the public key from the private one, so a signature made with the key must verify.
    private static void checkMatch(PublicKey publicKey, PrivateKey privateKey) {
        String publicAlgorithm = family(publicKey.getAlgorithm());
        String privateAlgorithm = family(privateKey.getAlgorithm());
        if (!publicAlgorithm.equals(privateAlgorithm)) {
            throw new IllegalArgumentException("tls: private key type does not match public key type");
        }
        boolean matches;
        if (publicKey instanceof RSAPublicKey rsaPublic && privateKey instanceof RSAPrivateKey rsaPrivate) {
            matches = rsaPublic.getModulus().equals(rsaPrivate.getModulus());
        } else {
            matches = signatureVerifies(publicKey, privateKey, publicAlgorithm);
        }
        if (!matches) {
            throw new IllegalArgumentException("tls: private key does not match public key");
        }
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "Ed25519", "EdDSA" -> "EdDSA";
            default -> algorithm;
        };
    }

    private static boolean signatureVerifies(PublicKey publicKey, PrivateKey privateKey, String family) {
        String algorithm = switch (family) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            throw new IllegalArgumentException("tls: unknown public key algorithm");
        }
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Go's {@code %v} of a {@code []string}: {@code [a b]}. */
    private static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    // ------------------------------------------------------------------------------------------------- DER

    /** One DER element of a buffer: where it starts, its tag, where its content starts and where it ends. */
    private record Der(int start, int tag, int contentStart, int end) {

        /** The element at {@code at}, or null if the bytes there are not a complete element. */
        static Der read(byte[] der, int at) {
            if (at + 2 > der.length) {
                return null;
            }
            int tag = der[at] & 0xff;
            int length = der[at + 1] & 0xff;
            int content = at + 2;
            if (length >= 0x80) {
                int count = length & 0x7f;
                if (count == 0 || count > 4 || content + count > der.length) {
                    return null;
                }
                length = new BigInteger(1, Arrays.copyOfRange(der, content, content + count)).intValue();
                content += count;
            }
            if (length < 0 || content + length > der.length) {
                return null;
            }
            return new Der(at, tag, content, content + length);
        }
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return element(0x30, content.toByteArray());
    }

    private static byte[] octetString(byte[] content) {
        return element(0x04, content);
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] bytes = BigInteger.valueOf(length).toByteArray();
            int skip = bytes[0] == 0 ? 1 : 0;
            out.write(0x80 | (bytes.length - skip));
            out.write(bytes, skip, bytes.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] hex(String text) {
        return java.util.HexFormat.of().parseHex(text);
    }
}
