package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.db.TenantTx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
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
            + "expires_at, idle_expires_at, ip, user_agent";

    private final JdbcClient jdbc;
    private final TenantTx tx;

    PgSessionStore(JdbcClient jdbc, TenantTx tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public void create(Session s) {
        tx.inClinic(s.clinicId(), () -> jdbc.sql("insert into auth_sessions (" + COLUMNS + ") values "
                + "(:id, cast(:clinic as uuid), :user, :role, :hash, :created, :seen, :expires, :idle, :ip, :ua)")
                .param("id", s.id()).param("clinic", clinicValue(s.clinicId())).param("user", s.userId().value())
                .param("role", s.role().name()).param("hash", s.refreshHash())
                .param("created", ts(s.createdAt())).param("seen", ts(s.lastSeenAt()))
                .param("expires", ts(s.expiresAt())).param("idle", ts(s.idleExpiresAt()))
                .param("ip", s.ip()).param("ua", s.userAgent())
                .update());
    }

    @Override
    public Optional<Session> find(ClinicId clinic, UUID id) {
        return tx.readInClinic(clinic, () -> jdbc
                .sql("select " + COLUMNS + " from auth_sessions where id = :id and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("id", id).param("clinic", clinicValue(clinic))
                .query(PgSessionStore::map).optional());
    }

    @Override
    public boolean rotate(ClinicId clinic, UUID id, byte[] expectedHash, byte[] newHash, Instant now,
            Instant idleExpiresAt) {
        return tx.inClinic(clinic, () -> jdbc.sql("""
                update auth_sessions set refresh_hash = :new, last_seen_at = :now, idle_expires_at = :idle
                 where id = :id and clinic_id is not distinct from cast(:clinic as uuid) and refresh_hash = :expected""")
                .param("new", newHash).param("now", ts(now)).param("idle", ts(idleExpiresAt))
                .param("id", id).param("clinic", clinicValue(clinic)).param("expected", expectedHash)
                .update()) == 1;
    }

    @Override
    public void revoke(ClinicId clinic, UUID id) {
        tx.inClinic(clinic, () -> jdbc
                .sql("delete from auth_sessions where id = :id and clinic_id is not distinct from cast(:clinic as uuid)")
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
        return tx.readInClinic(clinic, () -> jdbc.sql("select " + COLUMNS + " from auth_sessions "
                + "where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid) "
                + "and expires_at > now() and idle_expires_at > now() order by created_at")
                .param("user", user.value()).param("clinic", clinicValue(clinic))
                .query(PgSessionStore::map).list());
    }

    @Override
    public boolean isActive(ClinicId clinic, UUID id, Instant now) {
        return tx.readInClinic(clinic, () -> jdbc.sql("select exists (select 1 from auth_sessions where id = :id "
                + "and clinic_id is not distinct from cast(:clinic as uuid) and expires_at > :now and idle_expires_at > :now)")
                .param("id", id).param("clinic", clinicValue(clinic)).param("now", ts(now))
                .query(Boolean.class).single());
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

    private static Session map(ResultSet rs, int row) throws SQLException {
        UUID clinic = rs.getObject("clinic_id", UUID.class);
        return new Session(rs.getObject("id", UUID.class), clinic == null ? null : new ClinicId(clinic),
                new UserId(rs.getObject("user_id", UUID.class)), Role.valueOf(rs.getString("role")),
                rs.getBytes("refresh_hash"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("last_seen_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                rs.getTimestamp("idle_expires_at").toInstant(), rs.getString("ip"), rs.getString("user_agent"));
    }
}
