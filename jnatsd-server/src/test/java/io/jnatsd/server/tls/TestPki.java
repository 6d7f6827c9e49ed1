package io.jnatsd.server.tls;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away certificate authority for tests: mints CA, server and client certificates at test time and writes
 * them as PEM files into a directory (normally a JUnit {@code @TempDir}), so no private key is ever committed.
 * Not thread-safe; one test class uses one instance.
 */
public final class TestPki {

    /** Key algorithms the tests use. */
    public enum Algorithm { EC, RSA, ED25519 }

    /** How the private key file is written. */
    public enum KeyFormat {
        /** {@code BEGIN PRIVATE KEY} (PKCS#8). */
        PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY} (PKCS#1) or {@code BEGIN EC PRIVATE KEY} (SEC1). */
        TRADITIONAL
    }

    /** A certificate and its key, and the PEM files holding them. */
    public record Issued(Path certFile, Path keyFile, X509Certificate certificate, PrivateKey key) {
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /**
     * What an OCSP test needs of a certificate beyond the usual.
     *
     * @param mustStaple  add the TLS feature extension with status_request (RFC 7633)
     * @param ocspUrls    OCSP responder URLs for the Authority Information Access extension (empty: none)
     * @param ocspSigning add id-kp-OCSPSigning to the extended key usages (a delegated responder)
     * @param bundle      write the issuing CA chain after the certificate (below the root)
     */
    public record Extras(boolean mustStaple, List<String> ocspUrls, boolean ocspSigning, boolean bundle) {
        /** Nothing extra. */
        public static final Extras NONE = new Extras(false, List.of(), false, false);
    }

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caFile;
    private final List<X509Certificate> caChain;   // this CA and its issuers below the root (empty for a root)

    private TestPki(Path dir, String name, KeyPair caKeys, X509Certificate caCertificate, Path caFile,
                    List<X509Certificate> caChain) {
        this.dir = dir;
        this.name = name;
        this.caKeys = caKeys;
        this.caCertificate = caCertificate;
        this.caFile = caFile;
        this.caChain = caChain;
    }

    /** A new CA called {@code name}, its certificate written to {@code dir/<name>-ca.pem}. */
    public static TestPki create(Path dir, String name) {
        KeyPair keys = generate(Algorithm.EC);
        X500Name subject = new X500Name("CN=" + name + " CA,O=jnatsd tests");
        Instant now = Instant.now();
        X509Certificate certificate = sign(subject, subject, keys.getPublic(), keys.getPrivate(), now,
                now.plus(Duration.ofDays(2)), true, List.of(), false, false, List.of());
        Path file = dir.resolve(name + "-ca.pem");
        write(file, pem(certificate));
        return new TestPki(dir, name, keys, certificate, file, List.of());
    }

    /**
     * An intermediate CA signed by this one, named {@code childName}, whose certificate names {@code ocspUrls} as
     * its responders (this CA's responder answers for it). Its {@link #caFile()} holds its own certificate.
     */
    public TestPki intermediate(String childName, List<String> ocspUrls) {
        KeyPair keys = generate(Algorithm.EC);
        X500Name subject = new X500Name("CN=" + childName + " CA,O=jnatsd tests");
        Instant now = Instant.now();
        X509Certificate certificate = sign(X500Name.getInstance(caCertificate.getSubjectX500Principal()
                .getEncoded()), subject, keys.getPublic(), caKeys.getPrivate(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(2)), true, List.of(), false, false, List.of(),
                new Extras(false, ocspUrls, false, false));
        Path file = dir.resolve(childName + "-ca.pem");
        write(file, pem(certificate));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(caChain);
        return new TestPki(dir, childName, keys, certificate, file, List.copyOf(chain));
    }

    /** The CA's private key (an OCSP responder signs with it). */
    public PrivateKey caKey() {
        return caKeys.getPrivate();
    }

    /**
     * A certificate for {@code localhost} (EC key, PKCS#8) with OCSP extras, valid from an hour ago for a day:
     * a server certificate when {@code server}, else a client certificate.
     */
    public Issued issue(String fileName, boolean server, Extras extras) {
        Instant now = Instant.now();
        return issue(fileName, Algorithm.EC, KeyFormat.PKCS8, server, !server, server ? List.of("localhost")
                : List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                new X500Name("CN=" + fileName + ",O=jnatsd tests"), List.of(), extras);
    }

    public Path caFile() {
        return caFile;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** A server certificate for {@code localhost} and 127.0.0.1 (EC key, PKCS#8). */
    public Issued server(String fileName) {
        return issue(fileName, Algorithm.EC, KeyFormat.PKCS8, true, false, List.of("localhost"));
    }

    /** A client certificate (EC key, PKCS#8). */
    public Issued client(String fileName) {
        return issue(fileName, Algorithm.EC, KeyFormat.PKCS8, false, true, List.of());
    }

    /** A certificate signed by this CA, valid from an hour ago for a day. */
    public Issued issue(String fileName, Algorithm algorithm, KeyFormat format, boolean serverAuth,
                        boolean clientAuth, List<String> dnsNames) {
        Instant now = Instant.now();
        return issue(fileName, algorithm, format, serverAuth, clientAuth, dnsNames, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)));
    }

    /** A certificate signed by this CA with the given validity. */
    public Issued issue(String fileName, Algorithm algorithm, KeyFormat format, boolean serverAuth,
                        boolean clientAuth, List<String> dnsNames, Instant notBefore, Instant notAfter) {
        return issue(fileName, algorithm, format, serverAuth, clientAuth, dnsNames, notBefore, notAfter,
                new X500Name("CN=" + fileName + ",O=jnatsd tests"), List.of());
    }

    /**
     * A client certificate (EC key) for {@code subjectDn} (RFC 4514 text, written in DER in the order given) with
     * e-mail, DNS and URI alternative names, valid from an hour ago for a day.
     */
    public Issued clientWithNames(String fileName, String subjectDn, List<String> emails, List<String> dnsNames,
                                  List<String> uris) {
        List<GeneralName> extra = new ArrayList<>();
        emails.forEach(e -> extra.add(new GeneralName(GeneralName.rfc822Name, e)));
        uris.forEach(u -> extra.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
        Instant now = Instant.now();
        return issue(fileName, Algorithm.EC, KeyFormat.PKCS8, false, true, dnsNames, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)), new X500Name(subjectDn), extra);
    }

    private Issued issue(String fileName, Algorithm algorithm, KeyFormat format, boolean serverAuth,
                         boolean clientAuth, List<String> dnsNames, Instant notBefore, Instant notAfter,
                         X500Name subject, List<GeneralName> extraNames) {
        return issue(fileName, algorithm, format, serverAuth, clientAuth, dnsNames, notBefore, notAfter, subject,
                extraNames, Extras.NONE);
    }

    private Issued issue(String fileName, Algorithm algorithm, KeyFormat format, boolean serverAuth,
                         boolean clientAuth, List<String> dnsNames, Instant notBefore, Instant notAfter,
                         X500Name subject, List<GeneralName> extraNames, Extras extras) {
        KeyPair keys = generate(algorithm);
        X509Certificate certificate = sign(X500Name.getInstance(caCertificate.getSubjectX500Principal()
                .getEncoded()), subject, keys.getPublic(), caKeys.getPrivate(), notBefore, notAfter, false, dnsNames,
                serverAuth, clientAuth, extraNames, extras);
        Path certFile = dir.resolve(name + "-" + fileName + "-cert.pem");
        Path keyFile = dir.resolve(name + "-" + fileName + "-key.pem");
        StringBuilder certText = new StringBuilder(pem(certificate));
        if (extras.bundle()) {
            for (X509Certificate ca : caChain) {
                certText.append(pem(ca));
            }
        }
        write(certFile, certText.toString());
        write(keyFile, keyPem(keys.getPrivate(), format));
        return new Issued(certFile, keyFile, certificate, keys.getPrivate());
    }

    /**
     * A client-side TLS context trusting this CA, presenting {@code clientCertificate} when not null (always, even
     * when the server asks for certificates of other CAs, so that an untrusted certificate reaches the server).
     */
    public SSLContext clientContext(Issued clientCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCertificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (clientCertificate != null) {
                char[] password = "test".toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", clientCertificate.key(), password,
                        new X509Certificate[] {clientCertificate.certificate()});
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] presenting = keyManagers == null ? null
                    : new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) keyManagers.getKeyManagers()[0])};
            context.init(presenting, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("client TLS context", e);
        }
    }

    /** Offers the one client certificate whatever CAs the server names. */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        AlwaysPresent(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    private static KeyPair generate(Algorithm algorithm) {
        try {
            return switch (algorithm) {
                case EC -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    yield generator.generateKeyPair();
                }
                case RSA -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    yield generator.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key generation", e);
        }
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey publicKey,
                                        PrivateKey issuerKey, Instant notBefore, Instant notAfter, boolean ca,
                                        List<String> dnsNames, boolean serverAuth, boolean clientAuth,
                                        List<GeneralName> extraNames) {
        return sign(issuer, subject, publicKey, issuerKey, notBefore, notAfter, ca, dnsNames, serverAuth, clientAuth,
                extraNames, Extras.NONE);
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, java.security.PublicKey publicKey,
                                        PrivateKey issuerKey, Instant notBefore, Instant notAfter, boolean ca,
                                        List<String> dnsNames, boolean serverAuth, boolean clientAuth,
                                        List<GeneralName> extraNames, Extras extras) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), subject,
                    publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            } else {
                int usage = KeyUsage.digitalSignature;
                if (publicKey.getAlgorithm().equals("RSA")) {
                    usage |= KeyUsage.keyEncipherment;
                }
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                List<KeyPurposeId> purposes = new ArrayList<>();
                if (serverAuth) {
                    purposes.add(KeyPurposeId.id_kp_serverAuth);
                }
                if (clientAuth) {
                    purposes.add(KeyPurposeId.id_kp_clientAuth);
                }
                if (extras.ocspSigning()) {
                    purposes.add(KeyPurposeId.id_kp_OCSPSigning);
                }
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
                List<GeneralName> names = new ArrayList<>();
                for (String dns : dnsNames) {
                    names.add(new GeneralName(GeneralName.dNSName, dns));
                }
                if (serverAuth) {
                    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                }
                names.addAll(extraNames);
                if (!names.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(new GeneralName[0])));
                }
            }
            if (extras.mustStaple()) {
                // id-pe-tlsfeature: SEQUENCE { INTEGER 5 (status_request) }
                builder.addExtension(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24"), false,
                        new DERSequence(new ASN1Integer(5)));
            }
            if (!extras.ocspUrls().isEmpty()) {
                List<AccessDescription> access = new ArrayList<>();
                for (String url : extras.ocspUrls()) {
                    access.add(new AccessDescription(AccessDescription.id_ad_ocsp,
                            new GeneralName(GeneralName.uniformResourceIdentifier, url)));
                }
                builder.addExtension(Extension.authorityInfoAccess, false,
                        new AuthorityInformationAccess(access.toArray(new AccessDescription[0])));
            }
            String algorithm = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("certificate signing", e);
        }
    }

    /** The PEM text of {@code certificate}. */
    public static String pem(X509Certificate certificate) {
        return pemOf(certificate);
    }

    private static String keyPem(PrivateKey key, KeyFormat format) {
        try {
            if (format == KeyFormat.PKCS8) {
                return pemOf(new JcaPKCS8Generator(key, null));
            }
            if (key instanceof ECPrivateKey ec) {
                // SEC1 with the named curve, as openssl writes it (the JDK's own encoding leaves the curve out)
                byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS(),
                        new X962Parameters(SECObjectIdentifiers.secp256r1)).getEncoded();
                return pemOf(new PemObject("EC PRIVATE KEY", sec1));
            }
            return pemOf(key);
        } catch (Exception e) {
            throw new IllegalStateException("key encoding", e);
        }
    }

    private static String pemOf(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
