package io.healthcarebackend.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.WorkerTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Publications left incomplete (here: the listener failed, as if the instance had died before
 * delivering) are resubmitted when an instance starts.
 */
@Import(FlakyListener.class)
class EventResubmissionOnStartTest extends ApiTest {

    @Test
    void anInstanceResubmitsIncompletePublicationsWhenItStarts() {
        Clinic clinic = newClinic();
        UUID clinicId = UUID.fromString(clinic.id);
        FlakyListener.FAILING.add(clinicId);
        Api.Response booked = clinic.book(clinic.adminToken, clinic.patient(), clinic.practitioner(), clinic.at(2, 10, 0));
        assertThat(booked.status()).isEqualTo(201);
        String id = booked.text("id");
        WorkerTest.await("the failed delivery left its publication incomplete", Duration.ofSeconds(10),
                () -> Publications.incomplete(id) == 1);
        FlakyListener.FAILING.remove(clinicId);
        assertThat(FlakyListener.RECEIVED).doesNotContain(UUID.fromString(id));

        // An API instance (no periodic redelivery): only the start-up resubmission can deliver it.
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(
                HealthcareBackendApplication.class, FlakyListener.class).run("--server.port=0", "--app.role=api")) {
            WorkerTest.await("the event was delivered after the start", Duration.ofSeconds(15),
                    () -> FlakyListener.RECEIVED.contains(UUID.fromString(id)));
            WorkerTest.await("the publication is complete", Duration.ofSeconds(5),
                    () -> Publications.incomplete(id) == 0);
        }
    }
}
