package io.healthcarebackend.identity.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.healthcarebackend.identity.internal.OidcRefusal.Kind;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a provider's ID token (OpenID Connect Core 3.1.3.7): signed with an asymmetric algorithm
 * the provider announced, by a key from its JWKS (fetched with a bounded timeout, cached, fetched
 * again for an unknown key id); issued by the provider; for this client ({@code aud}, and
 * {@code azp} when present); within its lifetime on the service's clock with a small skew; and
 * answering this sign-in's nonce. Anything else is refused.
 */
final class IdTokenVerifier {

    /** Never "none" nor an HMAC (whose key would be the client secret, or guessable). */
    private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Set<String> issuers;
    private final String clientId;
    private final Duration skew;
    private final Clock clock;

    IdTokenVerifier(OidcMetadata metadata, OidcSettings.Provider provider, Duration timeout, Duration skew,
            Clock clock) {
        this.clientId = provider.clientId();
        this.skew = skew;
        this.clock = clock;
        this.issuers = new LinkedHashSet<>(List.of(metadata.issuer()));
        this.issuers.addAll(provider.acceptedIssuers());
        int millis = (int) timeout.toMillis();
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(metadata.jwksUri().toURL(),
                    new DefaultResourceRetriever(millis, millis, MAX_JWKS_BYTES)).build();
        } catch (MalformedURLException e) {
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "provider's jwks_uri is not a URL");
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms(metadata), keys));
        // The claims are checked below, explicitly and against the service's clock.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    JWTClaimsSet verify(String idToken, String expectedNonce) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(idToken, null);
        } catch (ParseException e) {
            throw new OidcRefusal(Kind.LOGIN_FAILED, "ID token is malformed");
        } catch (BadJOSEException e) {
            throw new OidcRefusal(Kind.LOGIN_FAILED, "ID token signature, algorithm or type not accepted");
        } catch (KeySourceException e) {
            throw new OidcRefusal(Kind.PROVIDER_UNAVAILABLE, "provider's signing keys cannot be fetched", e);
        } catch (JOSEException e) {
            throw new OidcRefusal(Kind.LOGIN_FAILED, "ID token signature cannot be verified");
        }
        checkClaims(claims, expectedNonce);
        return claims;
    }

    private void checkClaims(JWTClaimsSet claims, String expectedNonce) {
        if (claims.getIssuer() == null || !issuers.contains(claims.getIssuer())) {
            throw refused("ID token issuer is not the provider");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(clientId)) {
            throw refused("ID token audience is not this client");
        }
        Object azp = claims.getClaim("azp");
        if ((audience.size() > 1 || azp != null) && !clientId.equals(azp)) {
            throw refused("ID token authorized party is not this client");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw refused("ID token has no subject");
        }
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null || !now.isBefore(expires.toInstant().plus(skew))) {
            throw refused("ID token expired");
        }
        Date issued = claims.getIssueTime();
        if (issued == null || issued.toInstant().isAfter(now.plus(skew))) {
            throw refused("ID token issued in the future or without iat");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(skew))) {
            throw refused("ID token not valid yet");
        }
        if (!(claims.getClaim("nonce") instanceof String nonce) || !MessageDigest.isEqual(
                nonce.getBytes(StandardCharsets.UTF_8), expectedNonce.getBytes(StandardCharsets.UTF_8))) {
            throw refused("ID token nonce does not match this sign-in");
        }
    }

    /** The provider's announced algorithms that are asymmetric; RS256 (which every provider must offer) if none. */
    private static Set<JWSAlgorithm> algorithms(OidcMetadata metadata) {
        Set<JWSAlgorithm> accepted = metadata.signingAlgorithms().stream().filter(ASYMMETRIC::contains)
                .map(JWSAlgorithm::parse).collect(Collectors.toCollection(LinkedHashSet::new));
        return accepted.isEmpty() ? Set.of(JWSAlgorithm.RS256) : accepted;
    }

    private static OidcRefusal refused(String detail) {
        return new OidcRefusal(Kind.LOGIN_FAILED, detail);
    }
}
