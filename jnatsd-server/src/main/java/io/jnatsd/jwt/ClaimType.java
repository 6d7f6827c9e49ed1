package io.jnatsd.jwt;

import io.jnatsd.nkeys.NKeyType;

import java.util.List;

/**
 * The claim types of nats-io/jwt ({@code claims.go}) with the issuer kinds each accepts ({@code ExpectedPrefixes}).
 * {@link #GENERIC} stands for any other type name and accepts any issuer.
 */
public enum ClaimType {
    OPERATOR("operator", List.of(NKeyType.OPERATOR)),
    ACCOUNT("account", List.of(NKeyType.ACCOUNT, NKeyType.OPERATOR)),
    USER("user", List.of(NKeyType.ACCOUNT)),
    ACTIVATION("activation", List.of(NKeyType.ACCOUNT, NKeyType.OPERATOR)),
    AUTHORIZATION_REQUEST("authorization_request", List.of(NKeyType.SERVER)),
    AUTHORIZATION_RESPONSE("authorization_response", List.of(NKeyType.ACCOUNT)),
    GENERIC("generic", List.of());

    private final String jsonName;
    private final List<NKeyType> issuerTypes;

    ClaimType(String jsonName, List<NKeyType> issuerTypes) {
        this.jsonName = jsonName;
        this.issuerTypes = issuerTypes;
    }

    /** The {@code type} value in the token. */
    public String jsonName() {
        return jsonName;
    }

    /** The key types that may issue this claim; empty means any. */
    public List<NKeyType> issuerTypes() {
        return issuerTypes;
    }

    /** The type named {@code name}; unknown names are {@link #GENERIC}, as in {@code decoder.go loadClaims}. */
    public static ClaimType of(String name) {
        for (ClaimType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        return GENERIC;
    }
}
