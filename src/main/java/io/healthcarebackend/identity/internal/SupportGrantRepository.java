package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Support grants. Every query names the clinic besides row-level security; times are the database's. */
@Repository
class SupportGrantRepository {

    private static final String COLUMNS = "id, clinic_id, requested_by, reason, duration_minutes, status, requested_at, "
            + "decided_by, decided_at, approved_at, expires_at, ended_by, ended_at";

    /** A grant that ran out and is still open: which one, of which clinic. */
    record Due(UUID id, ClinicId clinicId) {
    }

    private final JdbcClient jdbc;

    SupportGrantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    SupportGrant insert(ClinicId clinic, UUID id, UUID requestedBy, String reason, int durationMinutes) {
        return jdbc.sql("insert into support_grants (id, clinic_id, requested_by, reason, duration_minutes, status, "
                + "requested_at) values (:id, :clinic, :by, :reason, :minutes, 'PENDING', now()) returning " + COLUMNS)
                .param("id", id).param("clinic", clinic.value()).param("by", requestedBy).param("reason", reason)
                .param("minutes", durationMinutes)
                .query(SupportGrantRepository::map).single();
    }

    List<SupportGrant> page(ClinicId clinic, UUID requestedBy, int limit) {
        return jdbc.sql("select " + COLUMNS + " from support_grants where clinic_id = :clinic "
                + "and (cast(:by as uuid) is null or requested_by = cast(:by as uuid)) "
                + "order by requested_at desc, id limit :limit")
                .param("clinic", clinic.value()).param("by", requestedBy).param("limit", limit)
                .query(SupportGrantRepository::map).list();
    }

    Optional<SupportGrant> lock(ClinicId clinic, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from support_grants where clinic_id = :clinic and id = :id for update")
                .param("clinic", clinic.value()).param("id", id)
                .query(SupportGrantRepository::map).optional();
    }

    SupportGrant approve(ClinicId clinic, UUID id, UUID admin) {
        return jdbc.sql("update support_grants set status = 'APPROVED', decided_by = :admin, decided_at = now(), "
                + "approved_at = now(), expires_at = now() + make_interval(mins => duration_minutes) "
                + "where clinic_id = :clinic and id = :id returning " + COLUMNS)
                .param("clinic", clinic.value()).param("id", id).param("admin", admin)
                .query(SupportGrantRepository::map).single();
    }

    SupportGrant deny(ClinicId clinic, UUID id, UUID admin) {
        return jdbc.sql("update support_grants set status = 'DENIED', decided_by = :admin, decided_at = now() "
                + "where clinic_id = :clinic and id = :id returning " + COLUMNS)
                .param("clinic", clinic.value()).param("id", id).param("admin", admin)
                .query(SupportGrantRepository::map).single();
    }

    SupportGrant revoke(ClinicId clinic, UUID id, UUID admin) {
        return jdbc.sql("update support_grants set status = 'REVOKED', ended_by = :admin, ended_at = now() "
                + "where clinic_id = :clinic and id = :id returning " + COLUMNS)
                .param("clinic", clinic.value()).param("id", id).param("admin", admin)
                .query(SupportGrantRepository::map).single();
    }

    /** The administrator's grant for the clinic that is approved and has not run out, if any. */
    Optional<UUID> active(ClinicId clinic, UUID platformAdmin) {
        return jdbc.sql("select id from support_grants where clinic_id = :clinic and requested_by = :by "
                + "and status = 'APPROVED' and approved_at <= now() and now() < expires_at "
                + "order by expires_at desc limit 1")
                .param("clinic", clinic.value()).param("by", platformAdmin)
                .query(UUID.class).optional();
    }

    /** Open grants that ran out, across clinics (a narrow SECURITY DEFINER function). */
    List<Due> due() {
        return jdbc.sql("select id, clinic_id from support_grants_due()")
                .query((rs, row) -> new Due(rs.getObject("id", UUID.class),
                        new ClinicId(rs.getObject("clinic_id", UUID.class))))
                .list();
    }

    /**
     * Closes one grant if it is still open and ran out (the row lock makes a second instance find
     * nothing to close); the grant as closed, whose {@code approvedAt} tells whether it had been approved.
     */
    Optional<SupportGrant> expire(ClinicId clinic, UUID id) {
        return jdbc.sql("update support_grants set status = 'EXPIRED', ended_at = now() "
                + "where clinic_id = :clinic and id = :id "
                + "and ((status = 'APPROVED' and expires_at <= now()) "
                + "  or (status = 'PENDING' and requested_at <= now() - interval '1 day')) returning " + COLUMNS)
                .param("clinic", clinic.value()).param("id", id)
                .query(SupportGrantRepository::map).optional();
    }

    private static SupportGrant map(ResultSet rs, int row) throws SQLException {
        return new SupportGrant(rs.getObject("id", UUID.class), new ClinicId(rs.getObject("clinic_id", UUID.class)),
                rs.getObject("requested_by", UUID.class), rs.getString("reason"), rs.getInt("duration_minutes"),
                SupportGrant.Status.valueOf(rs.getString("status")), instant(rs, "requested_at"),
                rs.getObject("decided_by", UUID.class), instant(rs, "decided_at"), instant(rs, "approved_at"),
                instant(rs, "expires_at"), rs.getObject("ended_by", UUID.class), instant(rs, "ended_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
