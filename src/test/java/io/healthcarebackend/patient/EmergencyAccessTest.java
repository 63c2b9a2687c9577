package io.healthcarebackend.patient;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Restricted records, break-glass access and the per-patient access report. */
class EmergencyAccessTest extends ApiTest {

    private static List<JsonNode> items(Api.Response response) {
        return response.items();
    }

    private String restrictedPatient(Clinic clinic) {
        String patient = clinic.patient("Vera", "Important", "1970-05-05");
        Api.Response restricted = api.put("/api/v1/patients/" + patient + "/restriction", clinic.adminToken,
                Map.of("restricted", true));
        assertThat(restricted.status()).as("%s", restricted).isEqualTo(200);
        return patient;
    }

    @Test
    void aRestrictedRecordIsRefusedWithoutAGrantAndSearchShowsOnlyThatItExists() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        String patient = restrictedPatient(clinic);

        assertProblem(api.get("/api/v1/patients/" + patient, receptionist.token()), 403, "EMERGENCY_ACCESS_REQUIRED");
        assertProblem(api.patch("/api/v1/patients/" + patient, receptionist.token(), Map.of("givenName", "X")), 403,
                "EMERGENCY_ACCESS_REQUIRED");
        List<JsonNode> found = items(api.post("/api/v1/patients/search", receptionist.token(),
                Map.of("name", "Important")));
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().get("id").asString()).isEqualTo(patient);
        assertThat(found.getFirst().get("restricted").asBoolean()).isTrue();
        assertThat(found.getFirst().get("givenName").isNull()).isTrue();
        assertThat(found.getFirst().get("birthDate").isNull()).isTrue();

        List<JsonNode> events = items(api.get("/api/v1/audit-events?patientId=" + patient + "&actorId="
                + receptionist.id(), clinic.adminToken));
        assertThat(events).extracting(e -> e.get("action").asString() + " " + e.get("outcome").asString())
                .containsExactly("ACCESS_DENIED DENIED", "ACCESS_DENIED DENIED");
    }

    @Test
    void onlyAClinicAdminRestrictsARecord() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        assertProblem(api.put("/api/v1/patients/" + patient + "/restriction", clinic.user("PRACTITIONER").token(),
                Map.of("restricted", true)), 403, "FORBIDDEN");
        assertProblem(api.put("/api/v1/patients/" + patient + "/restriction", clinic.adminToken, Map.of()), 400,
                "VALIDATION_FAILED");
        assertProblem(api.put("/api/v1/patients/" + patient + "/restriction", newClinic().adminToken,
                Map.of("restricted", true)), 404, "NOT_FOUND");
    }

    @Test
    void breakGlassNeedsAReasonOpensTheRecordForTheCallerAloneAndFlagsEverythingTheyDo() {
        Clinic clinic = newClinic();
        User nurse = clinic.user("RECEPTIONIST");
        User other = clinic.user("RECEPTIONIST");
        String patient = restrictedPatient(clinic);

        assertProblem(api.post("/api/v1/patients/" + patient + "/emergency-access", nurse.token(), Map.of()), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/patients/" + patient + "/emergency-access", nurse.token(),
                Map.of("reason", "  ")), 400, "VALIDATION_FAILED");
        Api.Response granted = api.post("/api/v1/patients/" + patient + "/emergency-access", nurse.token(),
                Map.of("reason", "unconscious in the waiting room"));
        assertThat(granted.status()).as("%s", granted).isEqualTo(200);
        Instant expires = Instant.parse(granted.text("expiresAt"));
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));

        Api.Response read = api.get("/api/v1/patients/" + patient, nurse.token());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("givenName")).isEqualTo("Vera");
        Api.Response booked = clinic.book(nurse.token(), patient, clinic.practitioner(), clinic.nextMonday(10));
        assertThat(booked.status()).isEqualTo(201);
        assertProblem(api.get("/api/v1/patients/" + patient, other.token()), 403, "EMERGENCY_ACCESS_REQUIRED");

        List<JsonNode> flagged = items(api.get("/api/v1/audit-events?emergency=true&patientId=" + patient,
                clinic.adminToken));
        assertThat(flagged).extracting(e -> e.get("action").asString())
                .containsExactly("CREATE", "READ", "EMERGENCY_ACCESS");
        assertThat(flagged).allSatisfy(e -> {
            assertThat(e.get("actorId").asString()).isEqualTo(nurse.id());
            assertThat(e.get("reason").asString()).isEqualTo("unconscious in the waiting room");
        });
    }

    @Test
    void anExpiredGrantNoLongerOpensTheRecord() throws Exception {
        Clinic clinic = newClinic();
        User nurse = clinic.user("PRACTITIONER");
        String patient = restrictedPatient(clinic);
        assertThat(api.post("/api/v1/patients/" + patient + "/emergency-access", nurse.token(),
                Map.of("reason", "cardiac arrest")).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/patients/" + patient, nurse.token()).status()).isEqualTo(200);
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update emergency_grants set expires_at = now() - interval '1 second' where patient_id = ?::uuid")) {
            s.setString(1, patient);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        assertProblem(api.get("/api/v1/patients/" + patient, nurse.token()), 403, "EMERGENCY_ACCESS_REQUIRED");
    }

    @Test
    void theAccessReportTellsWhoOpenedTheRecordWhenAndWhy() {
        Clinic clinic = newClinic();
        User nurse = clinic.user("RECEPTIONIST");
        User compliance = clinic.user("COMPLIANCE_OFFICER");
        String patient = restrictedPatient(clinic);
        api.get("/api/v1/patients/" + patient, nurse.token());
        api.post("/api/v1/patients/" + patient + "/emergency-access", nurse.token(), Map.of("reason", "allergy check"));
        api.get("/api/v1/patients/" + patient, nurse.token());

        // The report of a restricted record opens like the record: under a grant, whose reason it then shows.
        assertProblem(api.get("/api/v1/patients/" + patient + "/access-report", compliance.token()), 403,
                "EMERGENCY_ACCESS_REQUIRED");
        assertProblem(api.get("/api/v1/patients/" + patient + "/access-report", clinic.adminToken), 403,
                "EMERGENCY_ACCESS_REQUIRED");
        assertThat(api.post("/api/v1/patients/" + patient + "/emergency-access", compliance.token(),
                Map.of("reason", "access review")).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/patients/" + patient, compliance.token()), 403, "FORBIDDEN");

        List<JsonNode> report = items(api.get("/api/v1/patients/" + patient + "/access-report", compliance.token()));
        List<JsonNode> granted = report.stream().filter(e -> !e.get("action").asString().equals("ACCESS_DENIED"))
                .toList();
        assertThat(granted).extracting(e -> e.get("action").asString() + " " + e.get("outcome").asString() + " "
                + e.get("emergency").asBoolean() + " " + e.get("actorId").asString()).containsExactly(
                "EMERGENCY_ACCESS SUCCESS true " + compliance.id(), "READ SUCCESS true " + nurse.id(),
                "EMERGENCY_ACCESS SUCCESS true " + nurse.id(), "UPDATE SUCCESS false " + clinic.adminId,
                "CREATE SUCCESS false " + clinic.adminId);
        assertThat(granted.get(0).get("reason").asString()).isEqualTo("access review");
        assertThat(granted.get(1).get("reason").asString()).isEqualTo("allergy check");
        assertThat(granted.getFirst().get("at").asString()).isNotBlank();
        // The nurse's refusal, and the refused reports of the compliance officer and the administrator.
        assertThat(report).filteredOn(e -> e.get("action").asString().equals("ACCESS_DENIED"))
                .extracting(e -> e.get("actorId").asString()).contains(nurse.id(), compliance.id(), clinic.adminId);

        assertThat(api.post("/api/v1/patients/" + patient + "/emergency-access", clinic.adminToken,
                Map.of("reason", "access review")).status()).isEqualTo(200);
        Api.Response firstPage = api.get("/api/v1/patients/" + patient + "/access-report?limit=2", clinic.adminToken);
        assertThat(items(firstPage)).hasSize(2);
        assertThat(items(firstPage).getFirst().get("action").asString()).isEqualTo("EMERGENCY_ACCESS");
        assertThat(items(firstPage).getFirst().get("actorId").asString()).isEqualTo(clinic.adminId);
        Api.Response secondPage = api.get("/api/v1/patients/" + patient + "/access-report?limit=2&cursor="
                + firstPage.text("next"), clinic.adminToken);
        assertThat(items(secondPage)).extracting(e -> e.get("id").asString()).hasSize(2)
                .doesNotContainAnyElementsOf(items(firstPage).stream().map(e -> e.get("id").asString()).toList());

        assertProblem(api.get("/api/v1/patients/" + patient + "/access-report", nurse.token()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/patients/" + patient + "/access-report", newClinic().adminToken), 404,
                "NOT_FOUND");
    }

    @Test
    void theAccessReportOfAnUnrestrictedRecordNeedsNoGrant() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        assertThat(items(api.get("/api/v1/patients/" + patient + "/access-report",
                clinic.user("COMPLIANCE_OFFICER").token()))).isNotEmpty();
    }
}
