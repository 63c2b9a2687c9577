package io.healthcarebackend.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.config.RuntimeSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Counts failed logins per account in a fixed window (Redis when configured, so all instances
 * count together; process memory otherwise) and reports a burst once, when the count reaches the
 * threshold. Keys hold the user id, never the e-mail.
 */
@Component
class FailedLogins {

    private final StringRedisTemplate redis;
    private final String prefix;
    private final SessionSettings settings;
    private final SuspiciousActivity suspicious;
    private final Cache<String, AtomicInteger> local;

    FailedLogins(ObjectProvider<StringRedisTemplate> redis, RuntimeSettings runtime, SessionSettings settings,
            SuspiciousActivity suspicious) {
        this.redis = redis.getIfAvailable();
        this.prefix = runtime.redis().keyPrefix();
        this.settings = settings;
        this.suspicious = suspicious;
        this.local = Caffeine.newBuilder().expireAfterWrite(window()).maximumSize(100_000).build();
    }

    void failed(StaffUser user) {
        int count;
        try {
            count = count(user.id().toString());
        } catch (RuntimeException e) {
            return; // Detection is best effort: an unreachable Redis must not turn a 401 into a 500.
        }
        if (count == settings.suspicious().failureBurst()) {
            suspicious.failedLoginBurst(user, count);
        }
    }

    private int count(String user) {
        if (redis == null) {
            return local.get(user, k -> new AtomicInteger()).incrementAndGet();
        }
        String key = prefix + "login-failures:" + user;
        Long count = redis.opsForValue().increment(key);
        if (count != null && count == 1L) {
            redis.expire(key, window());
        }
        return count == null ? 0 : count.intValue();
    }

    private Duration window() {
        return settings.suspicious().failureWindow();
    }
}
