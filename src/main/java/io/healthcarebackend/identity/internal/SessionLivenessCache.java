package io.healthcarebackend.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.security.SessionLiveness;
import io.healthcarebackend.platform.security.SessionsEnded;
import io.healthcarebackend.platform.web.Outages;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Answers "is this token's session still alive, and is it the token's?" on every request. The
 * store compares user, clinic and role of the token with the session record it names: a token that
 * differs (minted for another session, or carrying a role the session no longer has) is refused.
 * Answers are cached for one second per token identity (user, clinic, role, session) and network:
 * that bounds how long another instance may honour a revoked session, while a busy user's requests
 * cost one store call per second instead of one each. The store call also notes the network the
 * session is used from, so a session used from two networks at once is seen
 * ({@link SuspiciousActivity}). Revocations made by this instance are evicted at once, and announced
 * ({@link SessionsEnded}) so open streams of the session end too.
 *
 * <p><b>When the store is unreachable</b> (Redis down; {@link Outages} decides what counts) the check
 * fails open: the access token's signature and expiry were verified, so the request goes on, and a
 * session ended elsewhere stays usable at most until its access token expires ({@code ACCESS_TOKEN_TTL},
 * 5 minutes). Sessions this instance ended or saw ended are still refused. After a failure the store is
 * not asked again for a second, then by one request at a time, so an outage costs no request more
 * than one Redis timeout and most none. Sign-in, refresh and MFA do not fail open: they need the store.
 */
@Component
class SessionLivenessCache implements SessionLiveness {

    static final Duration TTL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(SessionLivenessCache.class);

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
    /** Sessions ended by this instance, and token identities the store refused: kept while a token may live. */
    private final Cache<UUID, Boolean> endedHere;
    private final Cache<CurrentUser, Boolean> refused;
    /** {@code System.nanoTime()} before which the store is not asked; 0 while it answers. */
    private final AtomicLong downUntil = new AtomicLong();
    private final AtomicBoolean probing = new AtomicBoolean();

    private record Key(CurrentUser token, String network) {
    }

    SessionLivenessCache(SessionStore store, SessionCipher cipher, SuspiciousActivity suspicious,
            SessionSettings settings, JwtSettings jwt, Clock clock, ApplicationEventPublisher events) {
        this.store = store;
        this.cipher = cipher;
        this.suspicious = suspicious;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        Duration tokenLifetime = jwt.accessTokenTtl() == null ? Duration.ofMinutes(5) : jwt.accessTokenTtl();
        this.endedHere = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(tokenLifetime.plusMinutes(1))
                .build();
        this.refused = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(tokenLifetime.plusMinutes(1))
                .build();
    }

    @Override
    public boolean isActive(CurrentUser user, String clientIp) {
        String network = clientIp == null ? "" : networks.get(clientIp, ip -> nonNull(cipher.network(ip)));
        Key key = new Key(user, network);
        Boolean cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        if (endedHere.getIfPresent(user.sessionId()) != null) {
            return false;
        }
        if (!mayAskStore()) {
            return failOpen(user);
        }
        Session.Liveness liveness;
        try {
            liveness = store.touch(user, network.isEmpty() ? null : network, clock.instant(),
                    settings.suspicious().concurrentWindow());
            storeAnswered();
        } catch (RuntimeException e) {
            if (!Outages.isOutage(e)) {
                probing.set(false);
                throw e;
            }
            storeFailed(e);
            return failOpen(user);
        }
        boolean active = switch (liveness) {
            case GONE -> false;
            case ACTIVE -> true;
            case OTHER_NETWORK_AT_ONCE -> suspicious.usedFromTwoNetworksAtOnce(user);
        };
        if (liveness == Session.Liveness.OTHER_NETWORK_AT_ONCE && !active) {
            evict(user.sessionId()); // answers cached for the session's other network end now too
        }
        if (!active) {
            refused.put(user, Boolean.TRUE);
        }
        cache.put(key, active);
        return active;
    }

    void evict(UUID sessionId) {
        endedHere.put(sessionId, Boolean.TRUE);
        cache.asMap().keySet().removeIf(key -> key.token().sessionId().equals(sessionId));
        events.publishEvent(new SessionsEnded(List.of(sessionId)));
    }

    void evictAll(Collection<UUID> sessionIds) {
        sessionIds.forEach(id -> endedHere.put(id, Boolean.TRUE));
        cache.asMap().keySet().removeIf(key -> sessionIds.contains(key.token().sessionId()));
        events.publishEvent(SessionsEnded.of(sessionIds));
    }

    /** While the store is down: not before the retry time, and then one request at a time. */
    private boolean mayAskStore() {
        long until = downUntil.get();
        if (until == 0) {
            return true;
        }
        return System.nanoTime() - until >= 0 && probing.compareAndSet(false, true);
    }

    private void storeAnswered() {
        probing.set(false);
        if (downUntil.getAndSet(0) != 0) {
            log.info("Session store reachable again: session checks are exact again");
        }
    }

    private void storeFailed(RuntimeException e) {
        long previous = downUntil.getAndSet(Math.max(1, System.nanoTime() + RETRY.toNanos()));
        probing.set(false);
        if (previous == 0) {
            // The class only: a store error message can quote a key.
            log.warn("Session store unreachable ({}): access tokens are accepted on their signature and expiry "
                    + "until it is back (sessions ended elsewhere meanwhile: at most until their token expires)",
                    e.getClass().getSimpleName());
        }
    }

    private boolean failOpen(CurrentUser user) {
        return endedHere.getIfPresent(user.sessionId()) == null && refused.getIfPresent(user) == null;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
