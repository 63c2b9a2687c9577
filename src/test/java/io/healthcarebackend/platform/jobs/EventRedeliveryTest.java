package io.healthcarebackend.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.WorkerTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** A domain event whose listener failed stays incomplete and is delivered again by the periodic job. */
@Import(FlakyListener.class)
@TestPropertySource(properties = {"app.jobs.event-redelivery-interval=500ms", "app.jobs.event-redelivery-after=1s"})
class EventRedeliveryTest extends WorkerTest {

    @Test
    void anIncompletePublicationIsResubmittedByThePeriodicJobUntilItsListenerCompletes() throws Exception {
        Clinic clinic = newClinic();
        UUID clinicId = UUID.fromString(clinic.id);
        FlakyListener.FAILING.add(clinicId);
        Api.Response booked = clinic.book(clinic.adminToken, clinic.patient(), clinic.practitioner(), clinic.at(2, 10, 0));
        assertThat(booked.status()).isEqualTo(201);
        String id = booked.text("id");
        await("the failed delivery left its publication incomplete", Duration.ofSeconds(10),
                () -> Publications.incomplete(id) == 1);
        Thread.sleep(1500);
        assertThat(FlakyListener.RECEIVED).doesNotContain(UUID.fromString(id));
        assertThat(Publications.incomplete(id)).as("still incomplete while the listener fails").isEqualTo(1);

        FlakyListener.FAILING.remove(clinicId);
        await("the resubmitted event reached the listener", Duration.ofSeconds(15),
                () -> FlakyListener.RECEIVED.contains(UUID.fromString(id)));
        await("the publication is complete", Duration.ofSeconds(5), () -> Publications.incomplete(id) == 0);
    }
}
