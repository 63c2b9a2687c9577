package io.healthcarebackend.audit;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuditEventsApiTest extends ApiTest {

    private static List<JsonNode> items(Api.Response response) {
        return response.items();
    }

    @Test
    void aBookingAndItsReadAreAuditedWithActorPatientAndRequestContext() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Api.Response booked = clinic.book(receptionist.token(), patient, practitioner, clinic.nextMonday(10));
        String appointment = booked.text("id");
        api.get("/api/v1/appointments/" + appointment, receptionist.token());

        List<JsonNode> events = items(api.get("/api/v1/audit-events?actorId=" + receptionist.id(), clinic.adminToken));
        assertThat(events).extracting(e -> e.get("action").asString()).containsExactly("READ", "CREATE", "LOGIN");
        JsonNode created = events.get(1);
        assertThat(created.get("resourceType").asString()).isEqualTo("Appointment");
        assertThat(created.get("resourceId").asString()).isEqualTo(appointment);
        assertThat(created.get("patientId").asString()).isEqualTo(patient);
        assertThat(created.get("actorRole").asString()).isEqualTo("RECEPTIONIST");
        assertThat(created.get("outcome").asString()).isEqualTo("SUCCESS");
        assertThat(created.get("ip").asString()).isNotBlank();
        assertThat(created.get("traceId").asString()).isEqualTo(booked.header("X-Trace-Id"));
        assertThat(created.get("emergency").asBoolean()).isFalse();
        assertThat(created.get("at").asString()).endsWith("Z");
    }

    @Test
    void aListReadRecordsOneEventPerRecordShown() {
        Clinic clinic = newClinic();
        User practitionerUser = clinic.user("PRACTITIONER");
        String practitioner = clinic.practitioner();
        Set<String> patients = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String patient = clinic.patient();
            patients.add(patient);
            clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(9 + i));
        }
        assertThat(items(api.get("/api/v1/appointments?practitionerId=" + practitioner, practitionerUser.token())))
                .hasSize(3);
        List<JsonNode> reads = items(api.get("/api/v1/audit-events?action=READ&actorId=" + practitionerUser.id(),
                clinic.adminToken));
        assertThat(reads).extracting(e -> e.get("patientId").asString()).containsExactlyInAnyOrderElementsOf(patients);
    }

    @Test
    void filtersAndKeysetPagingWalkTheWholeTrailOnce() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        for (int i = 0; i < 5; i++) {
            String id = clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(9 + i)).text("id");
            api.get("/api/v1/appointments/" + id, clinic.adminToken);
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.get("/api/v1/audit-events?patientId=" + patient + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), clinic.adminToken);
            for (JsonNode e : items(page)) {
                assertThat(seen.add(e.get("id").asString())).isTrue();
                assertThat(e.get("patientId").asString()).isEqualTo(patient);
            }
            cursor = page.body().get("next").isNull() ? null : page.body().get("next").asString();
            pages++;
        } while (cursor != null);
        assertThat(seen).as("the patient's own creation and 5 bookings with a read each").hasSize(11);
        assertThat(pages).isEqualTo(4);
        assertThat(items(api.get("/api/v1/audit-events?patientId=" + patient + "&action=CREATE", clinic.adminToken)))
                .hasSize(6);
        assertThat(items(api.get("/api/v1/audit-events?patientId=" + patient + "&from=2000-01-01T00:00:00Z"
                + "&to=2000-01-02T00:00:00Z", clinic.adminToken))).isEmpty();
    }

    @Test
    void eachClinicSeesOnlyItsOwnTrailAndPlatformAdminsOnlyThePlatformOne() {
        Clinic a = newClinic();
        Clinic b = newClinic();
        String patientA = a.patient();
        a.book(a.adminToken, patientA, a.practitioner(), a.nextMonday(10));
        User compliance = a.user("COMPLIANCE_OFFICER");

        assertThat(items(api.get("/api/v1/audit-events?patientId=" + patientA, compliance.token()))).isNotEmpty();
        assertThat(items(api.get("/api/v1/audit-events?patientId=" + patientA, b.adminToken))).isEmpty();
        assertThat(items(api.get("/api/v1/audit-events?patientId=" + patientA, platformToken()))).isEmpty();
        for (JsonNode e : items(api.get("/api/v1/audit-events?limit=200", b.adminToken))) {
            assertThat(e.toString()).doesNotContain(patientA);
        }
        assertProblem(api.get("/api/v1/audit-events", a.user("RECEPTIONIST").token()), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/audit-events", a.user("PRACTITIONER").token()), 403, "FORBIDDEN");
    }

    @Test
    void badFiltersAreRejected() {
        Clinic clinic = newClinic();
        assertProblem(api.get("/api/v1/audit-events?action=TELEPORT", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/audit-events?patientId=nope", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/audit-events?cursor=bm9wZQ", clinic.adminToken), 400, "INVALID_CURSOR");
        assertProblem(api.get("/api/v1/audit-events?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
                clinic.adminToken), 400, "INVALID_RANGE");
    }

    @Test
    void whenTheAuditStoreCannotBeWrittenTheRequestFailsAndChangesNothing() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        String booked = clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(9)).text("id");
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            s.execute("revoke insert on audit_events from hb_app");
            try {
                assertProblem(clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(11)), 503,
                        "AUDIT_UNAVAILABLE");
                assertProblem(api.get("/api/v1/appointments/" + booked, clinic.adminToken), 503, "AUDIT_UNAVAILABLE");
            } finally {
                s.execute("grant insert on audit_events to hb_app");
            }
        }
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select count(*) from appointments where clinic_id = ?::uuid")) {
            s.setString(1, clinic.id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("the unaudited booking was rolled back").isEqualTo(1);
            }
        }
        assertThat(api.get("/api/v1/appointments/" + booked, clinic.adminToken).status()).isEqualTo(200);
    }

    @Test
    void verifyingAPlatformAdminsChainAndAClinicsChainBothWork() {
        Clinic clinic = newClinic();
        clinic.book(clinic.adminToken, clinic.patient(), clinic.practitioner(), clinic.nextMonday(10));
        JsonNode own = api.post("/api/v1/audit-events/verify", clinic.adminToken, Map.of()).body();
        assertThat(own.get("valid").asBoolean()).isTrue();
        assertThat(own.get("checked").asLong()).isPositive();
        Api.Response platform = api.post("/api/v1/audit-events/verify", platformToken(), Map.of());
        assertThat(platform.status()).isEqualTo(200);
        assertThat(platform.body().get("valid").asBoolean()).isTrue();
        assertProblem(api.post("/api/v1/audit-events/verify", clinic.adminToken,
                Map.of("from", "2026-02-01T00:00:00Z", "to", "2026-01-01T00:00:00Z")), 400, "INVALID_RANGE");
    }

    @Test
    void aFailedRequestIsAuditedAlthoughItsChangeRolledBack() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(10)).status()).isEqualTo(201);
        assertProblem(clinic.book(receptionist.token(), clinic.patient(), practitioner, clinic.nextMonday(10)), 409,
                "SLOT_TAKEN");
        assertProblem(api.post("/api/v1/appointments", receptionist.token(), Map.of("patientId", patient)), 400,
                "VALIDATION_FAILED");
        String missing = java.util.UUID.randomUUID().toString();
        assertProblem(api.get("/api/v1/patients/" + missing, receptionist.token()), 404, "NOT_FOUND");

        List<JsonNode> failures = items(api.get("/api/v1/audit-events?actorId=" + receptionist.id(), clinic.adminToken))
                .stream().filter(e -> e.get("outcome").asString().equals("FAILURE")).toList();
        assertThat(failures).extracting(e -> e.get("action").asString() + " " + e.get("resourceType").asString()
                + " " + e.get("reason").asString()).containsExactly(
                "READ GET /api/v1/patients/{id} 404 NOT_FOUND",
                "CREATE POST /api/v1/appointments 400 VALIDATION_FAILED",
                "CREATE POST /api/v1/appointments 409 SLOT_TAKEN");
        assertThat(failures.getFirst().get("patientId").asString()).isEqualTo(missing);
    }

    @Test
    void aClinicsAuditRetentionIsSetByItsAdminWithinSixToThirtyYearsAndTheChangeIsAudited() {
        Clinic clinic = newClinic();
        String path = "/api/v1/clinics/" + clinic.id + "/audit-retention";
        assertThat(api.get(path, clinic.adminToken).body().get("months").asInt()).isEqualTo(84);

        Api.Response set = api.put(path, clinic.adminToken, Map.of("months", 120));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
        try {
            retentionChangesAreCheckedAndAudited(clinic, path);
        } finally {
            // The longest retention of any clinic decides when a month may go: leave the default
            // behind, or AuditRetentionTest (same database) would find nothing due.
            assertThat(api.put(path, clinic.adminToken, Map.of("months", 84)).status()).isEqualTo(200);
        }
    }

    private void retentionChangesAreCheckedAndAudited(Clinic clinic, String path) {
        assertThat(api.get(path, clinic.user("COMPLIANCE_OFFICER").token()).body().get("months").asInt())
                .isEqualTo(120);
        assertProblem(api.put(path, platformToken(), Map.of("months", 96)), 403, "SUPPORT_GRANT_REQUIRED");
        clinic.grantSupport();
        assertThat(api.put(path, platformToken(), Map.of("months", 96)).status()).isEqualTo(200);

        assertProblem(api.put(path, clinic.adminToken, Map.of("months", 60)), 400, "VALIDATION_FAILED");
        assertProblem(api.put(path, clinic.adminToken, Map.of("months", 361)), 400, "VALIDATION_FAILED");
        assertProblem(api.put(path, clinic.user("COMPLIANCE_OFFICER").token(), Map.of("months", 100)), 403,
                "FORBIDDEN");
        assertProblem(api.put(path, newClinic().adminToken, Map.of("months", 100)), 404, "NOT_FOUND");
        assertThat(api.get(path, clinic.adminToken).body().get("months").asInt()).isEqualTo(96);

        List<JsonNode> changes = items(api.get("/api/v1/audit-events?action=UPDATE", clinic.adminToken)).stream()
                .filter(e -> "AuditRetention".equals(e.get("resourceType").asString())).toList();
        assertThat(changes).extracting(e -> e.get("actorRole").asString() + " " + e.get("reason").asString())
                .containsExactly("PLATFORM_ADMIN audit retention 120 -> 96 months",
                        "CLINIC_ADMIN audit retention 84 -> 120 months");
    }
}
