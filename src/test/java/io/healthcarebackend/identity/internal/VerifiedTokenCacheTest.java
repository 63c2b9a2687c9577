package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2027-01-01T10:00:00Z");

    private final AtomicInteger verifications = new AtomicInteger();
    private final MutableClock clock = new MutableClock(NOW);

    private JwtDecoder verifier(Instant expiresAt) {
        return token -> {
            verifications.incrementAndGet();
            if (token.startsWith("bad")) {
                throw new BadJwtException("signature");
            }
            return Jwt.withTokenValue(token).header("alg", "ES256").subject("user")
                    .issuedAt(NOW).expiresAt(expiresAt).build();
        };
    }

    @Test
    void aTokenIsVerifiedOnceAndThenServedFromTheCache() {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier(NOW.plusSeconds(300)), clock, 10);
        assertThat(cache.decode("token-a").getSubject()).isEqualTo("user");
        assertThat(cache.decode("token-a").getSubject()).isEqualTo("user");
        assertThat(verifications).hasValue(1);
        cache.decode("token-b");
        assertThat(verifications).as("another token text is verified on its own").hasValue(2);
    }

    @Test
    void aCachedTokenIsRefusedOnceItHasExpired() {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier(NOW.plusSeconds(300)), clock, 10);
        cache.decode("token-a");
        clock.advance(Duration.ofSeconds(301));
        assertThatThrownBy(() -> cache.decode("token-a")).isInstanceOf(BadJwtException.class);
    }

    @Test
    void failuresAreNotCached() {
        VerifiedTokenCache cache = new VerifiedTokenCache(verifier(NOW.plusSeconds(300)), clock, 10);
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }
}
