package io.healthcarebackend.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Access-token settings. {@code signingKey} is a private EC P-256 JWK (JSON); during a rotation
 * the previous keys' public halves stay in {@code previousPublicKeys} (a JWK Set) until every
 * token they signed has expired.
 */
@ConfigurationProperties("app.jwt")
record JwtSettings(String issuer, String signingKey, String previousPublicKeys, Duration accessTokenTtl,
        boolean generateIfMissing, String devKeyFile) {
}
