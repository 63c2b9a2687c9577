package io.healthcarebackend.patient;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every access to a patient record leaves an audit row naming the actor, the action and the
 * patient, and no PHI: writes with the change, reads one row per patient returned.
 */
class PatientAuditTest extends ApiTest {

    private record Row(String action, String patientId, String actorId, String outcome, String text) {
    }

    @Test
    void createUpdateReadAndEraseEachLeaveOneAuditRow() throws Exception {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        String id = api.post("/api/v1/patients", receptionist.token(), Map.of("givenName", "Auditgiven",
                "familyName", "Auditfamily", "birthDate", "1977-07-07", "email", "audit.canary@example.invalid"))
                .text("id");
        assertThat(api.patch("/api/v1/patients/" + id, receptionist.token(), Map.of("phone", "+1 555 0100"))
                .status()).isEqualTo(200);
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(204);

        List<Row> rows = rows(id);

        assertThat(rows).extracting(Row::action).containsExactly("CREATE", "UPDATE", "READ", "ERASE");
        assertThat(rows).extracting(Row::actorId).containsExactly(receptionist.id(), receptionist.id(),
                clinic.adminId, clinic.adminId);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.patientId()).isEqualTo(id);
            assertThat(r.outcome()).isEqualTo("SUCCESS");
            assertThat(r.text()).doesNotContainIgnoringCase("auditgiven").doesNotContainIgnoringCase("auditfamily")
                    .doesNotContain("1977-07-07").doesNotContain("audit.canary").doesNotContain("555 0100");
        });
    }

    @Test
    void aSearchRecordsOneReadPerPatientReturnedAndAnEmptySearchNone() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        String practitioner = user.id();
        String token = user.token();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(clinic.patient("Searched" + i, "Auditfamily", "1980-01-0" + (i + 1)));
        }

        Api.Response page = api.post("/api/v1/patients/search", token, Map.of("name", "auditfamily", "limit", 2));
        Api.Response empty = api.post("/api/v1/patients/search", token, Map.of("name", "nobody"));

        assertThat(page.body().path("items").size()).isEqualTo(2);
        assertThat(empty.body().path("items").size()).isZero();
        List<String> shown = new ArrayList<>();
        page.body().path("items").forEach(p -> shown.add(p.path("id").asString()));
        for (String id : ids) {
            List<Row> reads = rows(id).stream().filter(r -> r.action().equals("READ")).toList();
            assertThat(reads).as("reads of %s", id).hasSize(shown.contains(id) ? 1 : 0);
            reads.forEach(r -> assertThat(r.actorId()).isEqualTo(practitioner));
        }
        assertThat(countReadsBy(practitioner)).isEqualTo(2);
    }

    private static long countReadsBy(String actor) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select count(*) from audit_events where actor_id = ? and action = 'READ'")) {
            s.setObject(1, UUID.fromString(actor));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Row> rows(String patient) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select action, patient_id, actor_id, outcome, row_to_json(e)::text from audit_events e "
                        + "where patient_id = ? order by at, id")) {
            s.setObject(1, UUID.fromString(patient));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        return rows;
    }
}
