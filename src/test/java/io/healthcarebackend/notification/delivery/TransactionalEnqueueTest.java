package io.healthcarebackend.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Tenancy;
import io.healthcarebackend.scheduling.AppointmentEvents.AppointmentBooked;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The messages of a booking are queued in the booking's own transaction: they exist when it
 * commits and not when it rolls back (the event the booking publishes, handled inside it).
 */
class TransactionalEnqueueTest extends ApiTest {

    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aBookingThatRollsBackLeavesNoMessageAndOneThatCommitsLeavesAll() {
        Clinic clinic = newClinic();
        ClinicId id = new ClinicId(UUID.fromString(clinic.id));
        Instant start = Instant.now().plus(Duration.ofDays(3));
        UUID rolledBack = UUID.randomUUID();
        UUID committed = UUID.randomUUID();
        TransactionTemplate tx = new TransactionTemplate(transactions);

        Tenancy.callAs(id, () -> tx.execute(status -> {
            events.publishEvent(new AppointmentBooked(rolledBack, id.value(), UUID.randomUUID(), UUID.randomUUID(),
                    start, start.plus(Duration.ofMinutes(30))));
            assertThat(JobRows.of(rolledBack.toString())).as("not visible before the commit").isEmpty();
            status.setRollbackOnly();
            return null;
        }));
        Tenancy.callAs(id, () -> tx.execute(status -> {
            events.publishEvent(new AppointmentBooked(committed, id.value(), UUID.randomUUID(), UUID.randomUUID(),
                    start, start.plus(Duration.ofMinutes(30))));
            return null;
        }));

        assertThat(JobRows.of(rolledBack.toString())).isEmpty();
        assertThat(JobRows.of(committed.toString())).extracting(JobRows.Row::task)
                .containsExactlyInAnyOrder("appointment-confirmation", "appointment-reminder", "appointment-reminder");
    }
}
