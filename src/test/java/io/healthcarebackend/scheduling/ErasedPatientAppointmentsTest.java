package io.healthcarebackend.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Dumps;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Erasing a patient cancels their future appointments (audited, reminders withdrawn) and leaves no
 * readable free text anywhere: not through the API (reads, lists, idempotent replays), not in a
 * backup taken before the erasure, whose ciphertext needs the destroyed key.
 */
class ErasedPatientAppointmentsTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);

    @Test
    void erasureCancelsFutureAppointmentsWithdrawsRemindersAndLeavesNoReadableText() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String bystander = clinic.patient();
        String practitioner = clinic.practitioner();
        String key = "key-" + UUID.randomUUID();
        String futureReason = "Canaryfuture " + run;
        String pastReason = "Canarypast " + run;
        String cancelReason = "Canarycancel " + run;

        Api.Response future = book(clinic, patient, practitioner, clinic.at(3, 10, 0), futureReason, key, false);
        String later = book(clinic, patient, practitioner, clinic.at(5, 14, 0), futureReason, null, false).text("id");
        String past = book(clinic, patient, practitioner, clinic.at(-2, 10, 0), pastReason, null, true).text("id");
        String cancelled = book(clinic, patient, practitioner, clinic.at(4, 10, 0), null, null, false).text("id");
        assertThat(api.post("/api/v1/appointments/" + cancelled + "/cancel", clinic.adminToken,
                Map.of("reason", cancelReason)).status()).isEqualTo(200);
        String others = book(clinic, bystander, practitioner, clinic.at(3, 11, 0), "bystander", null, false).text("id");
        assertThat(reminders(future.text("id"))).isPositive();
        assertThat(reminders(later)).isPositive();
        String backup = Dumps.dump(TestDatabase.NAME);

        assertThat(api.delete("/api/v1/patients/" + patient, clinic.adminToken).status()).isEqualTo(204);

        for (String id : List.of(future.text("id"), later)) {
            JsonNode after = api.get("/api/v1/appointments/" + id, clinic.adminToken).body();
            assertThat(after.path("status").asString()).as(id).isEqualTo("CANCELLED");
            assertThat(after.path("reason").isNull()).as(id).isTrue();
            assertThat(after.path("cancelReason").isNull()).as(id).isTrue();
            assertThat(reminders(id)).as("reminders of %s", id).isZero();
        }
        JsonNode pastAfter = api.get("/api/v1/appointments/" + past, clinic.adminToken).body();
        assertThat(pastAfter.path("status").asString()).as("a past appointment stays as it was").isEqualTo("BOOKED");
        assertThat(api.get("/api/v1/appointments/" + others, clinic.adminToken).text("status")).isEqualTo("BOOKED");
        assertThat(api.get("/api/v1/appointments/" + others, clinic.adminToken).text("reason")).isEqualTo("bystander");
        assertThat(reminders(others)).isPositive();

        Api.Response list = api.get("/api/v1/appointments?patientId=" + patient + "&limit=50", clinic.adminToken);
        assertThat(list.items()).hasSize(4);
        Api.Response replay = book(clinic, patient, practitioner, clinic.at(3, 10, 0), futureReason, key, false);
        Api.Response each = api.get("/api/v1/appointments/" + cancelled, clinic.adminToken);
        for (Api.Response read : List.of(list, replay, each, api.get("/api/v1/appointments/" + past,
                clinic.adminToken))) {
            assertThat(read.raw().body()).doesNotContain("Canary");
        }
        assertThat(replay.text("id")).isEqualTo(future.text("id"));

        List<JsonNode> audit = api.get("/api/v1/audit-events?patientId=" + patient + "&limit=100",
                clinic.adminToken).items();
        assertThat(audit).filteredOn(e -> "cancelled: patient erased".equals(e.path("reason").asString()))
                .extracting(e -> e.path("action").asString() + " " + e.path("resourceId").asString())
                .containsExactlyInAnyOrder("UPDATE " + future.text("id"), "UPDATE " + later);

        // The backup taken before the erasure holds the text sealed only, under a key that is gone.
        String afterErasure = Dumps.dump(TestDatabase.NAME);
        List<String> canaries = List.of(futureReason, pastReason, cancelReason);
        assertThat(Dumps.found(backup, canaries)).as("in the backup taken before the erasure").isEmpty();
        assertThat(Dumps.found(afterErasure, canaries)).as("in a backup taken after it").isEmpty();
        assertThat(Dumps.row(backup, "appointments", past).get("reason_sealed")).startsWith("\\\\x");
        assertThat(Dumps.dump(TestDatabase.KEYS_NAME)).doesNotContain(patient);
    }

    @Test
    void nothingNewIsBookedForAnErasedPatient() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        assertThat(api.delete("/api/v1/patients/" + patient, clinic.adminToken).status()).isEqualTo(204);
        Api.Response booked = clinic.book(clinic.adminToken, patient, clinic.practitioner(), clinic.at(2, 10, 0));
        io.healthcarebackend.support.ProblemAssertions.assertProblem(booked, 410, "PATIENT_ERASED");
    }

    private Api.Response book(Clinic clinic, String patient, String practitioner, Instant start, String reason,
            String key, boolean backdate) {
        Map<String, Object> body = new HashMap<>(Map.of("patientId", patient, "practitionerId", practitioner,
                "start", start.toString(), "end", start.plus(SLOT).toString(), "backdate", backdate));
        if (reason != null) {
            body.put("reason", reason);
        }
        Api.Response response = key == null ? api.post("/api/v1/appointments", clinic.adminToken, body)
                : api.post("/api/v1/appointments", clinic.adminToken, body, Map.of("Idempotency-Key", key));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response;
    }

    /** Pending reminders of the appointment in the job table, as an operator sees it. */
    private static int reminders(String appointment) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select count(*) from scheduled_tasks where task_name = 'appointment-reminder' "
                        + "and task_instance like ?")) {
            s.setString(1, appointment + ".%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
