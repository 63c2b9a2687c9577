package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.scheduling.AppointmentEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Passes the scheduling module's appointment events on to the staff screens of their clinic.
 *
 * <p>{@link ApplicationModuleListener}: after the booking's transaction commits, asynchronously
 * (Spring Modulith enables {@code @Async} itself when the application has no async configuration;
 * the executor is Spring Boot's, on virtual threads), with the event's publication stored in the
 * booking's transaction ({@code event_publication}) and marked complete only when this returns.
 * If Redis cannot take the event the listener fails and the publication stays incomplete, to be
 * resubmitted (at the latest on restart) — the screens get it late rather than never.
 *
 * <p>The listener's own transaction (Modulith opens one, REQUIRES_NEW) runs with no clinic and no
 * request deadline bound, which {@code TenantTransactionManager} accepts: it sets neither, and
 * nothing here touches a tenant table. Listeners for reminders live elsewhere and are independent
 * of this one: each has its own publication.
 *
 * <p>{@code occurredAt} is when this relay handled the event: within milliseconds of the commit,
 * later for a publication resubmitted after a failure.
 */
@Component
class AppointmentEventRelay {

    private final ClinicEvents events;
    private final Clock clock;
    private final Map<StaffEvent.Type, Counter> published = new EnumMap<>(StaffEvent.Type.class);

    AppointmentEventRelay(ClinicEvents events, Clock clock, MeterRegistry meters) {
        this.events = events;
        this.clock = clock;
        for (StaffEvent.Type type : StaffEvent.Type.values()) {
            published.put(type, Counter.builder("healthcare.event.stream.events")
                    .description("Appointment events this instance published to staff screens, by type")
                    .tag("type", type.name()).register(meters));
        }
    }

    @ApplicationModuleListener
    void on(AppointmentEvents.AppointmentBooked e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @ApplicationModuleListener
    void on(AppointmentEvents.AppointmentRescheduled e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @ApplicationModuleListener
    void on(AppointmentEvents.AppointmentCancelled e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @ApplicationModuleListener
    void on(AppointmentEvents.AppointmentCheckedIn e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @ApplicationModuleListener
    void on(AppointmentEvents.AppointmentCompleted e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @ApplicationModuleListener
    void on(AppointmentEvents.AppointmentMarkedNoShow e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    private void relay(UUID clinic, StaffEvent event) {
        events.append(new ClinicId(clinic), event.type(), event.json());
        published.get(event.type()).increment();
    }
}
