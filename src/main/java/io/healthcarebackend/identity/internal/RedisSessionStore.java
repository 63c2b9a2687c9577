package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.config.RuntimeSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Sessions in Redis, shared by every API instance. A session is a hash that expires by itself at
 * the earlier of its idle and absolute deadlines; a per-user set indexes a user's sessions.
 * Rotation is a compare-and-set in a Lua script, so two concurrent refreshes with one token
 * cannot both succeed.
 */
@Component
@ConditionalOnExpression("'${app.redis.url:}' != ''")
class RedisSessionStore implements SessionStore {

    private static final HexFormat HEX = HexFormat.of();
    private static final RedisScript<Long> ROTATE = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'refresh') == ARGV[1] then
              redis.call('HSET', KEYS[1], 'refresh', ARGV[2], 'lastSeen', ARGV[3], 'idleExpires', ARGV[4])
              redis.call('PEXPIREAT', KEYS[1], ARGV[5])
              return 1
            end
            return 0""", Long.class);

    private final StringRedisTemplate redis;
    private final String prefix;

    RedisSessionStore(StringRedisTemplate redis, RuntimeSettings settings) {
        this.redis = redis;
        this.prefix = settings.redis().keyPrefix();
    }

    @Override
    public void create(Session s) {
        String key = key(s.id());
        redis.opsForHash().putAll(key, Map.of(
                "clinic", s.clinicId() == null ? "" : s.clinicId().toString(),
                "user", s.userId().toString(),
                "role", s.role().name(),
                "refresh", HEX.formatHex(s.refreshHash()),
                "created", Long.toString(s.createdAt().toEpochMilli()),
                "lastSeen", Long.toString(s.lastSeenAt().toEpochMilli()),
                "expires", Long.toString(s.expiresAt().toEpochMilli()),
                "idleExpires", Long.toString(s.idleExpiresAt().toEpochMilli()),
                "ip", nonNull(s.ip()),
                "ua", nonNull(s.userAgent())));
        redis.expireAt(key, earlier(s.expiresAt(), s.idleExpiresAt()));
        String index = userKey(s.userId());
        redis.opsForSet().add(index, s.id().toString());
        redis.expireAt(index, s.expiresAt());
    }

    @Override
    public Optional<Session> find(ClinicId clinic, UUID id) {
        Map<Object, Object> fields = redis.opsForHash().entries(key(id));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Session session = map(id, fields);
        return java.util.Objects.equals(session.clinicId(), clinic) ? Optional.of(session) : Optional.empty();
    }

    @Override
    public boolean rotate(ClinicId clinic, UUID id, byte[] expectedHash, byte[] newHash, Instant now,
            Instant idleExpiresAt) {
        Optional<Session> current = find(clinic, id);
        if (current.isEmpty()) {
            return false;
        }
        Instant deadline = earlier(current.get().expiresAt(), idleExpiresAt);
        Long done = redis.execute(ROTATE, List.of(key(id)), HEX.formatHex(expectedHash), HEX.formatHex(newHash),
                Long.toString(now.toEpochMilli()), Long.toString(idleExpiresAt.toEpochMilli()),
                Long.toString(deadline.toEpochMilli()));
        return done != null && done == 1L;
    }

    @Override
    public void revoke(ClinicId clinic, UUID id) {
        find(clinic, id).ifPresent(s -> {
            redis.delete(key(id));
            redis.opsForSet().remove(userKey(s.userId()), id.toString());
        });
    }

    @Override
    public List<UUID> revokeAll(ClinicId clinic, UserId user) {
        Set<String> ids = redis.opsForSet().members(userKey(user));
        List<UUID> revoked = new ArrayList<>();
        if (ids != null) {
            for (String id : ids) {
                revoked.add(UUID.fromString(id));
                redis.delete(key(UUID.fromString(id)));
            }
        }
        redis.delete(userKey(user));
        return revoked;
    }

    @Override
    public List<Session> listOf(ClinicId clinic, UserId user) {
        Set<String> ids = redis.opsForSet().members(userKey(user));
        List<Session> sessions = new ArrayList<>();
        if (ids == null) {
            return sessions;
        }
        for (String id : ids) {
            Optional<Session> session = find(clinic, UUID.fromString(id));
            if (session.isPresent()) {
                sessions.add(session.get());
            } else {
                redis.opsForSet().remove(userKey(user), id);
            }
        }
        sessions.sort(java.util.Comparator.comparing(Session::createdAt));
        return sessions;
    }

    @Override
    public boolean isActive(ClinicId clinic, UUID id, Instant now) {
        Object owner = redis.opsForHash().get(key(id), "clinic");
        return owner != null && owner.equals(clinic == null ? "" : clinic.toString());
    }

    @Override
    public int purgeExpired() {
        return 0;
    }

    private String key(UUID id) {
        return prefix + "session:" + id;
    }

    private String userKey(UserId user) {
        return prefix + "user-sessions:" + user;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static Session map(UUID id, Map<Object, Object> f) {
        String clinic = (String) f.get("clinic");
        return new Session(id, clinic.isEmpty() ? null : ClinicId.of(clinic),
                new UserId(UUID.fromString((String) f.get("user"))), Role.valueOf((String) f.get("role")),
                HEX.parseHex((String) f.get("refresh")), millis(f, "created"), millis(f, "lastSeen"),
                millis(f, "expires"), millis(f, "idleExpires"), emptyToNull(f.get("ip")), emptyToNull(f.get("ua")));
    }

    private static Instant millis(Map<Object, Object> f, String field) {
        return Instant.ofEpochMilli(Long.parseLong((String) f.get(field)));
    }

    private static String emptyToNull(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
