package io.healthcarebackend.platform.security;

/** Claim names of our access tokens, shared by the issuer (identity) and the reader (here). */
public final class AccessTokenClaims {

    public static final String CLINIC = "clinic";
    public static final String ROLE = "role";
    public static final String SESSION = "sid";

    private AccessTokenClaims() {
    }
}
