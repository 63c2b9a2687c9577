package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.identity.internal.OidcRefusal.Kind;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ID token checks, against a real provider's published keys (mock-oauth2-server's JWKS) and
 * with the service's clock pinned, so the skew boundaries are exact.
 */
class IdTokenVerifierTest {

    private static final String CLIENT = "healthcare-web";
    private static final String NONCE = "nonce-of-this-sign-in";
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static MockOAuth2Server provider;

    @BeforeAll
    static void startProvider() {
        provider = new MockOAuth2Server();
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.shutdown();
    }

    @Test
    void aTokenSignedByTheProviderForThisClientWithTheNonceIsAccepted() throws Exception {
        SignedJWT token = issued(Map.of("nonce", NONCE));

        JWTClaimsSet claims = verifier(clockAt(token.getJWTClaimsSet().getIssueTime().toInstant())).verify(
                token.serialize(), NONCE);

        assertThat(claims.getSubject()).isEqualTo("subject-1");
    }

    @Test
    void expiryIsJudgedOnTheServiceClockWithTheConfiguredSkew() throws Exception {
        SignedJWT token = issued(Map.of("nonce", NONCE));
        Instant expires = token.getJWTClaimsSet().getExpirationTime().toInstant();

        assertThat(verifier(clockAt(expires.plusSeconds(59))).verify(token.serialize(), NONCE)).isNotNull();
        assertRefused(verifier(clockAt(expires.plusSeconds(60))), token.serialize(), "ID token expired");
    }

    @Test
    void aTokenIssuedInTheFutureBeyondTheSkewIsRefused() throws Exception {
        SignedJWT token = issued(Map.of("nonce", NONCE));
        Instant issued = token.getJWTClaimsSet().getIssueTime().toInstant();

        assertRefused(verifier(clockAt(issued.minusSeconds(61))), token.serialize(),
                "ID token issued in the future or without iat");
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderTheProvidersKeyIdIsRefused() throws Exception {
        SignedJWT genuine = issued(Map.of("nonce", NONCE));
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(genuine.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(attacker.getKeyID()).build(), genuine.getJWTClaimsSet());
        forged.sign(new RSASSASigner(attacker));

        assertRefused(verifier(clockAt(Instant.now())), forged.serialize(),
                "ID token signature, algorithm or type not accepted");
    }

    @Test
    void unsignedAndSymmetricallySignedTokensAreRefused() throws Exception {
        JWTClaimsSet claims = issued(Map.of("nonce", NONCE)).getJWTClaimsSet();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner("client-secret-that-is-at-least-256-bits-long!!"));
        IdTokenVerifier verifier = verifier(clockAt(Instant.now()));

        assertRefused(verifier, new PlainJWT(claims).serialize(), "ID token signature, algorithm or type not accepted");
        assertRefused(verifier, hmac.serialize(), "ID token signature, algorithm or type not accepted");
        assertRefused(verifier, "not-a-jwt", "ID token is malformed");
    }

    @Test
    void aTokenForSeveralAudiencesNeedsThisClientAsAuthorizedParty() {
        Map<String, Object> shared = Map.of("iss", issuer(), "sub", "subject-1", "nonce", NONCE,
                "aud", List.of(CLIENT, "other-client"), "iat", Instant.now().getEpochSecond());
        IdTokenVerifier verifier = verifier(clockAt(Instant.now()));

        assertRefused(verifier, provider.anyToken(provider.issuerUrl("google"), shared).serialize(),
                "ID token authorized party is not this client");
        assertRefused(verifier, provider.anyToken(provider.issuerUrl("google"), with(shared, "azp", "other-client"))
                .serialize(), "ID token authorized party is not this client");
        assertThat(verifier.verify(provider.anyToken(provider.issuerUrl("google"), with(shared, "azp", CLIENT))
                .serialize(), NONCE).getSubject()).isEqualTo("subject-1");
    }

    @Test
    void aTokenWithoutNonceIsRefused() throws Exception {
        SignedJWT token = issued(Map.of());

        assertRefused(verifier(clockAt(Instant.now())), token.serialize(), "ID token nonce does not match this sign-in");
    }

    @Test
    void unreachableKeysMakeTheProviderUnavailableNotTheTokenInvalid() throws Exception {
        SignedJWT token = issued(Map.of("nonce", NONCE));
        OidcMetadata offline = new OidcMetadata(issuer(), URI.create("http://127.0.0.1:1/authorize"),
                URI.create("http://127.0.0.1:1/token"), URI.create("http://127.0.0.1:1/jwks"), List.of("RS256"),
                List.of());
        IdTokenVerifier verifier = new IdTokenVerifier(offline, config(), Duration.ofSeconds(2), SKEW,
                clockAt(Instant.now()));

        assertThatThrownBy(() -> verifier.verify(token.serialize(), NONCE)).isInstanceOfSatisfying(OidcRefusal.class,
                r -> assertThat(r.kind()).isEqualTo(Kind.PROVIDER_UNAVAILABLE));
    }

    private static SignedJWT issued(Map<String, Object> claims) {
        return provider.issueToken("google", CLIENT, new DefaultOAuth2TokenCallback("google", "subject-1", "JWT",
                List.of(CLIENT), claims, 300));
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(claims);
        copy.put(name, value);
        return copy;
    }

    private static String issuer() {
        return provider.issuerUrl("google").toString();
    }

    private static OidcSettings.Provider config() {
        return new OidcSettings.Provider(issuer(), List.of(), CLIENT, "secret", List.of("openid", "email"),
                List.of("https://app.tests.invalid/signed-in"), "email_verified");
    }

    private static IdTokenVerifier verifier(Clock clock) {
        OidcMetadata metadata = new OidcMetadata(issuer(), URI.create(provider.authorizationEndpointUrl("google")
                .toString()), URI.create(provider.tokenEndpointUrl("google").toString()),
                URI.create(provider.jwksUrl("google").toString()), List.of("RS256", "HS256"), List.of());
        return new IdTokenVerifier(metadata, config(), Duration.ofSeconds(5), SKEW, clock);
    }

    private static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static void assertRefused(IdTokenVerifier verifier, String token, String detail) {
        assertThatThrownBy(() -> verifier.verify(token, NONCE)).isInstanceOfSatisfying(OidcRefusal.class, r -> {
            assertThat(r.kind()).isEqualTo(Kind.LOGIN_FAILED);
            assertThat(r.detail()).isEqualTo(detail);
        });
    }
}
