package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.config.RuntimeSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Started sign-ins in Redis: one key each that expires by itself; GETDEL makes a state single-use. */
@Component
@ConditionalOnExpression("'${app.redis.url:}' != ''")
class RedisOidcPendingLogins implements OidcPendingLogins {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final StringRedisTemplate redis;
    private final String prefix;
    private final Clock clock;

    RedisOidcPendingLogins(StringRedisTemplate redis, RuntimeSettings settings, Clock clock) {
        this.redis = redis;
        this.prefix = settings.redis().keyPrefix();
        this.clock = clock;
    }

    @Override
    public void save(byte[] stateHash, OidcPendingLogin login) {
        Duration ttl = Duration.between(clock.instant(), login.expiresAt());
        redis.opsForValue().set(key(stateHash), JSON.writeValueAsString(login), ttl);
    }

    @Override
    public Optional<OidcPendingLogin> take(byte[] stateHash) {
        String value = redis.opsForValue().getAndDelete(key(stateHash));
        return value == null ? Optional.empty() : Optional.of(JSON.readValue(value, OidcPendingLogin.class));
    }

    String key(byte[] stateHash) {
        return prefix + "oidc-login:" + HexFormat.of().formatHex(stateHash);
    }
}
