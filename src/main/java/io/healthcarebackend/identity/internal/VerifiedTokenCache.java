package io.healthcarebackend.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.healthcarebackend.platform.security.KnownTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Verifies each access token once for its lifetime. An ES256 signature check costs far more than
 * the rest of a typical request (it was half the service's CPU under load), and a client sends the
 * same token for minutes. The cache is keyed by the exact token text, so a token only ever maps to
 * the result of verifying that very text; an entry lives no longer than the token is valid, and
 * expiry is checked again on every use. Failures are never cached. Whether the session behind the
 * token is still alive is checked separately on every request ({@link SessionLivenessCache}).
 * Verification needs nothing but the public keys in memory, so it keeps working through a Redis
 * or database outage.
 */
final class VerifiedTokenCache implements JwtDecoder, KnownTokens {

    private final JwtDecoder verifier;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    VerifiedTokenCache(JwtDecoder verifier, Clock clock, int maximumSize) {
        this.verifier = verifier;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(maximumSize).expireAfter(new UntilExpiry(clock)).build();
    }

    @Override
    public Jwt decode(String token) {
        Jwt jwt = verified.get(token, verifier::decode);
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null || !clock.instant().isBefore(expiresAt)) {
            verified.invalidate(token);
            throw new BadJwtException("Jwt expired");
        }
        return jwt;
    }

    @Override
    public boolean isKnown(String token) {
        Jwt jwt = verified.getIfPresent(token);
        return jwt != null && jwt.getExpiresAt() != null && clock.instant().isBefore(jwt.getExpiresAt());
    }

    private record UntilExpiry(Clock clock) implements Expiry<String, Jwt> {
        @Override
        public long expireAfterCreate(String token, Jwt jwt, long currentTime) {
            Instant expiresAt = jwt.getExpiresAt();
            return expiresAt == null ? 0 : Math.max(0, Duration.between(clock.instant(), expiresAt).toNanos());
        }

        @Override
        public long expireAfterUpdate(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String token, Jwt jwt, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
