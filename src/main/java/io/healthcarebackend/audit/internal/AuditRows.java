package io.healthcarebackend.audit.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Writes audit rows (in whatever transaction is active) and maps them back. */
@Repository
class AuditRows {

    static final String COLUMNS = "id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, "
            + "patient_id, outcome, ip, user_agent, trace_id, emergency, reason";
    private static final String INSERT = "insert into audit_events (" + COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    AuditRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(List<StoredEvent> events) {
        if (events.size() == 1) {
            jdbc.update(INSERT, ps -> bind(ps, events.getFirst()));
        } else {
            jdbc.batchUpdate(INSERT, events, events.size(), AuditRows::bind);
        }
    }

    /** Within a transaction that writes several clinics' events: row-level security checks each. */
    void actAsClinic(UUID clinic) {
        jdbc.queryForObject("select set_config('app.clinic_id', ?, true)", String.class,
                clinic == null ? "" : clinic.toString());
    }

    private static void bind(PreparedStatement ps, StoredEvent e) throws SQLException {
        ps.setObject(1, e.id());
        ps.setObject(2, e.clinicId(), Types.OTHER);
        ps.setTimestamp(3, Timestamp.from(e.at()));
        ps.setObject(4, e.actorId(), Types.OTHER);
        ps.setString(5, e.actorRole());
        ps.setString(6, e.action());
        ps.setString(7, e.resourceType());
        ps.setObject(8, e.resourceId(), Types.OTHER);
        ps.setObject(9, e.patientId(), Types.OTHER);
        ps.setString(10, e.outcome());
        ps.setString(11, e.ip());
        ps.setString(12, e.userAgent());
        ps.setString(13, e.traceId());
        ps.setBoolean(14, e.emergency());
        ps.setString(15, e.reason());
    }

    static StoredEvent map(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(rs.getObject("id", UUID.class), rs.getObject("clinic_id", UUID.class),
                rs.getTimestamp("at").toInstant(), rs.getObject("actor_id", UUID.class), rs.getString("actor_role"),
                rs.getString("action"), rs.getString("resource_type"), rs.getObject("resource_id", UUID.class),
                rs.getObject("patient_id", UUID.class), rs.getString("outcome"), rs.getString("ip"),
                rs.getString("user_agent"), rs.getString("trace_id"), rs.getBoolean("emergency"),
                rs.getString("reason"));
    }
}
