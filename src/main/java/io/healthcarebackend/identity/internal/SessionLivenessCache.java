package io.healthcarebackend.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.security.SessionLiveness;
import io.healthcarebackend.platform.security.SessionsEnded;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Answers "is this token's session still alive?" on every request. Answers are cached for one
 * second per session and network: that bounds how long another instance may honour a revoked
 * session, while a busy user's requests cost one store call per second instead of one each. The
 * store call also notes the network the session is used from, so a session used from two networks
 * at once is seen ({@link SuspiciousActivity}). Revocations made by this instance are evicted at
 * once, and announced ({@link SessionsEnded}) so open streams of the session end too.
 */
@Component
class SessionLivenessCache implements SessionLiveness {

    static final Duration TTL = Duration.ofSeconds(1);

    private final SessionStore store;
    private final SessionCipher cipher;
    private final SuspiciousActivity suspicious;
    private final SessionSettings settings;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Cache<Key, Boolean> cache = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(TTL)
            .build();
    /** Networks already hashed: the keyed hash costs more than the lookup. */
    private final Cache<String, String> networks = Caffeine.newBuilder().maximumSize(50_000).build();

    private record Key(UUID session, String network) {
    }

    SessionLivenessCache(SessionStore store, SessionCipher cipher, SuspiciousActivity suspicious,
            SessionSettings settings, Clock clock, ApplicationEventPublisher events) {
        this.store = store;
        this.cipher = cipher;
        this.suspicious = suspicious;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public boolean isActive(CurrentUser user, String clientIp) {
        String network = clientIp == null ? "" : networks.get(clientIp, ip -> nonNull(cipher.network(ip)));
        Key key = new Key(user.sessionId(), network);
        Boolean cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Session.Liveness liveness = store.touch(user.clinicId(), user.sessionId(),
                network.isEmpty() ? null : network, clock.instant(), settings.suspicious().concurrentWindow());
        boolean active = switch (liveness) {
            case GONE -> false;
            case ACTIVE -> true;
            case OTHER_NETWORK_AT_ONCE -> suspicious.usedFromTwoNetworksAtOnce(user);
        };
        if (liveness == Session.Liveness.OTHER_NETWORK_AT_ONCE && !active) {
            evict(user.sessionId()); // answers cached for the session's other network end now too
        }
        cache.put(key, active);
        return active;
    }

    void evict(UUID sessionId) {
        cache.asMap().keySet().removeIf(key -> key.session().equals(sessionId));
        events.publishEvent(new SessionsEnded(List.of(sessionId)));
    }

    void evictAll(Collection<UUID> sessionIds) {
        cache.asMap().keySet().removeIf(key -> sessionIds.contains(key.session()));
        events.publishEvent(SessionsEnded.of(sessionIds));
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
