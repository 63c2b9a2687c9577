package io.healthcarebackend.notification.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.healthcarebackend.scheduling.AppointmentEvents;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a staff screen is told about a change of an appointment: which one, whose calendar, when.
 * Deliberately without the patient: the event travels through Redis and to every open screen of
 * the clinic, so it carries nothing a screen could not show without asking the audited API (which
 * it does to render the change). {@code start}/{@code end} are the appointment's time after the
 * change; only the lifecycle events that do not carry the time leave them out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StaffEvent(Type type, UUID appointmentId, UUID practitionerId, Instant start, Instant end,
        Instant previousStart, Instant previousEnd, Instant occurredAt) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The SSE {@code event:} name of each domain event. */
    enum Type {
        BOOKED, RESCHEDULED, CANCELLED, CHECKED_IN, COMPLETED, NO_SHOW
    }

    String json() {
        return JSON.writeValueAsString(this);
    }

    static StaffEvent of(AppointmentEvents.AppointmentBooked e, Instant now) {
        return new StaffEvent(Type.BOOKED, e.appointmentId(), e.practitionerId(), e.start(), e.end(), null, null, now);
    }

    static StaffEvent of(AppointmentEvents.AppointmentRescheduled e, Instant now) {
        return new StaffEvent(Type.RESCHEDULED, e.appointmentId(), e.practitionerId(), e.start(), e.end(),
                e.previousStart(), e.previousEnd(), now);
    }

    static StaffEvent of(AppointmentEvents.AppointmentCancelled e, Instant now) {
        return new StaffEvent(Type.CANCELLED, e.appointmentId(), e.practitionerId(), e.start(), e.end(), null, null,
                now);
    }

    static StaffEvent of(AppointmentEvents.AppointmentCheckedIn e, Instant now) {
        return new StaffEvent(Type.CHECKED_IN, e.appointmentId(), e.practitionerId(), null, null, null, null, now);
    }

    static StaffEvent of(AppointmentEvents.AppointmentCompleted e, Instant now) {
        return new StaffEvent(Type.COMPLETED, e.appointmentId(), e.practitionerId(), null, null, null, null, now);
    }

    static StaffEvent of(AppointmentEvents.AppointmentMarkedNoShow e, Instant now) {
        return new StaffEvent(Type.NO_SHOW, e.appointmentId(), e.practitionerId(), null, null, null, null, now);
    }
}
