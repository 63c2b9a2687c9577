package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.PatientAccessReport;
import io.healthcarebackend.platform.ClinicId;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class AccessReportQuery implements PatientAccessReport {

    private final JdbcClient jdbc;

    AccessReportQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public List<Entry> forPatient(ClinicId clinic, UUID patientId, Cursor before, int limit) {
        String keyset = before == null ? "" : " and (at, id) < (:beforeAt, :beforeId)";
        var sql = jdbc.sql("select id, at, actor_id, actor_role, action, resource_type, resource_id, outcome, ip, "
                + "emergency, reason, trace_id from audit_events where clinic_id = :clinic and patient_id = :patient"
                + keyset + " order by at desc, id desc limit :limit")
                .param("clinic", clinic.value()).param("patient", patientId).param("limit", limit);
        if (before != null) {
            sql = sql.param("beforeAt", Timestamp.from(before.at())).param("beforeId", before.id());
        }
        return sql.query((rs, n) -> new Entry(rs.getObject("id", UUID.class), rs.getTimestamp("at").toInstant(),
                rs.getObject("actor_id", UUID.class), rs.getString("actor_role"), rs.getString("action"),
                rs.getString("resource_type"), rs.getObject("resource_id", UUID.class), rs.getString("outcome"),
                rs.getString("ip"), rs.getBoolean("emergency"), rs.getString("reason"), rs.getString("trace_id")))
                .list();
    }
}
