package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.notification.channel.Channel;
import io.healthcarebackend.notification.delivery.Delivery.Status;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Delivery records; the clinic is the first parameter of every method and the RLS tenant. */
@Repository
class DeliveryRepository {

    private static final String COLUMNS = "id, appointment_id, patient_id, kind, channel, status, attempts, "
            + "provider_id, last_error, idempotency_key, due_at, created_at, sent_at";

    private final JdbcClient jdbc;

    DeliveryRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The record of this key, created as {@code SENDING} with one attempt if it did not exist yet,
     * or counted as one more attempt if it is not done. Returns it as it was before this attempt.
     */
    Delivery begin(ClinicId clinic, Notice notice, UUID patient, Channel channel, UUID key, Instant now) {
        jdbc.sql("""
                insert into notification_deliveries (id, clinic_id, appointment_id, patient_id, kind, channel, status,
                    attempts, idempotency_key, due_at, created_at, updated_at)
                values (:id, :clinic, :appointment, :patient, :kind, :channel, 'SENDING', 0, :key, :due, :now, :now)
                on conflict (idempotency_key) do nothing""")
                .param("id", Ids.newId()).param("clinic", clinic.value()).param("appointment", notice.appointmentId())
                .param("patient", patient).param("kind", notice.kind().name())
                .param("channel", channel == null ? null : channel.name()).param("key", key)
                .param("due", Timestamp.from(notice.due())).param("now", Timestamp.from(now))
                .update();
        Delivery before = jdbc.sql("select " + COLUMNS + " from notification_deliveries "
                        + "where clinic_id = :clinic and idempotency_key = :key")
                .param("clinic", clinic.value()).param("key", key).query(DeliveryRepository::map).single();
        if (!before.status().done()) {
            jdbc.sql("""
                    update notification_deliveries set status = 'SENDING', attempts = attempts + 1, updated_at = :now
                     where clinic_id = :clinic and idempotency_key = :key""")
                    .param("clinic", clinic.value()).param("key", key).param("now", Timestamp.from(now)).update();
        }
        return before;
    }

    /** Records a message that could not be sent at all (once per message). */
    void skipped(ClinicId clinic, Notice notice, UUID patient, UUID key, String reason, Instant now) {
        jdbc.sql("""
                insert into notification_deliveries (id, clinic_id, appointment_id, patient_id, kind, status,
                    attempts, last_error, idempotency_key, due_at, created_at, updated_at)
                values (:id, :clinic, :appointment, :patient, :kind, 'SKIPPED', 0, :reason, :key, :due, :now, :now)
                on conflict (idempotency_key) do nothing""")
                .param("id", Ids.newId()).param("clinic", clinic.value()).param("appointment", notice.appointmentId())
                .param("patient", patient).param("kind", notice.kind().name()).param("reason", reason)
                .param("key", key).param("due", Timestamp.from(notice.due())).param("now", Timestamp.from(now))
                .update();
    }

    void sent(ClinicId clinic, UUID key, String providerId, Instant now) {
        finish(clinic, key, Status.SENT, providerId, null, now);
    }

    void failed(ClinicId clinic, UUID key, Status status, String error, Instant now) {
        finish(clinic, key, status, null, error, now);
    }

    private void finish(ClinicId clinic, UUID key, Status status, String providerId, String error, Instant now) {
        jdbc.sql("""
                update notification_deliveries
                   set status = :status, provider_id = coalesce(:provider, provider_id), last_error = :error,
                       updated_at = :now, sent_at = case when :status = 'SENT' then :now else sent_at end
                 where clinic_id = :clinic and idempotency_key = :key""")
                .param("status", status.name()).param("provider", providerId).param("error", error)
                .param("now", Timestamp.from(now)).param("clinic", clinic.value()).param("key", key)
                .update();
    }

    List<Delivery> ofAppointment(ClinicId clinic, UUID appointment) {
        return jdbc.sql("select " + COLUMNS + " from notification_deliveries "
                        + "where clinic_id = :clinic and appointment_id = :appointment order by created_at, id")
                .param("clinic", clinic.value()).param("appointment", appointment)
                .query(DeliveryRepository::map).list();
    }

    private static Delivery map(ResultSet rs, int row) throws SQLException {
        String channel = rs.getString("channel");
        Timestamp sent = rs.getTimestamp("sent_at");
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("appointment_id", UUID.class),
                rs.getObject("patient_id", UUID.class), Kind.valueOf(rs.getString("kind")),
                channel == null ? null : Channel.valueOf(channel), Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"), rs.getString("provider_id"), rs.getString("last_error"),
                rs.getObject("idempotency_key", UUID.class), rs.getTimestamp("due_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(), sent == null ? null : sent.toInstant());
    }
}
