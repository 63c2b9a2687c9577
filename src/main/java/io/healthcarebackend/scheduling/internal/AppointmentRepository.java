package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.platform.ClinicId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Appointments. Overlaps are refused by the database's exclusion constraints, not by a
 * read-then-write check, so no interleaving of concurrent requests can double-book.
 */
@Repository
class AppointmentRepository {

    private static final String COLUMNS = "id, clinic_id, patient_id, practitioner_id, start_at, end_at, status, "
            + "reason, cancel_reason, reason_sealed, cancel_reason_sealed, booked_by, version, created_at, updated_at";

    private final JdbcClient jdbc;

    AppointmentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Appointment a) {
        jdbc.sql("insert into appointments (" + COLUMNS + ") values (:id, :clinic, :patient, :practitioner, "
                + ":start, :end, :status, null, null, :reason, null, :bookedBy, 0, :now, :now)")
                .param("id", a.id()).param("clinic", a.clinicId().value()).param("patient", a.patientId())
                .param("practitioner", a.practitionerId()).param("start", ts(a.start())).param("end", ts(a.end()))
                .param("status", a.status().name()).param("reason", a.reason().sealed())
                .param("bookedBy", a.bookedBy())
                .param("now", ts(a.createdAt()))
                .update();
    }

    Optional<Appointment> find(ClinicId clinic, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from appointments where clinic_id = :clinic and id = :id")
                .param("clinic", clinic.value()).param("id", id)
                .query(AppointmentRepository::map).optional();
    }

    Optional<Appointment> lock(ClinicId clinic, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from appointments where clinic_id = :clinic and id = :id for update")
                .param("clinic", clinic.value()).param("id", id)
                .query(AppointmentRepository::map).optional();
    }

    /** Writes the aggregate's new state; the caller holds the row lock. */
    Appointment save(Appointment a, Instant now) {
        jdbc.sql("update appointments set start_at = :start, end_at = :end, status = :status, "
                + "cancel_reason = :cancelLegacy, cancel_reason_sealed = :cancelReason, version = :version, "
                + "updated_at = :now where clinic_id = :clinic and id = :id")
                .param("start", ts(a.start())).param("end", ts(a.end())).param("status", a.status().name())
                .param("cancelLegacy", a.cancelReason().legacy()).param("cancelReason", a.cancelReason().sealed())
                .param("version", a.version()).param("now", ts(now))
                .param("clinic", a.clinicId().value()).param("id", a.id())
                .update();
        return new Appointment(a.id(), a.clinicId(), a.patientId(), a.practitionerId(), a.start(), a.end(),
                a.status(), a.reason(), a.cancelReason(), a.bookedBy(), a.version(), a.createdAt(), now);
    }

    /** The patient's BOOKED appointments that start after {@code now}, locked, in start order. */
    List<Appointment> lockFutureBooked(ClinicId clinic, UUID patient, Instant now) {
        return jdbc.sql("select " + COLUMNS + " from appointments where clinic_id = :clinic and patient_id = :patient "
                + "and status = 'BOOKED' and start_at > :now order by start_at, id for update")
                .param("clinic", clinic.value()).param("patient", patient).param("now", ts(now))
                .query(AppointmentRepository::map).list();
    }

    /** Rows still holding plaintext written before V16, locked, a batch at a time. */
    List<Appointment> lockLegacyText(ClinicId clinic, int limit) {
        return jdbc.sql("select " + COLUMNS + " from appointments where clinic_id = :clinic "
                + "and (reason is not null or cancel_reason is not null) order by id limit :limit for update")
                .param("clinic", clinic.value()).param("limit", limit)
                .query(AppointmentRepository::map).list();
    }

    /** Replaces a row's plaintext by its sealed form (null for a patient whose key is gone). */
    void sealLegacyText(ClinicId clinic, UUID id, byte[] reason, byte[] cancelReason) {
        jdbc.sql("update appointments set reason = null, cancel_reason = null, "
                + "reason_sealed = coalesce(reason_sealed, :reason), "
                + "cancel_reason_sealed = coalesce(cancel_reason_sealed, :cancelReason) "
                + "where clinic_id = :clinic and id = :id")
                .param("reason", reason).param("cancelReason", cancelReason)
                .param("clinic", clinic.value()).param("id", id).update();
    }

    List<UUID> clinicsWithLegacyText() {
        return jdbc.sql("select appointments_plaintext_clinics()").query((rs, n) -> rs.getObject(1, UUID.class))
                .list();
    }

    record Busy(Instant start, Instant end) {
    }

    /**
     * Active appointments of a practitioner overlapping [from, to). An appointment lasts at most
     * {@link BookingService#MAX_LENGTH}, so its start lies in [from - MAX_LENGTH, to): a bounded
     * range scan of the partial index on (practitioner_id, start_at), whatever the table's size.
     */
    List<Busy> busy(ClinicId clinic, UUID practitioner, Instant from, Instant to) {
        return jdbc.sql("select start_at, end_at from appointments where clinic_id = :clinic "
                + "and practitioner_id = :practitioner and status in ('BOOKED', 'CHECKED_IN') "
                + "and start_at >= :earliest and start_at < :to and end_at > :from order by start_at")
                .param("clinic", clinic.value()).param("practitioner", practitioner)
                .param("earliest", ts(from.minus(BookingService.MAX_LENGTH)))
                .param("from", ts(from)).param("to", ts(to))
                .query((rs, n) -> new Busy(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()))
                .list();
    }

    record Filter(UUID practitionerId, UUID patientId, Instant from, Instant to, AppointmentStatus status,
            Instant afterStart, UUID afterId, int limit) {
    }

    List<Appointment> list(ClinicId clinic, Filter f) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from appointments where clinic_id = :clinic");
        Map<String, Object> params = new HashMap<>();
        params.put("clinic", clinic.value());
        if (f.practitionerId() != null) {
            sql.append(" and practitioner_id = :practitioner");
            params.put("practitioner", f.practitionerId());
        }
        if (f.patientId() != null) {
            sql.append(" and patient_id = :patient");
            params.put("patient", f.patientId());
        }
        if (f.from() != null) {
            sql.append(" and start_at >= :from");
            params.put("from", ts(f.from()));
        }
        if (f.to() != null) {
            sql.append(" and start_at < :to");
            params.put("to", ts(f.to()));
        }
        if (f.status() != null) {
            sql.append(" and status = :status");
            params.put("status", f.status().name());
        }
        if (f.afterStart() != null) {
            sql.append(" and (start_at, id) > (:afterStart, :afterId)");
            params.put("afterStart", ts(f.afterStart()));
            params.put("afterId", f.afterId());
        }
        sql.append(" order by start_at, id limit :limit");
        params.put("limit", f.limit());
        return jdbc.sql(sql.toString()).params(params).query(AppointmentRepository::map).list();
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    private static Appointment map(ResultSet rs, int row) throws SQLException {
        return new Appointment(rs.getObject("id", UUID.class), new ClinicId(rs.getObject("clinic_id", UUID.class)),
                rs.getObject("patient_id", UUID.class), rs.getObject("practitioner_id", UUID.class),
                rs.getTimestamp("start_at").toInstant(), rs.getTimestamp("end_at").toInstant(),
                AppointmentStatus.valueOf(rs.getString("status")),
                new StoredText(rs.getBytes("reason_sealed"), rs.getString("reason")),
                new StoredText(rs.getBytes("cancel_reason_sealed"), rs.getString("cancel_reason")),
                rs.getObject("booked_by", UUID.class), rs.getInt("version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
