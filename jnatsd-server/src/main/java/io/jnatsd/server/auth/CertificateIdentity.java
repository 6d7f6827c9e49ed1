package io.jnatsd.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names a client certificate offers for {@code verify_and_map}, in the forms nats-server compares with user
 * names ({@code server/auth.go checkClientTLSCertSubject}):
 * <ul>
 *   <li>subject alternative names: e-mail addresses, DNS names and URIs, in certificate order;</li>
 *   <li>the subject as an LDAP distinguished name read from the raw DER ({@code internal/ldap/dn.go
 *       FromRawCertSubject}), compared with user names parsed as DNs ({@link Dn#parse});</li>
 *   <li>the subject as Go prints it ({@code pkix.Name.ToRDNSequence().String()}: only CN, SERIALNUMBER, OU, O,
 *       POSTALCODE, STREET, L, ST and C, grouped by type, most specific first, RFC 2253 escaping), and that string
 *       followed by the {@code DC=} components in certificate order.</li>
 * </ul>
 * The subject's DER is read here (a SEQUENCE of SETs of type/value SEQUENCEs) because the JDK's own RFC 2253 form
 * orders and escapes differently from Go. Stateless.
 */
public final class CertificateIdentity {

    private static final String OID_DC = "0.9.2342.19200300.100.1.25";

    /** Go's crypto/x509/pkix attributeTypeNames. */
    private static final Map<String, String> PKIX_NAMES = Map.of("2.5.4.6", "C", "2.5.4.10", "O", "2.5.4.11", "OU",
            "2.5.4.3", "CN", "2.5.4.5", "SERIALNUMBER", "2.5.4.7", "L", "2.5.4.8", "ST", "2.5.4.9", "STREET",
            "2.5.4.17", "POSTALCODE");

    /** nats-server's internal/ldap attributeTypeNames: the pkix names and DC. */
    private static final Map<String, String> LDAP_NAMES;

    static {
        Map<String, String> names = new LinkedHashMap<>(PKIX_NAMES);
        names.put(OID_DC, "DC");
        LDAP_NAMES = Map.copyOf(names);
    }

    /** The order pkix.Name.ToRDNSequence writes the attributes in (reversed by String()). */
    private static final List<String> TO_RDN_ORDER = List.of("2.5.4.6", "2.5.4.8", "2.5.4.7", "2.5.4.9", "2.5.4.17",
            "2.5.4.10", "2.5.4.11", "2.5.4.3", "2.5.4.5");

    /** One attribute of the subject: its OID and its value when it is a string (else null). */
    record Attribute(String oid, String value) {
    }

    private CertificateIdentity() {
    }

    // ----------------------------------------------------------------------------------------- alternative names

    /** The certificate's subject as Go's {@code pkix.Name.String()} prints it ({@code /connz} peer certificates). */
    public static String subjectString(X509Certificate cert) {
        return goSubjectString(subject(cert));
    }

    /** The certificate's issuer as Go's {@code pkix.Name.String()} prints it (OCSP log lines and events). */
    public static String issuerString(X509Certificate cert) {
        return goSubjectString(rdnSequence(cert.getIssuerX500Principal().getEncoded()));
    }

    /** The subject alternative names of type {@code type} (1 e-mail, 2 DNS, 6 URI), in certificate order. */
    static List<String> alternativeNames(X509Certificate cert, int type) {
        Collection<List<?>> all;
        try {
            all = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (all == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (List<?> entry : all) {
            if (entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type
                    && entry.get(1) instanceof String name) {
                names.add(name);
            }
        }
        return names;
    }

    // ----------------------------------------------------------------------------------------- subject DER

    /** The subject's relative distinguished names in DER order; throws IllegalArgumentException when malformed. */
    static List<List<Attribute>> subject(X509Certificate cert) {
        return rdnSequence(cert.getSubjectX500Principal().getEncoded());
    }

    static List<List<Attribute>> rdnSequence(byte[] der) {
        Der sequence = new Der(der, 0, der.length);
        Der body = sequence.enter(0x30);
        List<List<Attribute>> rdns = new ArrayList<>();
        while (body.hasMore()) {
            Der set = body.enter(0x31);
            List<Attribute> rdn = new ArrayList<>();
            while (set.hasMore()) {
                Der atv = set.enter(0x30);
                String oid = atv.readOid();
                int tag = atv.peekTag();
                rdn.add(new Attribute(oid, decodeString(tag, atv.readAny())));
            }
            rdns.add(rdn);
        }
        return rdns;
    }

    /** Go's asn1 string types (PrintableString, IA5, T61, UTF8, Numeric, BMP); null for any other value. */
    private static String decodeString(int tag, byte[] content) {
        return switch (tag) {
            case 0x13, 0x16, 0x12 -> new String(content, StandardCharsets.US_ASCII);
            case 0x14 -> new String(content, StandardCharsets.ISO_8859_1);
            case 0x0C -> new String(content, StandardCharsets.UTF_8);
            case 0x1E -> new String(content, StandardCharsets.UTF_16BE);
            default -> null;
        };
    }

    // ----------------------------------------------------------------------------------------- Go string forms

    /** {@code cert.Subject.ToRDNSequence().String()}. */
    // nats-server: Go crypto/x509/pkix Name.FillFromRDNSequence, ToRDNSequence, RDNSequence.String
    static String goSubjectString(List<List<Attribute>> rdns) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (List<Attribute> rdn : rdns) {
            for (Attribute a : rdn) {
                if (a.value() == null || !PKIX_NAMES.containsKey(a.oid())) {
                    continue;
                }
                List<String> values = byType.computeIfAbsent(a.oid(), k -> new ArrayList<>());
                if (a.oid().equals("2.5.4.3") || a.oid().equals("2.5.4.5")) {
                    values.clear();                         // CommonName and SerialNumber: the last one wins
                }
                values.add(a.value());
            }
        }
        List<String> groups = new ArrayList<>();
        for (String oid : TO_RDN_ORDER) {
            List<String> values = byType.get(oid);
            if (values == null || values.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (String value : values) {
                parts.add(PKIX_NAMES.get(oid) + "=" + escape(value));
            }
            groups.add(String.join("+", parts));
        }
        StringBuilder out = new StringBuilder();
        for (int i = groups.size() - 1; i >= 0; i--) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(groups.get(i));
        }
        return out.toString();
    }

    /** {@code DC=<value>} of every string DC attribute in DER order, joined by commas (auth.go getTLSAuthDCs). */
    static String domainComponents(List<List<Attribute>> rdns) {
        List<String> dcs = new ArrayList<>();
        for (List<Attribute> rdn : rdns) {
            for (Attribute a : rdn) {
                if (a.value() != null && a.oid().equals(OID_DC)) {
                    dcs.add("DC=" + a.value());
                }
            }
        }
        return String.join(",", dcs);
    }

    /** Go's RDNSequence.String value escaping. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            boolean escape = switch (c) {
                case ',', '+', '"', '\\', '<', '>', ';' -> true;
                case ' ' -> k == 0 || k == value.length() - 1;
                case '#' -> k == 0;
                default -> false;
            };
            if (escape) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    // ----------------------------------------------------------------------------------------- LDAP DN

    /** A distinguished name as nats-server's internal/ldap package holds it: RDNs of type/value pairs. */
    record Dn(List<List<String[]>> rdns) {

        /** The subject as {@code ldap.FromRawCertSubject} reads it (RDNs, attributes reversed); null on error. */
        static Dn fromSubject(List<List<Attribute>> subject) {
            List<List<String[]>> rdns = new ArrayList<>();
            for (int i = subject.size() - 1; i >= 0; i--) {
                List<Attribute> rdn = subject.get(i);
                if (rdn.isEmpty()) {
                    continue;
                }
                List<String[]> attributes = new ArrayList<>();
                for (int j = rdn.size() - 1; j >= 0; j--) {
                    Attribute a = rdn.get(j);
                    String type = LDAP_NAMES.get(a.oid());
                    if (type == null || a.value() == null) {
                        return null;
                    }
                    attributes.add(new String[] {type, a.value()});
                }
                rdns.add(attributes);
            }
            return new Dn(rdns);
        }

        /** {@code ldap.ParseDN}: null when {@code text} is not a DN. */
        // nats-server: internal/ldap/dn.go ParseDN
        static Dn parse(String text) {
            byte[] str = text.getBytes(StandardCharsets.UTF_8);
            List<List<String[]>> rdns = new ArrayList<>();
            List<String[]> rdn = new ArrayList<>();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            String type = "";
            boolean escaping = false;
            int trailingSpaces = 0;
            for (int i = 0; i < str.length; i++) {
                byte c = str[i];
                if (escaping) {
                    trailingSpaces = 0;
                    escaping = false;
                    if (" \"#+,;<=>\\".indexOf(c) >= 0) {
                        buffer.write(c);
                        continue;
                    }
                    if (i + 1 == str.length) {
                        return null;
                    }
                    int hi = Character.digit(str[i], 16);
                    int lo = Character.digit(str[i + 1], 16);
                    if (hi < 0 || lo < 0) {
                        return null;
                    }
                    buffer.write(hi << 4 | lo);
                    i++;
                } else if (c == '\\') {
                    trailingSpaces = 0;
                    escaping = true;
                } else if (c == '=') {
                    type = take(buffer, trailingSpaces);
                    trailingSpaces = 0;
                    if (i + 1 < str.length && str[i + 1] == '#') {
                        return null;                    // BER-encoded values are not supported
                    }
                } else if (c == ',' || c == '+') {
                    if (type.isEmpty()) {
                        return null;
                    }
                    rdn.add(new String[] {type, take(buffer, trailingSpaces)});
                    trailingSpaces = 0;
                    type = "";
                    if (c == ',') {
                        rdns.add(rdn);
                        rdn = new ArrayList<>();
                    }
                } else if (c == ' ' && buffer.size() == 0) {
                    continue;
                } else {
                    trailingSpaces = c == ' ' ? trailingSpaces + 1 : 0;
                    buffer.write(c);
                }
            }
            if (buffer.size() > 0) {
                if (type.isEmpty()) {
                    return null;
                }
                rdn.add(new String[] {type, take(buffer, trailingSpaces)});
                rdns.add(rdn);
            }
            return new Dn(rdns);
        }

        private static String take(ByteArrayOutputStream buffer, int trailingSpaces) {
            byte[] bytes = buffer.toByteArray();
            buffer.reset();
            return new String(bytes, 0, bytes.length - trailingSpaces, StandardCharsets.UTF_8);
        }

        /** Same RDNs in the same order (attributes within an RDN in any order). */
        boolean sameAs(Dn other) {
            if (rdns.size() != other.rdns.size()) {
                return false;
            }
            for (int i = 0; i < rdns.size(); i++) {
                if (!rdnEqual(rdns.get(i), other.rdns.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Same RDNs in any order ({@code RDNsMatch}). */
        boolean sameRdnsInAnyOrder(Dn other) {
            if (rdns.size() != other.rdns.size()) {
                return false;
            }
            boolean[] matched = new boolean[other.rdns.size()];
            for (List<String[]> mine : rdns) {
                boolean found = false;
                for (int j = 0; j < other.rdns.size(); j++) {
                    if (!matched[j] && rdnEqual(mine, other.rdns.get(j))) {
                        matched[j] = true;
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }

        private static boolean rdnEqual(List<String[]> a, List<String[]> b) {
            return a.size() == b.size() && containsAll(a, b) && containsAll(b, a);
        }

        private static boolean containsAll(List<String[]> haystack, List<String[]> needles) {
            for (String[] needle : needles) {
                boolean found = false;
                for (String[] item : haystack) {
                    if (item[0].toLowerCase(Locale.ROOT).equals(needle[0].toLowerCase(Locale.ROOT))
                            && item[1].equals(needle[1])) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        }
    }

    // ----------------------------------------------------------------------------------------- DER reader

    /** A minimal DER reader over {@code bytes[position, end)}; throws IllegalArgumentException when malformed. */
    private static final class Der {
        final byte[] bytes;
        int position;
        final int end;

        Der(byte[] bytes, int position, int end) {
            this.bytes = bytes;
            this.position = position;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        int peekTag() {
            check(position < end);
            return bytes[position] & 0xff;
        }

        /** Reads a TLV with {@code tag} and returns a reader over its content. */
        Der enter(int tag) {
            check(peekTag() == tag);
            position++;
            int length = readLength();
            Der inner = new Der(bytes, position, position + length);
            position += length;
            return inner;
        }

        /** Reads any TLV and returns its content. */
        byte[] readAny() {
            peekTag();
            position++;
            int length = readLength();
            byte[] content = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return content;
        }

        String readOid() {
            check(peekTag() == 0x06);
            byte[] content = readAny();
            check(content.length > 0);
            StringBuilder out = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (byte b : content) {
                value = value << 7 | (b & 0x7f);
                if ((b & 0x80) == 0) {
                    if (first) {
                        int head = (int) Math.min(value / 40, 2);
                        out.append(head).append('.').append(value - 40L * head);
                        first = false;
                    } else {
                        out.append('.').append(value);
                    }
                    value = 0;
                }
            }
            return out.toString();
        }

        private int readLength() {
            check(position < end);
            int first = bytes[position++] & 0xff;
            if (first < 0x80) {
                check(position + first <= end);
                return first;
            }
            int count = first & 0x7f;
            check(count >= 1 && count <= 3 && position + count <= end);
            int length = 0;
            for (int i = 0; i < count; i++) {
                length = length << 8 | (bytes[position++] & 0xff);
            }
            check(position + length <= end);
            return length;
        }

        private static void check(boolean ok) {
            if (!ok) {
                throw new IllegalArgumentException("malformed certificate subject");
            }
        }
    }
}
