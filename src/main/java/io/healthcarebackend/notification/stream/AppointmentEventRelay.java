package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.scheduling.AppointmentEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.scheduling.annotation.Async;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.stereotype.Component;

/**
 * Passes the scheduling module's appointment events on to the staff screens of their clinic.
 *
 * <p>A transactional event listener: after the booking's transaction commits, asynchronously
 * (Spring Modulith enables {@code @Async} itself when the application has no async configuration;
 * the executor is Spring Boot's, on virtual threads), with the event's publication stored in the
 * booking's transaction ({@code event_publication}) and marked complete only when this returns.
 * If Redis cannot take the event the listener fails and the publication stays incomplete, to be
 * resubmitted (at the latest on restart) — the screens get it late rather than never.
 *
 * <p>Unlike {@code @ApplicationModuleListener} it opens no transaction of its own: it touches no
 * table, and an empty transaction per event would cost a pooled connection's begin and commit.
 * The registry's own work per event (store, mark, delete) is the real price of durable staff
 * updates: docs/benchmarks.md, issue #5. Listeners for reminders live elsewhere and are independent
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

    @Async
    @TransactionalEventListener
    void on(AppointmentEvents.AppointmentBooked e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @Async
    @TransactionalEventListener
    void on(AppointmentEvents.AppointmentRescheduled e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @Async
    @TransactionalEventListener
    void on(AppointmentEvents.AppointmentCancelled e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @Async
    @TransactionalEventListener
    void on(AppointmentEvents.AppointmentCheckedIn e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @Async
    @TransactionalEventListener
    void on(AppointmentEvents.AppointmentCompleted e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    @Async
    @TransactionalEventListener
    void on(AppointmentEvents.AppointmentMarkedNoShow e) {
        relay(e.clinicId(), StaffEvent.of(e, clock.instant()));
    }

    private void relay(UUID clinic, StaffEvent event) {
        events.append(new ClinicId(clinic), event.type(), event.json());
        published.get(event.type()).increment();
    }
}
