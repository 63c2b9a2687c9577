package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Cursor;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Filtered, keyset-paged reads of one clinic's trail (or the platform's: clinic null), newest first. */
@Repository
class AuditEventQuery {

    record Filter(UUID patientId, UUID actorId, String action, Instant from, Instant to, Boolean emergency,
            Cursor.TimeAndId before, int limit) {
    }

    private final JdbcClient jdbc;

    AuditEventQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<StoredEvent> find(ClinicId clinic, Filter f) {
        StringBuilder sql = new StringBuilder("select " + AuditRows.COLUMNS
                + " from audit_events where clinic_id is not distinct from cast(:clinic as uuid)");
        Map<String, Object> params = new HashMap<>();
        params.put("clinic", clinic == null ? null : clinic.value());
        if (f.patientId() != null) {
            sql.append(" and patient_id = :patient");
            params.put("patient", f.patientId());
        }
        if (f.actorId() != null) {
            sql.append(" and actor_id = :actor");
            params.put("actor", f.actorId());
        }
        if (f.action() != null) {
            sql.append(" and action = :action");
            params.put("action", f.action());
        }
        if (f.from() != null) {
            sql.append(" and at >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" and at < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (f.emergency() != null) {
            sql.append(" and emergency = :emergency");
            params.put("emergency", f.emergency());
        }
        if (f.before() != null) {
            sql.append(" and (at, id) < (:beforeAt, :beforeId)");
            params.put("beforeAt", Timestamp.from(f.before().at()));
            params.put("beforeId", f.before().id());
        }
        sql.append(" order by at desc, id desc limit :limit");
        params.put("limit", f.limit());
        return jdbc.sql(sql.toString()).params(params).query(AuditRows::map).list();
    }
}
