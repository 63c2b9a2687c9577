package io.healthcarebackend.scheduling;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A time that has begun is refused (422 BOOKING_IN_PAST) for booking and rescheduling, by every
 * role, unless a clinic administrator asks for back-dating explicitly ({@code "backdate": true}),
 * which the audit trail records; other roles asking for it are refused (403).
 */
class BookingInPastTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    @Test
    void bookingOrReschedulingIntoThePastIsRefusedForEveryRole() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        String future = clinic.book(clinic.adminToken, patient, practitioner, clinic.at(2, 10, 0)).text("id");
        List<Instant> past = List.of(clinic.at(-1, 10, 0), clinic.at(-30, 9, 0), clinic.at(-400, 16, 30),
                Instant.now().minus(Duration.ofMinutes(1)));

        for (String token : List.of(clinic.adminToken, clinic.user("PRACTITIONER").token(),
                clinic.user("RECEPTIONIST").token())) {
            for (Instant at : past) {
                assertProblem(book(token, patient, practitioner, at, null), 422, "BOOKING_IN_PAST");
                assertProblem(book(token, patient, practitioner, at, false), 422, "BOOKING_IN_PAST");
                assertProblem(reschedule(token, future, at, null), 422, "BOOKING_IN_PAST");
            }
        }
        assertThat(api.get("/api/v1/appointments?patientId=" + patient, clinic.adminToken).items())
                .extracting(a -> a.path("id").asString()).containsExactly(future);
        JsonNode unchanged = api.get("/api/v1/appointments/" + future, clinic.adminToken).body();
        assertThat(Instant.parse(unchanged.path("start").asString())).isEqualTo(clinic.at(2, 10, 0));
        assertThat(unchanged.path("version").asInt()).isZero();
    }

    @Test
    void onlyAClinicAdministratorBackDatesAndTheAuditTrailSaysSo() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant yesterday = clinic.at(-1, 10, 0);
        String future = clinic.book(clinic.adminToken, patient, practitioner, clinic.at(2, 10, 0)).text("id");

        for (String role : List.of("PRACTITIONER", "RECEPTIONIST")) {
            String token = clinic.user(role).token();
            assertProblem(book(token, patient, practitioner, yesterday, true), 403, "BACKDATING_NOT_ALLOWED");
            assertProblem(reschedule(token, future, yesterday, true), 403, "BACKDATING_NOT_ALLOWED");
        }

        Api.Response backdated = book(clinic.adminToken, patient, practitioner, yesterday, true);
        assertThat(backdated.status()).as("%s", backdated).isEqualTo(201);
        Api.Response moved = reschedule(clinic.adminToken, future, clinic.at(-2, 11, 0), true);
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        // A back-dated booking is still checked against the hours and the other appointments.
        assertProblem(book(clinic.adminToken, patient, practitioner, clinic.at(-1, 3, 0), true), 422,
                "OUTSIDE_WORKING_HOURS");
        assertProblem(book(clinic.adminToken, clinic.patient(), practitioner, yesterday, true), 409, "SLOT_TAKEN");
        // The flag on a future time changes nothing and is no back-dating.
        Api.Response ahead = book(clinic.adminToken, patient, practitioner, clinic.at(3, 10, 0), true);
        assertThat(ahead.status()).as("%s", ahead).isEqualTo(201);

        List<JsonNode> events = api.get("/api/v1/audit-events?patientId=" + patient + "&limit=100",
                clinic.adminToken).items();
        assertThat(events).filteredOn(e -> "back-dated by a clinic administrator".equals(e.path("reason").asString()))
                .extracting(e -> e.path("action").asString() + " " + e.path("resourceId").asString())
                .containsExactlyInAnyOrder("CREATE " + backdated.text("id"), "UPDATE " + future);
    }

    private Api.Response book(String token, String patient, String practitioner, Instant start, Boolean backdate) {
        Map<String, Object> body = new HashMap<>(Map.of("patientId", patient, "practitionerId", practitioner,
                "start", start.toString(), "end", start.plus(SLOT).toString()));
        if (backdate != null) {
            body.put("backdate", backdate);
        }
        return api.post("/api/v1/appointments", token, body);
    }

    private Api.Response reschedule(String token, String id, Instant start, Boolean backdate) {
        Map<String, Object> body = new HashMap<>(Map.of("start", start.toString(), "end", start.plus(SLOT).toString()));
        if (backdate != null) {
            body.put("backdate", backdate);
        }
        return api.post("/api/v1/appointments/" + id + "/reschedule", token, body);
    }
}
