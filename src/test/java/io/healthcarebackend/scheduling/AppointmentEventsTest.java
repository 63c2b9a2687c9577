package io.healthcarebackend.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.events.ApplicationModuleListener;

/**
 * Domain events go through the JDBC event publication registry: stored with the change, delivered after
 * commit, deleted once complete (a failed delivery stays: platform/jobs/EventRedeliveryTest).
 */
@Import(AppointmentEventsTest.Listener.class)
class AppointmentEventsTest extends ApiTest {

    @TestConfiguration
    static class Listener {
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

        /** A method, not a field: the listener bean is a proxy (async, transactional). */
        BlockingQueue<Object> received() {
            return received;
        }

        @ApplicationModuleListener
        void on(AppointmentEvents.AppointmentBooked event) {
            received.add(event);
        }

        @ApplicationModuleListener
        void on(AppointmentEvents.AppointmentCancelled event) {
            received.add(event);
        }
    }

    @Autowired
    Listener listener;

    @Test
    void bookingAndCancellingPublishEventsThroughTheRegistry() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(2, 10, 0);
        Api.Response booked = clinic.book(clinic.adminToken, patient, practitioner, start);
        assertThat(booked.status()).isEqualTo(201);
        UUID id = UUID.fromString(booked.text("id"));

        Object event = poll(e -> e instanceof AppointmentEvents.AppointmentBooked b && b.appointmentId().equals(id));
        var bookedEvent = (AppointmentEvents.AppointmentBooked) event;
        assertThat(bookedEvent.clinicId()).isEqualTo(UUID.fromString(clinic.id));
        assertThat(bookedEvent.patientId()).isEqualTo(UUID.fromString(patient));
        assertThat(bookedEvent.start()).isEqualTo(start);
        assertThat(remainingPublications(id)).as("completed publications are deleted").isZero();

        Api.Response cancelled = api.post("/api/v1/appointments/" + id + "/cancel", clinic.adminToken,
                Map.of("reason", "patient called"));
        assertThat(cancelled.status()).isEqualTo(200);
        poll(e -> e instanceof AppointmentEvents.AppointmentCancelled c && c.appointmentId().equals(id));
    }

    /** What tells staff screens and withdraws reminders: the ordinary cancellation event, after the erasure commits. */
    @Test
    void erasingAPatientPublishesTheCancellationOfTheirFutureAppointments() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        Api.Response booked = clinic.book(clinic.adminToken, patient, clinic.practitioner(), clinic.at(2, 10, 0));
        assertThat(booked.status()).isEqualTo(201);
        UUID id = UUID.fromString(booked.text("id"));

        assertThat(api.delete("/api/v1/patients/" + patient, clinic.adminToken).status()).isEqualTo(204);

        var cancelled = (AppointmentEvents.AppointmentCancelled) poll(e ->
                e instanceof AppointmentEvents.AppointmentCancelled c && c.appointmentId().equals(id));
        assertThat(cancelled.patientId()).isEqualTo(UUID.fromString(patient));
        assertThat(cancelled.clinicId()).isEqualTo(UUID.fromString(clinic.id));
    }

    @Test
    void aRejectedBookingPublishesNothing() throws Exception {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(3, 11, 0);
        assertThat(clinic.book(clinic.adminToken, clinic.patient(), practitioner, start).status()).isEqualTo(201);
        Api.Response refused = clinic.book(clinic.adminToken, clinic.patient(), practitioner, start);
        assertThat(refused.status()).isEqualTo(409);
        UUID practitionerId = UUID.fromString(practitioner);
        poll(e -> e instanceof AppointmentEvents.AppointmentBooked b && b.practitionerId().equals(practitionerId));
        Thread.sleep(500);
        assertThat(listener.received().stream().filter(e -> e instanceof AppointmentEvents.AppointmentBooked b
                && b.practitionerId().equals(practitionerId))).as("only the successful booking is published").isEmpty();
    }

    private Object poll(java.util.function.Predicate<Object> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            Object next = listener.received().poll(200, TimeUnit.MILLISECONDS);
            if (next != null && wanted.test(next)) {
                return next;
            }
        }
        throw new AssertionError("event not received within 10 s");
    }

    /** Publications of the appointment's events still in the registry, once their listeners had time to finish. */
    private static int remainingPublications(UUID appointment) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        int count = -1;
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = TestDatabase.superuserOnTestDb();
                    PreparedStatement s = c.prepareStatement("select count(*) from event_publication "
                            + "where serialized_event like ?")) {
                s.setString(1, "%" + appointment + "%");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    count = rs.getInt(1);
                }
            }
            if (count == 0) {
                return count;
            }
            Thread.sleep(100);
        }
        return count;
    }
}
