package io.healthcarebackend.scheduling;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Booking is no oracle for another clinic's data: a patient or practitioner id of clinic A, used by
 * clinic B, answers exactly as an id that exists nowhere, whether or not that patient or
 * practitioner has an appointment at the requested time. Within one clinic an overlap is still
 * 409 SLOT_TAKEN.
 */
class CrossClinicOracleTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    @Test
    void anotherClinicsBusyPatientOrPractitionerAnswersLikeAnIdThatDoesNotExist() {
        Clinic a = newClinic();
        String patientOfA = a.patient();
        String practitionerOfA = a.practitioner();
        Clinic b = newClinic();
        String patientOfB = b.patient();
        String practitionerOfB = b.practitioner();
        // Clinic A's patient and practitioner are busy at these times (the times B asks for).
        List<Instant> times = List.of(b.at(2, 10, 0), b.at(3, 11, 0), b.at(4, 15, 30));
        for (Instant at : times) {
            assertThat(a.book(a.adminToken, patientOfA, practitionerOfA, at).status()).isEqualTo(201);
        }
        String random = UUID.randomUUID().toString();

        for (String token : List.of(b.adminToken, b.user("RECEPTIONIST").token())) {
            for (Instant at : times) {
                Api.Response busyPatient = b.book(token, patientOfA, practitionerOfB, at);
                Api.Response noPatient = b.book(token, random, practitionerOfB, at);
                assertProblem(busyPatient, 404, "NOT_FOUND");
                assertSameAnswer(busyPatient, noPatient);

                Api.Response busyPractitioner = b.book(token, patientOfB, practitionerOfA, at);
                Api.Response noPractitioner = b.book(token, patientOfB, random, at);
                assertProblem(busyPractitioner, 404, "NOT_FOUND");
                assertSameAnswer(busyPractitioner, noPractitioner);

                Api.Response both = b.book(token, patientOfA, practitionerOfA, at);
                assertSameAnswer(both, b.book(token, random, UUID.randomUUID().toString(), at));
            }
        }
        // Nothing was booked in B, and B's own patient is still free at those times.
        assertThat(api.get("/api/v1/appointments?patientId=" + patientOfB, b.adminToken).items()).isEmpty();
        assertThat(b.book(b.adminToken, patientOfB, practitionerOfB, times.getFirst()).status()).isEqualTo(201);
    }

    @Test
    void reschedulingAnotherClinicsAppointmentAnswersLikeOneThatDoesNotExist() {
        Clinic a = newClinic();
        Clinic b = newClinic();
        Instant at = a.at(2, 10, 0);
        String ofA = a.book(a.adminToken, a.patient(), a.practitioner(), at).text("id");
        Map<String, String> onTopOfIt = Map.of("start", at.toString(), "end", at.plus(SLOT).toString());

        Api.Response forA = api.post("/api/v1/appointments/" + ofA + "/reschedule", b.adminToken, onTopOfIt);
        Api.Response forNothing = api.post("/api/v1/appointments/" + UUID.randomUUID() + "/reschedule", b.adminToken,
                onTopOfIt);

        assertProblem(forA, 404, "NOT_FOUND");
        assertSameAnswer(forA, forNothing);
    }

    @Test
    void withinOneClinicAnOverlapOfPatientOrPractitionerIsStillSlotTaken() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant at = clinic.at(2, 10, 0);
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, at).status()).isEqualTo(201);

        assertProblem(clinic.book(clinic.adminToken, patient, clinic.practitioner(), at), 409, "SLOT_TAKEN");
        assertProblem(clinic.book(clinic.adminToken, clinic.patient(), practitioner, at.plus(Duration.ofMinutes(15))),
                409, "SLOT_TAKEN");
        String other = clinic.book(clinic.adminToken, clinic.patient(), practitioner, at.plus(SLOT)).text("id");
        assertProblem(api.post("/api/v1/appointments/" + other + "/reschedule", clinic.adminToken,
                Map.of("start", at.toString(), "end", at.plus(SLOT).toString())), 409, "SLOT_TAKEN");
    }

    @Test
    void bothOverlapConstraintsCompareTheClinicFirst() throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select conname, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'appointments'::regclass "
                        + "and contype = 'x' order by conname");
                ResultSet rs = s.executeQuery()) {
            int constraints = 0;
            while (rs.next()) {
                constraints++;
                assertThat(rs.getString(2)).as(rs.getString(1)).contains("(clinic_id WITH =, ");
            }
            assertThat(constraints).isEqualTo(2);
        }
    }

    /** Status, code, title, detail and every other field but the request's own trace id (also in "instance"). */
    private static void assertSameAnswer(Api.Response actual, Api.Response expected) {
        assertThat(actual.status()).as("%s vs %s", actual, expected).isEqualTo(expected.status());
        assertThat(actual.header("Content-Type")).isEqualTo(expected.header("Content-Type"));
        assertThat(withoutTrace(actual.body())).as("%s vs %s", actual, expected).isEqualTo(withoutTrace(expected.body()));
    }

    private static JsonNode withoutTrace(JsonNode body) {
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.remove("traceId");
        copy.remove("instance");
        return copy;
    }
}
