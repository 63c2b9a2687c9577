package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.config.RuntimeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Sessions in Redis, shared by every API instance. A session is a hash that expires by itself at
 * the earlier of its idle and absolute deadlines; a per-user set indexes a user's sessions (stale
 * entries are pruned hourly). Rotation and the per-request liveness check are Lua scripts, so two
 * concurrent refreshes with one token cannot both succeed and a network change is seen once.
 *
 * <p>At rest the hash holds ids, timestamps and the refresh token's SHA-256; IP address, user agent
 * and device are encrypted ({@link SessionCipher}) and the network is a keyed hash.
 */
@Component
@ConditionalOnExpression("'${app.redis.url:}' != ''")
class RedisSessionStore implements SessionStore {

    private static final HexFormat HEX = HexFormat.of();
    /** Compare-and-set; the retired hash joins the comma-separated list, newest first, capped (ARGV[9] characters). */
    private static final RedisScript<Long> ROTATE = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'refresh') == ARGV[1] then
              local retired = redis.call('HGET', KEYS[1], 'retired')
              local list = ARGV[1]
              if retired and retired ~= '' then list = string.sub(ARGV[1] .. ',' .. retired, 1, tonumber(ARGV[9])) end
              redis.call('HSET', KEYS[1], 'refresh', ARGV[2], 'lastSeen', ARGV[3], 'idleExpires', ARGV[4],
                'ip', ARGV[6], 'ua', ARGV[7], 'net', ARGV[8], 'netAt', ARGV[3], 'retired', list, 'rotatedAt', ARGV[3])
              redis.call('PEXPIREAT', KEYS[1], ARGV[5])
              return 1
            end
            return 0""", Long.class);
    /**
     * 0 gone (or not the token's: another clinic, user or role), 1 alive, 2 alive but another
     * network used it within the window.
     */
    private static final RedisScript<Long> TOUCH = RedisScript.of("""
            local f = redis.call('HMGET', KEYS[1], 'clinic', 'net', 'netAt', 'flag', 'user', 'role')
            if not f[1] or f[1] ~= ARGV[1] or f[5] ~= ARGV[5] or f[6] ~= ARGV[6] then return 0 end
            local result = 1
            if ARGV[2] ~= '' then
              if f[2] and f[2] ~= '' and f[2] ~= ARGV[2] and (not f[4] or f[4] == '')
                  and tonumber(ARGV[3]) - tonumber(f[3] or '0') < tonumber(ARGV[4]) then
                result = 2
              end
              if f[2] ~= ARGV[2] or tonumber(ARGV[3]) - tonumber(f[3] or '0') > 1000 then
                redis.call('HSET', KEYS[1], 'net', ARGV[2], 'netAt', ARGV[3])
              end
            end
            return result""", Long.class);

    private final StringRedisTemplate redis;
    private final SessionCipher cipher;
    private final String prefix;

    RedisSessionStore(StringRedisTemplate redis, SessionCipher cipher, RuntimeSettings settings) {
        this.redis = redis;
        this.cipher = cipher;
        this.prefix = settings.redis().keyPrefix();
    }

    @Override
    public void create(Session s) {
        String key = key(s.id());
        Map<String, String> fields = new HashMap<>();
        fields.put("clinic", clinicValue(s.clinicId()));
        fields.put("user", s.userId().toString());
        fields.put("role", s.role().name());
        fields.put("refresh", HEX.formatHex(s.refreshHash()));
        fields.put("created", millis(s.createdAt()));
        fields.put("lastSeen", millis(s.lastSeenAt()));
        fields.put("expires", millis(s.expiresAt()));
        fields.put("idleExpires", millis(s.idleExpiresAt()));
        fields.put("ip", cipher.seal(s.id(), "ip", s.ip()));
        fields.put("ua", cipher.seal(s.id(), "ua", s.userAgent()));
        fields.put("device", cipher.seal(s.id(), "device", s.device()));
        fields.put("net", nonNull(s.network()));
        fields.put("netAt", millis(s.lastSeenAt()));
        fields.put("flag", "");
        redis.opsForHash().putAll(key, fields);
        redis.expireAt(key, earlier(s.expiresAt(), s.idleExpiresAt()));
        String index = userKey(s.userId());
        redis.opsForSet().add(index, s.id().toString());
        redis.expireAt(index, s.expiresAt());
    }

    @Override
    public Optional<Session> find(ClinicId clinic, UUID id) {
        Map<Object, Object> fields = redis.opsForHash().entries(key(id));
        if (fields.isEmpty() || !Objects.equals(fields.get("clinic"), clinicValue(clinic))) {
            return Optional.empty();
        }
        return Optional.of(map(id, fields));
    }

    @Override
    public boolean rotate(ClinicId clinic, UUID id, Session.Rotation r) {
        Optional<Session> current = find(clinic, id);
        if (current.isEmpty()) {
            return false;
        }
        Instant deadline = earlier(current.get().expiresAt(), r.idleExpiresAt());
        Long done = redis.execute(ROTATE, List.of(key(id)), HEX.formatHex(r.expectedHash()),
                HEX.formatHex(r.newHash()), millis(r.now()), millis(r.idleExpiresAt()), millis(deadline),
                cipher.seal(id, "ip", r.ip()), cipher.seal(id, "ua", r.userAgent()), nonNull(r.network()),
                Integer.toString(Session.RETIRED_KEPT * 65 - 1));
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
        sessions.sort(Comparator.comparing(Session::createdAt));
        return sessions;
    }

    @Override
    public Session.Liveness touch(CurrentUser token, String network, Instant now, Duration window) {
        Long answer = redis.execute(TOUCH, List.of(key(token.sessionId())), clinicValue(token.clinicId()),
                nonNull(network), millis(now), Long.toString(window.toMillis()), token.id().toString(),
                token.role().name());
        if (answer == null || answer == 0L) {
            return Session.Liveness.GONE;
        }
        return answer == 2L ? Session.Liveness.OTHER_NETWORK_AT_ONCE : Session.Liveness.ACTIVE;
    }

    @Override
    public void flag(ClinicId clinic, UUID id, String reason) {
        if (find(clinic, id).isPresent()) {
            redis.opsForHash().put(key(id), "flag", reason);
        }
    }

    /** Sessions expire by themselves; what is left is index entries of expired sessions. */
    @Override
    public int purgeExpired() {
        int removed = 0;
        ScanOptions pattern = ScanOptions.scanOptions().match(prefix + "user-sessions:*").count(500).build();
        try (Cursor<String> indexes = redis.scan(pattern)) {
            while (indexes.hasNext()) {
                String index = indexes.next();
                Set<String> ids = redis.opsForSet().members(index);
                for (String id : ids == null ? Set.<String>of() : ids) {
                    if (!Boolean.TRUE.equals(redis.hasKey(key(UUID.fromString(id))))) {
                        redis.opsForSet().remove(index, id);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    private String key(UUID id) {
        return prefix + "session:" + id;
    }

    private String userKey(UserId user) {
        return prefix + "user-sessions:" + user;
    }

    private static String clinicValue(ClinicId clinic) {
        return clinic == null ? "" : clinic.toString();
    }

    private static String millis(Instant at) {
        return Long.toString(at.toEpochMilli());
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private Session map(UUID id, Map<Object, Object> f) {
        String clinic = (String) f.get("clinic");
        return new Session(id, clinic.isEmpty() ? null : ClinicId.of(clinic),
                new UserId(UUID.fromString((String) f.get("user"))), Role.valueOf((String) f.get("role")),
                HEX.parseHex((String) f.get("refresh")), instant(f, "created"), instant(f, "lastSeen"),
                instant(f, "expires"), instant(f, "idleExpires"), cipher.open(id, "ip", f.get("ip")),
                cipher.open(id, "ua", f.get("ua")), cipher.open(id, "device", f.get("device")),
                emptyToNull(f.get("net")), emptyToNull(f.get("flag")), retired(f.get("retired")),
                f.get("rotatedAt") == null ? null : instant(f, "rotatedAt"));
    }

    /** Hex SHA-256 hashes, comma-separated, newest first. */
    private static List<byte[]> retired(Object field) {
        if (field == null || field.toString().isEmpty()) {
            return List.of();
        }
        return java.util.Arrays.stream(field.toString().split(",")).map(HEX::parseHex).toList();
    }

    private static Instant instant(Map<Object, Object> f, String field) {
        return Instant.ofEpochMilli(Long.parseLong((String) f.get(field)));
    }

    private static String emptyToNull(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
