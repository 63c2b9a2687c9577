package io.healthcarebackend.patient;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.crypto.PatientKeyMissing;
import io.healthcarebackend.platform.crypto.PhiKeys;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Dumps;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Erasure by crypto-shredding (GDPR Art. 17): the patient's key is destroyed, so even a backup
 * taken before the erasure cannot be read; the row stays as a tombstone and the audit trail of
 * the patient stays complete.
 */
class PatientErasureTest extends ApiTest {

    @Autowired
    PhiKeys keys;

    @Test
    void anErasedPatientIsGoneForReadsUpdatesAndSearch() {
        Clinic clinic = newClinic();
        String id = clinic.patient("Erasable", "Person", "1970-02-03");

        Api.Response erased = api.delete("/api/v1/patients/" + id, clinic.adminToken);

        assertThat(erased.status()).as("%s", erased).isEqualTo(204);
        assertProblem(api.get("/api/v1/patients/" + id, clinic.adminToken), 410, "PATIENT_ERASED");
        assertProblem(api.patch("/api/v1/patients/" + id, clinic.adminToken, Map.of("givenName", "Back")), 410,
                "PATIENT_ERASED");
        assertProblem(api.delete("/api/v1/patients/" + id, clinic.adminToken), 410, "PATIENT_ERASED");
        for (Map<String, String> query : List.of(Map.of("name", "erasable"), Map.of("birthDate", "1970-02-03"),
                Map.<String, String>of())) {
            Api.Response search = api.post("/api/v1/patients/search", clinic.adminToken, query);
            assertThat(search.body().path("items").size()).as("%s: %s", query, search).isZero();
        }
    }

    @Test
    void onlyAClinicAdminErasesAndOnlyInTheOwnClinic() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String id = clinic.patient();

        for (String role : List.of("PRACTITIONER", "RECEPTIONIST", "COMPLIANCE_OFFICER")) {
            assertProblem(api.delete("/api/v1/patients/" + id, clinic.user(role).token()), 403, "FORBIDDEN");
        }
        assertProblem(api.delete("/api/v1/patients/" + id, other.adminToken), 404, "NOT_FOUND");
        assertProblem(api.delete("/api/v1/patients/" + id, platformToken()), 403, "FORBIDDEN");
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(200);
    }

    @Test
    void aBackupTakenBeforeErasureCannotBeDecryptedAfterIt() throws Exception {
        Clinic clinic = newClinic();
        String id = clinic.patient("Backed", "Up", "1966-06-06");
        String practitioner = clinic.practitioner();
        assertThat(clinic.book(clinic.adminToken, id, practitioner, clinic.at(3, 10, 0)).status()).isEqualTo(201);
        assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(200);
        String backup = Dumps.dump(TestDatabase.NAME);
        Map<String, String> backedUp = Dumps.row(backup, "patients", id);
        byte[] backedUpName = Dumps.bytea(backedUp.get("given_name"));
        List<String> auditBefore = auditActions(id);

        assertThat(api.delete("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(204);

        ClinicId clinicId = new ClinicId(UUID.fromString(clinic.id));
        assertThat(backedUpName).isNotEmpty();
        assertThat(backup).as("the data backup holds no key that could open it").doesNotContain("patient_keys");
        assertThat(keys.patientKeys(clinicId, List.of(UUID.fromString(id)))).isEmpty();
        assertThatThrownBy(() -> keys.patientKey(clinicId, UUID.fromString(id))).isInstanceOf(PatientKeyMissing.class);
        assertThat(count(TestDatabase.superuserOnKeysDb(), "select count(*) from patient_keys where patient_id = ?", id))
                .isZero();
        // Restoring the backed-up row into the live database does not bring the data back either.
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update patients set given_name = ?, family_name = ?, birth_date = ?, birth_date_index = ?, "
                        + "erased_at = null where id = ?")) {
            s.setBytes(1, backedUpName);
            s.setBytes(2, Dumps.bytea(backedUp.get("family_name")));
            s.setBytes(3, Dumps.bytea(backedUp.get("birth_date")));
            s.setString(4, backedUp.get("birth_date_index"));
            s.setObject(5, UUID.fromString(id));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        assertProblem(api.get("/api/v1/patients/" + id, clinic.adminToken), 410, "PATIENT_ERASED");
        // The refused read after erasure is on the trail too, as a failure.
        List<String> auditAfter = auditActions(id);
        assertThat(auditAfter).startsWith(auditBefore.toArray(String[]::new)).endsWith("READ FAILURE");
        assertThat(auditAfter.subList(auditBefore.size(), auditAfter.size() - 1))
                .as("the erasure, and the cancellation of the patient's future appointment in its transaction")
                .containsExactlyInAnyOrder("ERASE", "UPDATE");
        assertThat(count(TestDatabase.superuserOnTestDb(), "select count(*) from appointments where patient_id = ?", id))
                .as("appointments still refer to the tombstone").isEqualTo(1);
    }

    @Test
    void erasureClearsTheCiphertextAndTheSearchTokensOfTheRow() throws Exception {
        Clinic clinic = newClinic();
        String id = api.post("/api/v1/patients", clinic.adminToken, Map.of("givenName", "Token", "familyName",
                "Holder", "birthDate", "1980-08-08", "mrn", "MRN-" + UUID.randomUUID(), "email",
                "t@example.invalid")).text("id");

        assertThat(api.delete("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(204);

        assertThat(count(TestDatabase.superuserOnTestDb(), "select count(*) from patients where id = ? "
                + "and given_name is null and family_name is null and birth_date is null and email is null "
                + "and mrn is null and cardinality(name_index) = 0 and birth_date_index is null "
                + "and mrn_index is null and erased_at is not null", id)).isEqualTo(1);
    }

    private static List<String> auditActions(String patient) throws Exception {
        List<String> actions = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select action || case outcome when 'SUCCESS' then '' else ' ' || outcome end from audit_events "
                        + "where patient_id = ? order by at, id")) {
            s.setObject(1, UUID.fromString(patient));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    actions.add(rs.getString(1));
                }
            }
        }
        return actions;
    }

    private static int count(Connection connection, String sql, String id) throws Exception {
        try (Connection c = connection; PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
