package io.jnatsd.server.auth;

import io.jnatsd.server.auth.CertificateIdentity.Dn;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateIdentityTest {

    private static X500Name name(Object... typeValuePairs) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (int i = 0; i < typeValuePairs.length; i += 2) {
            builder.addRDN((ASN1ObjectIdentifier) typeValuePairs[i], new DERUTF8String((String) typeValuePairs[i + 1]));
        }
        return builder.build();
    }

    private static List<List<CertificateIdentity.Attribute>> subject(X500Name name) {
        return CertificateIdentity.subject(TestCertificates.certificate(name));
    }

    @Test
    void shouldPrintTheSubjectAsGoDoesWhateverTheDerOrder() {
        X500Name derCnFirst = name(BCStyle.CN, "alice", BCStyle.OU, "eng", BCStyle.O, "Acme, Inc.", BCStyle.L, "LA",
                BCStyle.ST, "CA", BCStyle.C, "US");
        X500Name derCFirst = name(BCStyle.C, "US", BCStyle.ST, "CA", BCStyle.L, "LA", BCStyle.O, "Acme, Inc.",
                BCStyle.OU, "eng", BCStyle.CN, "alice");
        String expected = "CN=alice,OU=eng,O=Acme\\, Inc.,L=LA,ST=CA,C=US";
        assertThat(CertificateIdentity.goSubjectString(subject(derCnFirst))).isEqualTo(expected);
        assertThat(CertificateIdentity.goSubjectString(subject(derCFirst))).isEqualTo(expected);
    }

    @Test
    void shouldGroupRepeatedTypesAndKeepTheLastCommonName() {
        X500Name n = name(BCStyle.OU, "a", BCStyle.OU, "b", BCStyle.CN, "first", BCStyle.CN, "last");
        assertThat(CertificateIdentity.goSubjectString(subject(n))).isEqualTo("CN=last,OU=a+OU=b");
    }

    @Test
    void shouldEscapeAsGo() {
        X500Name n = name(BCStyle.CN, " lead#x+y;z ", BCStyle.O, "#hash");
        assertThat(CertificateIdentity.goSubjectString(subject(n))).isEqualTo("CN=\\ lead#x\\+y\\;z\\ ,O=\\#hash");
    }

    @Test
    void shouldLeaveDomainComponentsAndEmailOutOfTheGoStringButListThemSeparately() {
        X500Name n = name(BCStyle.DC, "org", BCStyle.DC, "example", BCStyle.O, "Acme", BCStyle.CN, "bob",
                BCStyle.EmailAddress, "bob@example.org");
        List<List<CertificateIdentity.Attribute>> s = subject(n);
        assertThat(CertificateIdentity.goSubjectString(s)).isEqualTo("CN=bob,O=Acme");
        assertThat(CertificateIdentity.domainComponents(s)).isEqualTo("DC=org,DC=example");
    }

    @Test
    void shouldReadTheSubjectAsAnLdapDnInReverseDerOrder() {
        List<List<CertificateIdentity.Attribute>> s = subject(name(BCStyle.DC, "org", BCStyle.DC, "example",
                BCStyle.O, "Acme", BCStyle.CN, "bob"));
        Dn certDn = Dn.fromSubject(s);
        assertThat(Dn.parse("CN=bob,O=Acme,DC=example,DC=org").sameAs(certDn)).isTrue();
        assertThat(Dn.parse("cn=bob, o=Acme, dc=example, dc=org").sameAs(certDn)).isTrue();
        Dn reordered = Dn.parse("DC=org,DC=example,O=Acme,CN=bob");
        assertThat(reordered.sameAs(certDn)).isFalse();
        assertThat(reordered.sameRdnsInAnyOrder(certDn)).isTrue();
        assertThat(Dn.parse("CN=bob,O=Other,DC=example,DC=org").sameRdnsInAnyOrder(certDn)).isFalse();
    }

    @Test
    void shouldRefuseAnLdapDnForUnknownAttributeTypes() {
        assertThat(Dn.fromSubject(subject(name(BCStyle.CN, "bob", BCStyle.UID, "b1")))).isNull();
    }

    @Test
    void shouldParseDnsAsTheLdapPackage() {
        assertThat(Dn.parse("alice")).as("no type").isNull();
        assertThat(Dn.parse("CN=#0403")).as("BER value").isNull();
        assertThat(Dn.parse("CN=a\\2cb,O=x\\,y ").rdns().get(0).get(0)[1]).isEqualTo("a,b");
        assertThat(Dn.parse("CN=a\\2cb,O=x\\,y ").rdns().get(1).get(0)[1]).isEqualTo("x,y");
        assertThat(Dn.parse("CN=a+UID=b,O=c").rdns().get(0)).hasSize(2);
        assertThat(Dn.parse("").rdns()).isEmpty();
    }

    @Test
    void shouldListAlternativeNamesByTypeInCertificateOrder() {
        X509Certificate cert = TestCertificates.certificate(name(BCStyle.CN, "x"),
                new GeneralName(GeneralName.dNSName, "b.example"), new GeneralName(GeneralName.rfc822Name, "a@x.io"),
                new GeneralName(GeneralName.dNSName, "a.example"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://x/y"));
        assertThat(CertificateIdentity.alternativeNames(cert, 1)).containsExactly("a@x.io");
        assertThat(CertificateIdentity.alternativeNames(cert, 2)).containsExactly("b.example", "a.example");
        assertThat(CertificateIdentity.alternativeNames(cert, 6)).containsExactly("spiffe://x/y");
    }

    @Test
    void shouldDecodeMultiValuedRdns() {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        builder.addMultiValuedRDN(new AttributeTypeAndValue[] {
            new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("bob")),
            new AttributeTypeAndValue(BCStyle.OU, new DERUTF8String("dev"))});
        List<List<CertificateIdentity.Attribute>> s = subject(builder.build());
        assertThat(s).hasSize(1);
        assertThat(s.get(0)).hasSize(2);
        assertThat(Dn.parse("OU=dev+CN=bob").sameAs(Dn.fromSubject(s))).isTrue();
        assertThat(CertificateIdentity.goSubjectString(s)).isEqualTo("CN=bob,OU=dev");
    }
}
