package io.healthcarebackend.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.security.SessionLiveness;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Answers "is this token's session still alive?" on every request. Answers are cached for one
 * second: that bounds how long another instance may honour a revoked session, while a busy
 * user's requests cost one store lookup per second instead of one each. Revocations made by this
 * instance are evicted at once.
 */
@Component
class SessionLivenessCache implements SessionLiveness {

    static final Duration TTL = Duration.ofSeconds(1);

    private final SessionStore store;
    private final Clock clock;
    private final Cache<UUID, Boolean> cache = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(TTL)
            .build();

    SessionLivenessCache(SessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean isActive(CurrentUser user) {
        return cache.get(user.sessionId(), id -> store.isActive(user.clinicId(), id, clock.instant()));
    }

    void evict(UUID sessionId) {
        cache.invalidate(sessionId);
    }

    void evictAll(Collection<UUID> sessionIds) {
        cache.invalidateAll(sessionIds);
    }
}
