package io.healthcarebackend.notification.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthcarebackend.platform.jobs.DeadLetter;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.WorkerTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What happens when the SMS provider misbehaves: a 503 with Retry-After is retried under the same
 * idempotency key and sent once; a provider that keeps failing dead-letters the job, which an
 * operator retries once it is back; a refused number is recorded and never retried.
 */
class DeliveryFailuresTest extends WorkerTest {

    private static final AtomicLong NUMBERS = new AtomicLong(4918000000L);

    @AfterEach
    void providerBackToNormal() {
        acceptEverySms(SMS);
    }

    @Test
    void aProviderOutageIsRetriedAfterItsRetryAfterAndSentOnce() {
        String phone = nextPhone();
        SMS.stubFor(post(urlPathMatching(".*/Messages.json")).atPriority(1).withRequestBody(containing(encoded(phone)))
                .inScenario(phone).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
        SMS.stubFor(post(urlPathMatching(".*/Messages.json")).atPriority(1).withRequestBody(containing(encoded(phone)))
                .inScenario(phone).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SMretried\"}")));
        Clinic clinic = smsOnlyClinic();
        String appointment = book(clinic, phone);

        JsonNode record = awaitStatus(clinic, appointment, "SENT");
        assertThat(record.path("attempts").asInt()).isEqualTo(2);
        assertThat(record.path("providerId").asString()).isEqualTo("SMretried");
        assertThat(record.path("lastError").isNull()).isTrue();
        List<LoggedRequest> requests = requestsTo(phone);
        assertThat(requests).hasSize(2);
        assertThat(requests).extracting(r -> r.getHeader("I-Twilio-Idempotency-Token")).containsOnly(
                record.path("idempotencyKey").asString());
        assertThat(requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime())
                .as("waited for Retry-After").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aMessageThatKeepsFailingIsDeadLetteredAndSentWhenAnOperatorRetriesIt() {
        String phone = nextPhone();
        SMS.stubFor(post(urlPathMatching(".*/Messages.json")).atPriority(1).withRequestBody(containing(encoded(phone)))
                .willReturn(aResponse().withStatus(500)));
        Clinic clinic = smsOnlyClinic();
        String appointment = book(clinic, phone);

        await("the confirmation is dead-lettered", Duration.ofSeconds(30), () -> JobRows.of(appointment).stream()
                .anyMatch(r -> r.task().equals("appointment-confirmation") && r.at().equals(DeadLetter.PARKED_UNTIL)));
        JobRows.Row dead = JobRows.of(appointment).stream().filter(r -> r.task().equals("appointment-confirmation"))
                .findFirst().orElseThrow();
        assertThat(dead.failures()).isEqualTo(4);
        JsonNode record = deliveries(clinic, appointment).getFirst();
        assertThat(record.path("status").asString()).isEqualTo("RETRYING");
        assertThat(record.path("attempts").asInt()).isEqualTo(4);
        assertThat(record.path("lastError").asString()).isEqualTo("HTTP 500");
        assertThat(requestsTo(phone)).hasSize(4);

        acceptEverySms(SMS);
        JobRows.update("update scheduled_tasks set execution_time = now() where task_name = 'appointment-confirmation' "
                + "and task_instance like ?", appointment + ".%");
        JsonNode sent = awaitStatus(clinic, appointment, "SENT");
        assertThat(sent.path("attempts").asInt()).isEqualTo(5);
        assertThat(JobRows.of(appointment)).noneMatch(r -> r.task().equals("appointment-confirmation"));
    }

    @Test
    void aRefusedNumberIsRecordedAndNeverRetried() throws Exception {
        String phone = nextPhone();
        SMS.stubFor(post(urlPathMatching(".*/Messages.json")).atPriority(1).withRequestBody(containing(encoded(phone)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":21211,\"message\":\"The 'To' number " + phone + " is not valid.\"}")));
        Clinic clinic = smsOnlyClinic();
        String appointment = book(clinic, phone);

        JsonNode record = awaitStatus(clinic, appointment, "REJECTED");
        assertThat(record.path("lastError").asString()).isEqualTo("HTTP 400 code 21211").doesNotContain(phone);
        Thread.sleep(1500);
        assertThat(requestsTo(phone)).hasSize(1);
        assertThat(JobRows.of(appointment)).noneMatch(r -> r.task().equals("appointment-confirmation"));
    }

    private Clinic smsOnlyClinic() {
        Clinic clinic = newClinic();
        Api.Response set = api.put("/api/v1/clinics/" + clinic.id + "/notification-settings", clinic.adminToken,
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(1440), "channels", List.of("SMS")));
        assertThat(set.status()).isEqualTo(200);
        return clinic;
    }

    private String book(Clinic clinic, String phone) {
        Api.Response patient = api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName", "Fail",
                "familyName", "Over", "birthDate", "1970-07-07", "phone", phone));
        assertThat(patient.status()).isEqualTo(201);
        Api.Response booked = clinic.book(clinic.adminToken, patient.text("id"), clinic.practitioner(),
                clinic.at(3, 10, 0));
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        return booked.text("id");
    }

    private List<JsonNode> deliveries(Clinic clinic, String appointment) {
        return api.get("/api/v1/appointments/" + appointment + "/notifications", clinic.adminToken).items();
    }

    private JsonNode awaitStatus(Clinic clinic, String appointment, String status) {
        await("the delivery is " + status, Duration.ofSeconds(30), () -> deliveries(clinic, appointment).stream()
                .anyMatch(r -> r.path("status").asString().equals(status)));
        return deliveries(clinic, appointment).getFirst();
    }

    private static List<LoggedRequest> requestsTo(String phone) {
        return SMS.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))
                .withRequestBody(containing(encoded(phone))));
    }

    private static String encoded(String phone) {
        return "To=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
    }

    private static String nextPhone() {
        return "+" + NUMBERS.incrementAndGet();
    }
}
