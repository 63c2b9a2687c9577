package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.TenantTx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Single-node session store: the {@code auth_sessions} table, under row-level security. */
@Component
@ConditionalOnExpression("'${app.redis.url:}' == ''")
class PgSessionStore implements SessionStore {

    private static final String COLUMNS = "id, clinic_id, user_id, role, refresh_hash, created_at, last_seen_at, "
            + "expires_at, idle_expires_at, ip, user_agent, device, network, network_at, flag";
    private static final String READ_COLUMNS = COLUMNS + ", retired_hashes, rotated_at";
    private static final String THIS_SESSION = " where id = :id and clinic_id is not distinct from cast(:clinic as uuid)";

    private final JdbcClient jdbc;
    private final TenantTx tx;

    PgSessionStore(JdbcClient jdbc, TenantTx tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public void create(Session s) {
        tx.inClinic(s.clinicId(), () -> jdbc.sql("insert into auth_sessions (" + COLUMNS + ") values "
                + "(:id, cast(:clinic as uuid), :user, :role, :hash, :created, :seen, :expires, :idle, :ip, :ua, "
                + ":device, :network, :seen, null)")
                .param("id", s.id()).param("clinic", clinicValue(s.clinicId())).param("user", s.userId().value())
                .param("role", s.role().name()).param("hash", s.refreshHash())
                .param("created", ts(s.createdAt())).param("seen", ts(s.lastSeenAt()))
                .param("expires", ts(s.expiresAt())).param("idle", ts(s.idleExpiresAt()))
                .param("ip", s.ip()).param("ua", s.userAgent()).param("device", s.device())
                .param("network", s.network())
                .update());
    }

    @Override
    public Optional<Session> find(ClinicId clinic, UUID id) {
        return tx.readInClinic(clinic, () -> jdbc.sql("select " + READ_COLUMNS + " from auth_sessions" + THIS_SESSION)
                .param("id", id).param("clinic", clinicValue(clinic))
                .query(PgSessionStore::map).optional());
    }

    /**
     * One conditional UPDATE: of two refreshes with one token, exactly one finds the expected hash.
     * (The slice is written {@code [1 : n]}: without the spaces {@code :n} would read as a parameter.)
     */
    @Override
    public boolean rotate(ClinicId clinic, UUID id, Session.Rotation r) {
        return tx.inClinic(clinic, () -> jdbc.sql("update auth_sessions set refresh_hash = :new, last_seen_at = :now, "
                + "idle_expires_at = :idle, ip = :ip, user_agent = :ua, network = :network, network_at = :now, "
                + "retired_hashes = (array[refresh_hash] || retired_hashes)[1 : " + Session.RETIRED_KEPT + "], "
                + "rotated_at = :now"
                + THIS_SESSION + " and refresh_hash = :expected")
                .param("new", r.newHash()).param("now", ts(r.now())).param("idle", ts(r.idleExpiresAt()))
                .param("ip", r.ip()).param("ua", r.userAgent()).param("network", r.network())
                .param("id", id).param("clinic", clinicValue(clinic)).param("expected", r.expectedHash())
                .update()) == 1;
    }

    @Override
    public void revoke(ClinicId clinic, UUID id) {
        tx.inClinic(clinic, () -> jdbc.sql("delete from auth_sessions" + THIS_SESSION)
                .param("id", id).param("clinic", clinicValue(clinic)).update());
    }

    @Override
    public List<UUID> revokeAll(ClinicId clinic, UserId user) {
        return tx.inClinic(clinic, () -> jdbc.sql(
                "delete from auth_sessions where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid) returning id")
                .param("user", user.value()).param("clinic", clinicValue(clinic))
                .query(UUID.class).list());
    }

    @Override
    public List<Session> listOf(ClinicId clinic, UserId user) {
        return tx.readInClinic(clinic, () -> jdbc.sql("select " + READ_COLUMNS + " from auth_sessions "
                + "where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid) "
                + "and expires_at > now() and idle_expires_at > now() order by created_at")
                .param("user", user.value()).param("clinic", clinicValue(clinic))
                .query(PgSessionStore::map).list());
    }

    /** One read; a write only when the network changed or was last noted over 15 s ago. */
    @Override
    public Session.Liveness touch(CurrentUser token, String network, Instant now, Duration window) {
        ClinicId clinic = token.clinicId();
        UUID id = token.sessionId();
        return tx.inClinic(clinic, () -> {
            Optional<Seen> seen = jdbc.sql("select network, network_at, flag from auth_sessions" + THIS_SESSION
                    + " and user_id = :user and role = :role and expires_at > :now and idle_expires_at > :now")
                    .param("id", id).param("clinic", clinicValue(clinic)).param("user", token.id().value())
                    .param("role", token.role().name()).param("now", ts(now))
                    .query((rs, row) -> new Seen(rs.getString("network"), instant(rs, "network_at"),
                            rs.getString("flag")))
                    .optional();
            if (seen.isEmpty()) {
                return Session.Liveness.GONE;
            }
            if (network == null) {
                return Session.Liveness.ACTIVE;
            }
            Seen last = seen.get();
            boolean changed = !Objects.equals(last.network(), network);
            if (changed || last.at() == null || last.at().isBefore(now.minusSeconds(15))) {
                jdbc.sql("update auth_sessions set network = :network, network_at = :now" + THIS_SESSION)
                        .param("network", network).param("now", ts(now)).param("id", id)
                        .param("clinic", clinicValue(clinic)).update();
            }
            boolean atOnce = changed && last.network() != null && last.flag() == null && last.at() != null
                    && last.at().isAfter(now.minus(window));
            return atOnce ? Session.Liveness.OTHER_NETWORK_AT_ONCE : Session.Liveness.ACTIVE;
        });
    }

    private record Seen(String network, Instant at, String flag) {
    }

    @Override
    public void flag(ClinicId clinic, UUID id, String reason) {
        tx.inClinic(clinic, () -> jdbc.sql("update auth_sessions set flag = :reason" + THIS_SESSION)
                .param("reason", reason).param("id", id).param("clinic", clinicValue(clinic)).update());
    }

    @Override
    public int purgeExpired() {
        return jdbc.sql("select auth_purge_expired_sessions()").query(Integer.class).single();
    }

    private static UUID clinicValue(ClinicId clinic) {
        return clinic == null ? null : clinic.value();
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private static Session map(ResultSet rs, int row) throws SQLException {
        UUID clinic = rs.getObject("clinic_id", UUID.class);
        return new Session(rs.getObject("id", UUID.class), clinic == null ? null : new ClinicId(clinic),
                new UserId(rs.getObject("user_id", UUID.class)), Role.valueOf(rs.getString("role")),
                rs.getBytes("refresh_hash"), instant(rs, "created_at"), instant(rs, "last_seen_at"),
                instant(rs, "expires_at"), instant(rs, "idle_expires_at"), rs.getString("ip"),
                rs.getString("user_agent"), rs.getString("device"), rs.getString("network"), rs.getString("flag"),
                retired(rs), instant(rs, "rotated_at"));
    }

    private static List<byte[]> retired(ResultSet rs) throws SQLException {
        java.sql.Array array = rs.getArray("retired_hashes");
        if (array == null) {
            return List.of();
        }
        Object[] hashes = (Object[]) array.getArray();
        List<byte[]> list = new java.util.ArrayList<>(hashes.length);
        for (Object hash : hashes) {
            list.add((byte[]) hash);
        }
        return list;
    }
}
