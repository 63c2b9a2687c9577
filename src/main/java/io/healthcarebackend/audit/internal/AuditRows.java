package io.healthcarebackend.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Writes audit rows (in whatever transaction is active) and maps them back. */
@Repository
class AuditRows {

    static final String COLUMNS = "id, clinic_id, at, actor_id, actor_role, action, resource_type, resource_id, "
            + "patient_id, outcome, ip, user_agent, trace_id, emergency, reason";
    private static final String INSERT = "insert into audit_events (" + COLUMNS
            + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Several rows as one statement: one array per column, in the order of {@link #COLUMNS}. */
    private static final String INSERT_MANY = "insert into audit_events (" + COLUMNS + ") select * from unnest("
            + "?::uuid[], ?::uuid[], ?::timestamptz[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::uuid[], "
            + "?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[])";

    private final JdbcTemplate jdbc;

    AuditRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Several events go in as one statement (INSERT ... SELECT from unnest): PostgreSQL plans and
     * executes it once for all rows, where a JDBC batch has it execute one INSERT per row. Each row
     * still gets its defaults (tx) and the row-level security check, in list order.
     */
    void insert(List<StoredEvent> events) {
        if (events.size() == 1) {
            jdbc.update(INSERT, ps -> bind(ps, events.getFirst()));
        } else if (!events.isEmpty()) {
            jdbc.update(INSERT_MANY, ps -> bindArrays(ps, events));
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

    private static void bindArrays(PreparedStatement ps, List<StoredEvent> events) throws SQLException {
        Connection c = ps.getConnection();
        ps.setArray(1, c.createArrayOf("uuid", column(events, StoredEvent::id, UUID[]::new)));
        ps.setArray(2, c.createArrayOf("uuid", column(events, StoredEvent::clinicId, UUID[]::new)));
        // ISO 8601 in UTC (Instant.toString): microseconds kept, the session's time zone not involved.
        ps.setArray(3, c.createArrayOf("timestamptz", column(events, e -> e.at().toString(), String[]::new)));
        ps.setArray(4, c.createArrayOf("uuid", column(events, StoredEvent::actorId, UUID[]::new)));
        ps.setArray(5, c.createArrayOf("text", column(events, StoredEvent::actorRole, String[]::new)));
        ps.setArray(6, c.createArrayOf("text", column(events, StoredEvent::action, String[]::new)));
        ps.setArray(7, c.createArrayOf("text", column(events, StoredEvent::resourceType, String[]::new)));
        ps.setArray(8, c.createArrayOf("uuid", column(events, StoredEvent::resourceId, UUID[]::new)));
        ps.setArray(9, c.createArrayOf("uuid", column(events, StoredEvent::patientId, UUID[]::new)));
        ps.setArray(10, c.createArrayOf("text", column(events, StoredEvent::outcome, String[]::new)));
        ps.setArray(11, c.createArrayOf("text", column(events, StoredEvent::ip, String[]::new)));
        ps.setArray(12, c.createArrayOf("text", column(events, StoredEvent::userAgent, String[]::new)));
        ps.setArray(13, c.createArrayOf("text", column(events, StoredEvent::traceId, String[]::new)));
        ps.setArray(14, c.createArrayOf("bool", column(events, StoredEvent::emergency, Boolean[]::new)));
        ps.setArray(15, c.createArrayOf("text", column(events, StoredEvent::reason, String[]::new)));
    }

    /** One column's values, in list order, nulls kept. */
    private static <T> T[] column(List<StoredEvent> events, Function<StoredEvent, T> value, IntFunction<T[]> array) {
        return events.stream().map(value).toArray(array);
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
