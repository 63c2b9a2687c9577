package io.healthcarebackend.notification.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.WorkerTest;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Confirmations and reminders end to end: planned in the booking's transaction, moved and withdrawn
 * with the appointment, sent by this JVM's worker over SMTP (GreenMail) and a Twilio-shaped SMS
 * API (WireMock), with a delivery record per message and channel.
 */
class RemindersTest extends WorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void bookingQueuesItsConfirmationAndRemindersAndTheConfirmationGoesOutOnEveryChannel() throws Exception {
        Clinic clinic = newClinic("Europe/Berlin");
        String email = "patient-" + UUID.randomUUID() + "@tests.invalid";
        String phone = "+4915" + (100000000L + (long) (Math.random() * 899999999L));
        String patient = patientWith(clinic, email, phone);
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(3, 10, 0);
        Api.Response booked = api.post("/api/v1/appointments", clinic.adminToken, Map.of("patientId", patient,
                "practitionerId", practitioner, "start", start.toString(),
                "end", start.plus(Duration.ofMinutes(30)).toString(), "reason", "suspected fracture"));
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        String id = booked.text("id");

        List<JobRows.Row> queued = JobRows.of(id);
        assertThat(queued).extracting(JobRows.Row::task).containsExactlyInAnyOrder("appointment-confirmation",
                "appointment-reminder", "appointment-reminder");
        assertThat(queued).filteredOn(r -> r.task().equals("appointment-reminder")).extracting(JobRows.Row::at)
                .containsExactlyInAnyOrder(start.minus(Duration.ofHours(24)), start.minus(Duration.ofHours(2)));
        assertThat(queued).filteredOn(r -> r.task().equals("appointment-confirmation"))
                .allMatch(r -> r.priority() == 100 && r.at().isBefore(Instant.now().plusSeconds(1)));
        assertThat(queued).filteredOn(r -> r.task().equals("appointment-reminder")).allMatch(r -> r.priority() == 0);

        MimeMessage mail = awaitMailTo(email);
        assertThat(mail.getSubject()).contains("Your appointment at Clinic");
        String text = mail.getContent().toString();
        ZonedDateTime local = start.atZone(clinic.zone);
        assertThat(text).contains(local.toLocalDate().toString()).contains("10:00").doesNotContain("fracture");

        LoggedRequest sms = awaitSmsTo(phone).getFirst();
        assertThat(sms.getBodyAsString()).doesNotContain("fracture").contains("10%3A00");
        assertThat(sms.getHeader("Authorization")).startsWith("Basic ");

        List<JsonNode> records = awaitDeliveries(clinic, id, 2);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.path("kind").asString()).isEqualTo("CONFIRMATION");
            assertThat(r.path("status").asString()).isEqualTo("SENT");
            assertThat(r.path("attempts").asInt()).isEqualTo(1);
            assertThat(r.path("providerId").asString()).isNotBlank();
            assertThat(r.path("sentAt").isNull()).isFalse();
        });
        JsonNode smsRecord = records.stream().filter(r -> r.path("channel").asString().equals("SMS")).findFirst()
                .orElseThrow();
        assertThat(sms.getHeader("I-Twilio-Idempotency-Token")).isEqualTo(smsRecord.path("idempotencyKey").asString());
        JsonNode mailRecord = records.stream().filter(r -> r.path("channel").asString().equals("EMAIL")).findFirst()
                .orElseThrow();
        assertThat(mail.getMessageID()).contains(mailRecord.path("idempotencyKey").asString());

        String metrics = api.get("/metrics", null, Map.of("Accept", "text/plain")).raw().body();
        assertThat(metrics).containsPattern(
                "healthcare_notifications_total\\{.*channel=\"SMS\",kind=\"CONFIRMATION\",outcome=\"sent\"} [1-9]")
                .containsPattern("healthcare_reminder_lag_seconds_count\\{.*kind=\"CONFIRMATION\"} [1-9]")
                .containsPattern("healthcare_queue_depth\\{.*task=\"appointment-reminder\"}");
    }

    @Test
    void cancellingWithdrawsThePendingRemindersAndReschedulingMovesThem() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(4, 11, 0);
        String moved = book(clinic, clinic.patient(), practitioner, start);
        String cancelled = book(clinic, clinic.patient(), practitioner, start.plus(Duration.ofHours(2)));
        assertThat(JobRows.of(moved)).filteredOn(r -> r.task().equals("appointment-reminder")).hasSize(2);

        Instant later = clinic.at(5, 14, 0);
        Api.Response rescheduled = api.post("/api/v1/appointments/" + moved + "/reschedule", clinic.adminToken,
                Map.of("start", later.toString(), "end", later.plus(Duration.ofMinutes(30)).toString()));
        assertThat(rescheduled.status()).as("%s", rescheduled).isEqualTo(200);
        assertThat(JobRows.of(moved)).filteredOn(r -> r.task().equals("appointment-reminder"))
                .extracting(JobRows.Row::at)
                .containsExactlyInAnyOrder(later.minus(Duration.ofHours(24)), later.minus(Duration.ofHours(2)));

        Api.Response cancel = api.post("/api/v1/appointments/" + cancelled + "/cancel", clinic.adminToken,
                Map.of("reason", "patient called"));
        assertThat(cancel.status()).as("%s", cancel).isEqualTo(200);
        assertThat(JobRows.of(cancelled)).filteredOn(r -> r.task().equals("appointment-reminder")).isEmpty();
    }

    @Test
    void aPatientWithoutAddressIsSkippedAndRecordedWhileTheOthersAreSent() throws Exception {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String unreachable = book(clinic, clinic.patient(), practitioner, clinic.at(3, 9, 0));
        String email = "reachable-" + UUID.randomUUID() + "@tests.invalid";
        String reachable = book(clinic, patientWith(clinic, email, null), practitioner, clinic.at(3, 9, 30));

        JsonNode skipped = awaitDeliveries(clinic, unreachable, 1).getFirst();
        assertThat(skipped.path("status").asString()).isEqualTo("SKIPPED");
        assertThat(skipped.path("channel").isNull()).isTrue();
        assertThat(skipped.path("lastError").asString()).isEqualTo(NoticeSender.NO_ADDRESS);
        awaitMailTo(email);
        assertThat(awaitDeliveries(clinic, reachable, 1).getFirst().path("status").asString()).isEqualTo("SENT");
    }

    @Test
    void withoutAnEnabledChannelTheMessageIsSkippedWithoutOpeningThePatientsRecord() {
        Clinic clinic = newClinic();
        assertThat(api.put("/api/v1/clinics/" + clinic.id + "/notification-settings", clinic.adminToken,
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(120), "channels", List.of()))
                .status()).isEqualTo(200);
        String id = book(clinic, patientWith(clinic, "quiet-" + UUID.randomUUID() + "@tests.invalid", null),
                clinic.practitioner(), clinic.at(3, 9, 0));
        JsonNode skipped = awaitDeliveries(clinic, id, 1).getFirst();
        assertThat(skipped.path("status").asString()).isEqualTo("SKIPPED");
        assertThat(skipped.path("lastError").asString()).isEqualTo(NoticeSender.NO_CHANNEL);
    }

    @Test
    void remindersRespectTheClinicsQuietHoursInItsTimeZone() {
        Clinic clinic = newClinic("America/New_York");
        Api.Response set = api.put("/api/v1/clinics/" + clinic.id + "/notification-settings", clinic.adminToken,
                Map.of("confirmations", true, "reminderOffsetsMinutes", List.of(1440, 120),
                        "quietHours", Map.of("start", "20:00", "end", "08:00"), "channels", List.of("EMAIL", "SMS")));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
        Instant start = clinic.at(4, 8, 30);
        String id = book(clinic, clinic.patient(), clinic.practitioner(), start);
        ZonedDateTime local = start.atZone(clinic.zone);
        Instant dayBefore = local.minusDays(1).toInstant();
        // 06:30 falls in the quiet hours: the 2-hour reminder goes out at 19:59 the evening before.
        Instant eveningBefore = local.minusDays(1).withHour(19).withMinute(59).toInstant();
        assertThat(JobRows.of(id)).filteredOn(r -> r.task().equals("appointment-reminder"))
                .extracting(JobRows.Row::at).containsExactlyInAnyOrder(dayBefore, eveningBefore);
    }

    @Test
    void aClinicsOwnTemplateIsUsedForItsReminders() throws Exception {
        Clinic clinic = newClinic();
        Map<String, Object> settings = new HashMap<>(Map.of("confirmations", false,
                "reminderOffsetsMinutes", List.of(1440), "channels", List.of("EMAIL", "SMS")));
        settings.put("templates", Map.of(
                "REMINDER.EMAIL", Map.of("subject", "See you {{weekday}}", "body", "Hello from {{clinic}} at {{time}}."),
                "REMINDER.SMS", Map.of("body", "{{clinic}}: {{date}} {{time}}. Reply STOP to opt out.")));
        assertThat(api.put("/api/v1/clinics/" + clinic.id + "/notification-settings", clinic.adminToken, settings)
                .status()).isEqualTo(200);
        String email = "templated-" + UUID.randomUUID() + "@tests.invalid";
        String phone = "+4916" + (100000000L + (long) (Math.random() * 899999999L));
        Instant start = clinic.at(3, 15, 0);
        String id = book(clinic, patientWith(clinic, email, phone), clinic.practitioner(), start);
        assertThat(JobRows.of(id)).extracting(JobRows.Row::task).containsExactly("appointment-reminder");

        assertThat(JobRows.dueNow(id)).isEqualTo(1);
        MimeMessage mail = awaitMailTo(email);
        String weekday = start.atZone(clinic.zone).getDayOfWeek().getDisplayName(java.time.format.TextStyle.FULL,
                java.util.Locale.ENGLISH);
        assertThat(mail.getSubject()).isEqualTo("See you " + weekday);
        assertThat(mail.getContent().toString()).contains("Hello from Clinic").contains("at 15:00.");
        assertThat(awaitSmsTo(phone).getFirst().getBodyAsString()).contains("Reply+STOP+to+opt+out");
        assertThat(awaitDeliveries(clinic, id, 2)).allSatisfy(r -> assertThat(r.path("kind").asString())
                .isEqualTo("REMINDER"));
    }

    @Test
    void aPatientWhoseAppRegisteredAPushTokenGetsThePushToo() {
        Clinic clinic = newClinic();
        String patient = patientWith(clinic, "push-" + UUID.randomUUID() + "@tests.invalid", null);
        String token = "fcm-" + UUID.randomUUID();
        assertThat(api.put("/api/v1/patients/" + patient + "/push-token", clinic.adminToken, Map.of("token", token))
                .status()).isEqualTo(204);
        String id = book(clinic, patient, clinic.practitioner(), clinic.at(3, 11, 0));

        await("a push to the patient's device", WAIT, () -> !SMS.findAll(postRequestedFor(
                urlPathMatching("/v1/projects/hb-tests/messages:send")).withRequestBody(containing(token))).isEmpty());
        LoggedRequest push = SMS.findAll(postRequestedFor(urlPathMatching("/v1/projects/hb-tests/messages:send"))
                .withRequestBody(containing(token))).getFirst();
        assertThat(push.getHeader("Authorization")).isEqualTo("Bearer test-push-token");
        assertThat(push.getBodyAsString()).contains("Your appointment at Clinic").contains("11:00");
        List<JsonNode> records = awaitDeliveries(clinic, id, 2);
        assertThat(records).extracting(r -> r.path("channel").asString()).containsExactlyInAnyOrder("EMAIL", "PUSH");
        assertThat(records).allMatch(r -> r.path("status").asString().equals("SENT"));
        assertThat(push.getHeader("X-Idempotency-Key")).isEqualTo(records.stream()
                .filter(r -> r.path("channel").asString().equals("PUSH")).findFirst().orElseThrow()
                .path("idempotencyKey").asString());
    }

    // --- helpers

    private String patientWith(Clinic clinic, String email, String phone) {
        Map<String, Object> body = new HashMap<>(Map.of("givenName", "Rea", "familyName", "Minder",
                "birthDate", "1975-05-05", "email", email));
        if (phone != null) {
            body.put("phone", phone);
        }
        Api.Response created = api.post("/api/v1/patients", clinic.adminToken, body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.text("id");
    }

    private String book(Clinic clinic, String patient, String practitioner, Instant start) {
        Api.Response booked = clinic.book(clinic.adminToken, patient, practitioner, start);
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        return booked.text("id");
    }

    private static MimeMessage awaitMailTo(String address) {
        MimeMessage[] found = new MimeMessage[1];
        await("an e-mail to the patient", WAIT, () -> {
            found[0] = Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
                try {
                    return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
                } catch (jakarta.mail.MessagingException e) {
                    return false;
                }
            }).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private static List<LoggedRequest> awaitSmsTo(String phone) {
        String encoded = java.net.URLEncoder.encode(phone, java.nio.charset.StandardCharsets.UTF_8);
        await("an SMS to the patient", WAIT, () -> !SMS.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))
                .withRequestBody(containing("To=" + encoded))).isEmpty());
        return SMS.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))
                .withRequestBody(containing("To=" + encoded)));
    }

    private List<JsonNode> awaitDeliveries(Clinic clinic, String appointment, int count) {
        await(count + " finished delivery records", WAIT, () -> {
            List<JsonNode> items = api.get("/api/v1/appointments/" + appointment + "/notifications",
                    clinic.adminToken).items();
            return items.size() >= count && items.stream().noneMatch(i -> i.path("status").asString()
                    .equals("SENDING"));
        });
        return api.get("/api/v1/appointments/" + appointment + "/notifications", clinic.adminToken).items();
    }
}
