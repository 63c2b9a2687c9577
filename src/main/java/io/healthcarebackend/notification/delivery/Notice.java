package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.platform.ClinicId;
import java.time.Instant;
import java.util.UUID;

/**
 * One message to one patient about one appointment: the job's data (ids and times, never PHI). It
 * names the appointment start it was planned for, so a message that outlived a reschedule or a
 * cancellation recognises itself as obsolete. {@code offset} is the reminder's minutes before the
 * start (0 for a confirmation); {@code due} when it was planned to go out (for the reminder-lag metric).
 * {@code trace} is the W3C traceparent of the change that planned it (tracing on; else null): the
 * send continues that trace ({@code platform.tracing.JobSpans}). Jobs stored before it existed read
 * it as null; older workers ignore it (unknown JSON properties are skipped).
 */
record Notice(UUID clinicId, UUID appointmentId, Kind kind, int offset, Instant start, Instant due, String trace) {

    ClinicId clinic() {
        return new ClinicId(clinicId);
    }

    /** Unique per appointment, kind, offset and planned start: planning twice yields one job. */
    String instanceId() {
        return instanceId(appointmentId, kind, offset, start);
    }

    static String instanceId(UUID appointment, Kind kind, int offset, Instant start) {
        return appointment + "." + kind.name().charAt(0) + offset + "." + start.getEpochSecond();
    }
}
