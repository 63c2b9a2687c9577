package io.healthcarebackend.patient;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.Dumps;
import io.healthcarebackend.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The device token of a patient's app: set, replaced and removed by the roles that update patients,
 * refused like a PATCH of the record (other clinic, erased, restricted), audited as an update,
 * never answered, logged or stored in clear, and gone with the patient on erasure.
 */
@ExtendWith(OutputCaptureExtension.class)
class PushTokenApiTest extends ApiTest {

    private static String token() {
        byte[] random = new byte[105];
        ThreadLocalRandom.current().nextBytes(random);
        // The shape of an FCM registration token: an instance id, a colon, a base64url blob.
        return "pushcanary" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36)
                + ":APA91b" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String path(String patient) {
        return "/api/v1/patients/" + patient + "/push-token";
    }

    @Test
    void aTokenIsSetReplacedAndDeletedAsVersionedUpdatesAndNeverAnswered() throws Exception {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        String first = token();
        String second = token();

        Api.Response set = api.put(path(id), clinic.adminToken, Map.of("token", first));
        assertThat(set.status()).as("%s", set).isEqualTo(204);
        byte[] sealedFirst = storedToken(id);
        Api.Response afterSet = api.get("/api/v1/patients/" + id, clinic.adminToken);

        assertThat(api.put(path(id), clinic.adminToken, Map.of("token", second)).status()).isEqualTo(204);
        byte[] sealedSecond = storedToken(id);
        Api.Response afterReplace = api.get("/api/v1/patients/" + id, clinic.adminToken);

        assertThat(api.delete(path(id), clinic.adminToken).status()).isEqualTo(204);
        byte[] afterDelete = storedToken(id);
        Api.Response afterDeleteRead = api.get("/api/v1/patients/" + id, clinic.adminToken);
        assertThat(api.delete(path(id), clinic.adminToken).status()).as("deleting no token is fine").isEqualTo(204);

        assertThat(sealedFirst).isNotNull().isNotEqualTo(first.getBytes(StandardCharsets.UTF_8));
        assertThat(sealedSecond).isNotNull().isNotEqualTo(sealedFirst);
        assertThat(afterDelete).isNull();
        assertThat(List.of(afterSet, afterReplace, afterDeleteRead)).extracting(r -> r.body().path("version").asInt())
                .containsExactly(1, 2, 3);
        for (Api.Response read : List.of(afterSet, afterReplace)) {
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body().has("pushToken")).isFalse();
            assertThat(read.raw().body()).doesNotContain(first).doesNotContain(second).doesNotContain("pushcanary");
        }
        Api.Response search = api.post("/api/v1/patients/search", clinic.adminToken, Map.of("name", "patient"));
        assertThat(search.raw().body()).doesNotContain("pushcanary");
    }

    @Test
    void malformedTokensAreRefusedWithoutEchoingThem(CapturedOutput output) {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        String canary = token();
        String exactly4096 = "a".repeat(4096);

        for (Object bad : List.of("", "   ", canary + " x", canary + "\tx", canary + "\nx", "a".repeat(4097),
                canary + "é")) {
            Api.Response refused = api.put(path(id), clinic.adminToken, Map.of("token", bad));
            assertProblem(refused, 400, "VALIDATION_FAILED");
            assertThat(refused.raw().body()).doesNotContain(canary);
        }
        assertProblem(api.put(path(id), clinic.adminToken, Map.of()), 400, "VALIDATION_FAILED");
        assertThat(api.put(path(id), clinic.adminToken, Map.of("token", exactly4096)).status()).isEqualTo(204);
        assertThat(output.getAll()).doesNotContain(canary);
    }

    @Test
    void theRolesThatUpdatePatientsSetItOthersAreRefusedAndOtherClinicsSeeNothing() throws Exception {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String id = clinic.patient();

        for (String role : List.of("PRACTITIONER", "RECEPTIONIST")) {
            String token = clinic.user(role).token();
            assertThat(api.put(path(id), token, Map.of("token", token())).status()).as(role).isEqualTo(204);
            assertThat(api.delete(path(id), token).status()).as(role).isEqualTo(204);
        }
        String compliance = clinic.user("COMPLIANCE_OFFICER").token();
        assertProblem(api.put(path(id), compliance, Map.of("token", token())), 403, "FORBIDDEN");
        assertProblem(api.delete(path(id), compliance), 403, "FORBIDDEN");
        assertProblem(api.put(path(id), platformToken(), Map.of("token", token())), 403, "FORBIDDEN");
        assertProblem(api.put(path(id), null, Map.of("token", token())), 401, "UNAUTHORIZED");

        assertProblem(api.put(path(id), other.adminToken, Map.of("token", token())), 404, "NOT_FOUND");
        assertProblem(api.delete(path(id), other.adminToken), 404, "NOT_FOUND");
        assertProblem(api.put(path(UUID.randomUUID().toString()), clinic.adminToken, Map.of("token", token())), 404,
                "NOT_FOUND");
        assertThat(storedToken(id)).isNull();
    }

    @Test
    void aRestrictedRecordNeedsEmergencyAccessLikeAPatch() throws Exception {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        String id = clinic.patient();
        assertThat(api.put("/api/v1/patients/" + id + "/restriction", clinic.adminToken, Map.of("restricted", true))
                .status()).isEqualTo(200);

        assertProblem(api.put(path(id), receptionist.token(), Map.of("token", token())), 403,
                "EMERGENCY_ACCESS_REQUIRED");
        assertProblem(api.delete(path(id), receptionist.token()), 403, "EMERGENCY_ACCESS_REQUIRED");
        assertThat(storedToken(id)).isNull();
        assertThat(api.post("/api/v1/patients/" + id + "/emergency-access", receptionist.token(),
                Map.of("reason", "registering the patient's app")).status()).isEqualTo(200);
        assertThat(api.put(path(id), receptionist.token(), Map.of("token", token())).status()).isEqualTo(204);
        assertThat(storedToken(id)).isNotNull();
    }

    @Test
    void erasureClearsTheTokenAndAnErasedPatientTakesNoNewOne() throws Exception {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        assertThat(api.put(path(id), clinic.adminToken, Map.of("token", token())).status()).isEqualTo(204);
        assertThat(storedToken(id)).isNotNull();

        assertThat(api.delete("/api/v1/patients/" + id, clinic.adminToken).status()).isEqualTo(204);

        assertThat(storedToken(id)).as("no ciphertext of the token is left on the tombstone").isNull();
        assertProblem(api.put(path(id), clinic.adminToken, Map.of("token", token())), 410, "PATIENT_ERASED");
        assertProblem(api.delete(path(id), clinic.adminToken), 410, "PATIENT_ERASED");
        assertThat(storedToken(id)).isNull();
        // The database itself refuses a token on a tombstone, whoever writes it.
        assertThatThrownBy(() -> superuser("update patients set push_token = '\\x00'::bytea where id = ?", id))
                .isInstanceOf(SQLException.class).hasMessageContaining("patients_erased_without_push_token");
    }

    @Test
    void settingAndRemovingAreAuditedAsUpdatesOfThePatientWithoutTheToken() {
        Clinic clinic = newClinic();
        User practitioner = clinic.user("PRACTITIONER");
        String id = clinic.patient();
        String token = token();

        assertThat(api.put(path(id), practitioner.token(), Map.of("token", token)).status()).isEqualTo(204);
        assertThat(api.delete(path(id), practitioner.token()).status()).isEqualTo(204);
        assertProblem(api.put(path(id), clinic.user("COMPLIANCE_OFFICER").token(), Map.of("token", token)), 403,
                "FORBIDDEN");

        List<Map<String, String>> events = AuditLog.eventsAbout(id);
        List<Map<String, String>> byPractitioner = events.stream()
                .filter(e -> practitioner.id().equals(e.get("actor_id"))).toList();
        assertThat(byPractitioner).extracting(e -> e.get("action") + " " + e.get("outcome"))
                .containsExactly("UPDATE SUCCESS", "UPDATE SUCCESS");
        assertThat(byPractitioner).allSatisfy(e -> assertThat(e.get("patient_id")).isEqualTo(id));
        assertThat(events).extracting(e -> e.get("action") + " " + e.get("outcome")).contains("ACCESS_DENIED DENIED");
        assertThat(AuditLog.everyValue()).noneMatch(v -> v.contains("pushcanary"));
    }

    @Test
    void aDatabaseDumpHoldsTheTokenOnlyAsCiphertext(CapturedOutput output) {
        Clinic clinic = newClinic();
        String id = clinic.patient();
        String token = token();
        assertThat(api.put(path(id), clinic.adminToken, Map.of("token", token)).status()).isEqualTo(204);

        String data = Dumps.dump(TestDatabase.NAME);
        String keys = Dumps.dump(TestDatabase.KEYS_NAME);

        Map<String, String> row = Dumps.row(data, "patients", id);
        assertThat(row.get("push_token")).as("the dump holds the token's ciphertext").startsWith("\\\\x");
        assertThat(Dumps.bytea(row.get("push_token")).length).isGreaterThan(token.length());
        assertThat(Dumps.found(data, List.of(token))).as("in the data dump").isEmpty();
        assertThat(Dumps.found(keys, List.of(token))).as("in the key store dump").isEmpty();
        assertThat(output.getAll()).doesNotContain(token.substring(0, 20));
    }

    private static byte[] storedToken(String id) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("select push_token from patients where id = ?")) {
            s.setObject(1, UUID.fromString(id));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("patient row %s", id).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void superuser(String sql, String id) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, UUID.fromString(id));
            s.executeUpdate();
        }
    }
}
