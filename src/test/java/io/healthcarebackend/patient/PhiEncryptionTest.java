package io.healthcarebackend.patient;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Dumps;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * PHI is encrypted at field level: a backup (pg_dump) of the data and of the key store holds no
 * PHI in any encoding, search still works, and ciphertext moved to another row or column is
 * refused instead of being shown as someone else's data.
 */
@ExtendWith(OutputCaptureExtension.class)
class PhiEncryptionTest extends ApiTest {

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
    private final String given = "Canarygiven" + run;
    private final String family = "Canaryfamily" + run;
    private final String email = "canary" + run + "@canary-mail.test";
    private final String phone = "+49 151 " + ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L);
    private final String street = "Canarystreet " + run;
    private final String city = "Canarycity" + run;
    private final String postal = "CP" + run;
    private final String mrn = "CANARY-MRN-" + run;

    @Test
    void aDatabaseDumpHoldsNoPhiInPlaintextHexOrBase64() {
        Clinic clinic = newClinic();
        String id = createCanaryPatient(clinic);

        String data = Dumps.dump(TestDatabase.NAME);
        String keys = Dumps.dump(TestDatabase.KEYS_NAME);

        assertThat(data).as("the dump holds the patient row").contains(id);
        assertThat(keys).as("the key store dump holds the patient's wrapped key").contains(id);
        List<String> canaries = List.of(given, family, email, phone, street, city, postal, mrn, "1961-07-04");
        assertThat(Dumps.found(data, canaries)).as("in the data dump").isEmpty();
        assertThat(Dumps.found(keys, canaries)).as("in the key store dump").isEmpty();
        assertThat(data).as("patient keys are not part of a data backup").doesNotContain("patient_keys");
    }

    @Test
    void nameBirthDateAndMrnSearchKeepWorkingOverCiphertext() {
        Clinic clinic = newClinic();
        String id = createCanaryPatient(clinic);

        for (Map<String, String> query : List.of(Map.of("name", given.toLowerCase()),
                Map.of("name", family + " " + given), Map.of("birthDate", "1961-07-04"), Map.of("mrn", mrn))) {
            Api.Response found = api.post("/api/v1/patients/search", clinic.adminToken, query);
            assertThat(found.status()).as("%s: %s", query, found).isEqualTo(200);
            assertThat(found.body().path("items").size()).as("%s", query).isEqualTo(1);
            assertThat(found.body().path("items").get(0).path("id").asString()).isEqualTo(id);
            assertThat(found.body().path("items").get(0).path("email").asString()).isEqualTo(email);
        }
    }

    @Test
    void ciphertextCopiedFromAnotherPatientFailsCleanlyWithoutLeakingPhi(CapturedOutput output) throws Exception {
        Clinic clinic = newClinic();
        String victim = createCanaryPatient(clinic);
        String target = clinic.patient("Plain", "Target", "1970-01-01");

        superuser("update patients set given_name = (select given_name from patients where id = ?) where id = ?",
                victim, target);
        Api.Response read = api.get("/api/v1/patients/" + target, clinic.adminToken);

        assertProblem(read, 500, "RECORD_UNREADABLE");
        assertThat(read.raw().body()).doesNotContain(given).doesNotContain("Target");
        assertThat(output.getAll()).contains("failed decryption").doesNotContain(given).doesNotContain(family);
        assertThat(api.get("/api/v1/patients/" + victim, clinic.adminToken).text("givenName")).isEqualTo(given);
    }

    @Test
    void ciphertextMovedToAnotherColumnOfTheSameRowIsRefused() throws Exception {
        Clinic clinic = newClinic();
        String id = createCanaryPatient(clinic);

        superuser("update patients set given_name = family_name, family_name = given_name where id = ?", id);
        Api.Response read = api.get("/api/v1/patients/" + id, clinic.adminToken);
        Api.Response search = api.post("/api/v1/patients/search", clinic.adminToken, Map.of("mrn", mrn));

        assertProblem(read, 500, "RECORD_UNREADABLE");
        assertProblem(search, 500, "RECORD_UNREADABLE");
    }

    private String createCanaryPatient(Clinic clinic) {
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("line", street);
        address.put("city", city);
        address.put("postalCode", postal);
        address.put("country", "DE");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("givenName", given);
        body.put("familyName", family);
        body.put("birthDate", "1961-07-04");
        body.put("sex", "FEMALE");
        body.put("email", email);
        body.put("phone", phone);
        body.put("address", address);
        body.put("mrn", mrn);
        Api.Response created = api.post("/api/v1/patients", clinic.adminToken, body);
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.text("id");
    }

    private static void superuser(String sql, String... ids) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.length; i++) {
                s.setObject(i + 1, UUID.fromString(ids[i]));
            }
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
