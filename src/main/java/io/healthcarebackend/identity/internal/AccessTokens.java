package io.healthcarebackend.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.security.AccessTokenClaims;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/** Issues short-lived ES256 access tokens ({@code typ: at+jwt}, {@code kid} of the signing key). */
@Component
class AccessTokens {

    private static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

    private final SigningKeys keys;
    private final JwtSettings settings;
    private final ECDSASigner signer;
    private final Clock clock;

    AccessTokens(SigningKeys keys, JwtSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        try {
            this.signer = new ECDSASigner(keys.signing());
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable signing key", e);
        }
    }

    String issue(CurrentUser user) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(user.id().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(settings.accessTokenTtl())))
                .jwtID(UUID.randomUUID().toString())
                .claim(AccessTokenClaims.ROLE, user.role().name())
                .claim(AccessTokenClaims.SESSION, user.sessionId().toString());
        if (user.clinicId() != null) {
            claims.claim(AccessTokenClaims.CLINIC, user.clinicId().toString());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(keys.signing().getKeyID())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    long ttlSeconds() {
        return settings.accessTokenTtl().toSeconds();
    }

    @Configuration(proxyBeanMethods = false)
    static class DecoderConfig {

        /** Verifies signature (ES256, known kid only), type, issuer and expiry. */
        @Bean
        JwtDecoder jwtDecoder(SigningKeys keys, JwtSettings settings, Clock clock) {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(
                    new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(keys.publicKeys())));
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
            NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                    new JwtIssuerValidator(settings.issuer()), new JwtTypeValidator("at+jwt")));
            return new VerifiedTokenCache(decoder, clock, 100_000);
        }
    }
}
