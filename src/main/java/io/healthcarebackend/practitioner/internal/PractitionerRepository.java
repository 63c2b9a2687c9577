package io.healthcarebackend.practitioner.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.practitioner.WeeklySchedule;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PractitionerRepository {

    private static final String COLUMNS = "id, given_name, family_name, specialty, user_id, slot_minutes, created_at";

    private final JdbcClient jdbc;

    PractitionerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Row(UUID id, String givenName, String familyName, String specialty, UUID userId, int slotMinutes,
            Instant createdAt) {
    }

    void insert(ClinicId clinic, Row row) {
        jdbc.sql("insert into practitioners (id, clinic_id, given_name, family_name, specialty, user_id, created_at) "
                + "values (:id, :clinic, :given, :family, :specialty, :user, :created)")
                .param("id", row.id()).param("clinic", clinic.value()).param("given", row.givenName())
                .param("family", row.familyName()).param("specialty", row.specialty()).param("user", row.userId())
                .param("created", Timestamp.from(row.createdAt()))
                .update();
    }

    Optional<Row> find(ClinicId clinic, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from practitioners where clinic_id = :clinic and id = :id")
                .param("clinic", clinic.value()).param("id", id)
                .query((rs, n) -> row(rs)).optional();
    }

    List<Row> page(ClinicId clinic, UUID after, int limit) {
        String filter = after == null ? "" : " and id > :after";
        var spec = jdbc.sql("select " + COLUMNS + " from practitioners where clinic_id = :clinic" + filter
                + " order by id limit :limit").param("clinic", clinic.value()).param("limit", limit);
        if (after != null) {
            spec = spec.param("after", after);
        }
        return spec.query((rs, n) -> row(rs)).list();
    }

    Optional<WeeklySchedule> schedule(ClinicId clinic, UUID id) {
        Optional<Integer> slot = jdbc.sql("select slot_minutes from practitioners where clinic_id = :clinic and id = :id")
                .param("clinic", clinic.value()).param("id", id).query(Integer.class).optional();
        if (slot.isEmpty()) {
            return Optional.empty();
        }
        List<WeeklySchedule.Hours> hours = jdbc.sql("select day_of_week, start_time, end_time from practitioner_hours "
                + "where clinic_id = :clinic and practitioner_id = :id order by day_of_week, start_time")
                .param("clinic", clinic.value()).param("id", id)
                .query((rs, n) -> new WeeklySchedule.Hours(DayOfWeek.of(rs.getInt(1)),
                        rs.getObject(2, java.time.LocalTime.class), rs.getObject(3, java.time.LocalTime.class)))
                .list();
        List<WeeklySchedule.Absence> absences = jdbc.sql("select from_at, to_at, reason from practitioner_exceptions "
                + "where clinic_id = :clinic and practitioner_id = :id and to_at > now() order by from_at")
                .param("clinic", clinic.value()).param("id", id)
                .query((rs, n) -> new WeeklySchedule.Absence(rs.getTimestamp(1).toInstant(),
                        rs.getTimestamp(2).toInstant(), rs.getString(3)))
                .list();
        return Optional.of(new WeeklySchedule(slot.get(), hours, absences));
    }

    boolean replaceSchedule(ClinicId clinic, UUID id, WeeklySchedule schedule) {
        int updated = jdbc.sql("update practitioners set slot_minutes = :slot, version = version + 1, "
                + "updated_at = now() where clinic_id = :clinic and id = :id")
                .param("slot", schedule.slotMinutes()).param("clinic", clinic.value()).param("id", id).update();
        if (updated == 0) {
            return false;
        }
        jdbc.sql("delete from practitioner_hours where clinic_id = :clinic and practitioner_id = :id")
                .param("clinic", clinic.value()).param("id", id).update();
        jdbc.sql("delete from practitioner_exceptions where clinic_id = :clinic and practitioner_id = :id")
                .param("clinic", clinic.value()).param("id", id).update();
        for (WeeklySchedule.Hours h : schedule.hours()) {
            jdbc.sql("insert into practitioner_hours (clinic_id, practitioner_id, day_of_week, start_time, end_time) "
                    + "values (:clinic, :id, :day, :start, :end)")
                    .param("clinic", clinic.value()).param("id", id).param("day", h.day().getValue())
                    .param("start", h.start()).param("end", h.end()).update();
        }
        for (WeeklySchedule.Absence a : schedule.absences()) {
            jdbc.sql("insert into practitioner_exceptions (clinic_id, practitioner_id, from_at, to_at, reason) "
                    + "values (:clinic, :id, :from, :to, :reason)")
                    .param("clinic", clinic.value()).param("id", id).param("from", Timestamp.from(a.from()))
                    .param("to", Timestamp.from(a.to())).param("reason", a.reason()).update();
        }
        return true;
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("given_name"), rs.getString("family_name"),
                rs.getString("specialty"), rs.getObject("user_id", UUID.class), rs.getInt("slot_minutes"),
                rs.getTimestamp("created_at").toInstant());
    }
}
