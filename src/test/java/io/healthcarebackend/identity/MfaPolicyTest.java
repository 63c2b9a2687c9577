package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Dumps;
import io.healthcarebackend.support.PlatformAdmins;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The clinic's "MFA mandatory" setting and the enrollment it forces, platform administrators'
 * second factor, the audit trail of every change, and the TOTP key never stored in plaintext.
 */
class MfaPolicyTest extends ApiTest {

    @Test
    void whenTheClinicRequiresMfaAPasswordOnlyOpensEnrollmentAndThenACodeSignsIn() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        require(clinic, true);

        Api.Response refused = login(user);
        assertProblem(refused, 401, "MFA_ENROLLMENT_REQUIRED");
        assertThat(refused.text("accessToken")).isNull();
        assertThat(refused.body().path("expiresIn").asLong()).isEqualTo(600);
        assertThat(refused.header("Cache-Control")).contains("no-store");
        String enrollmentToken = refused.text("enrollmentToken");
        assertThat(enrollmentToken).isNotBlank();

        // The enrollment token is no access token: every other endpoint refuses it.
        assertProblem(api.get("/api/v1/auth/mfa", enrollmentToken), 401, "UNAUTHORIZED");
        assertProblem(api.post("/api/v1/patients/search", enrollmentToken, Map.of("name", "x")), 401,
                "UNAUTHORIZED");

        Api.Response started = api.post("/api/v1/auth/mfa/enrollment", null, Map.of("enrollmentToken", enrollmentToken));
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        Authenticator app = new Authenticator(started.text("secret"));
        long step = Authenticator.freshStep(8);
        Api.Response confirmed = api.post("/api/v1/auth/mfa/enrollment/confirm", null,
                Map.of("code", app.code(step), "enrollmentToken", enrollmentToken));
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        assertThat(confirmed.body().get("recoveryCodes")).hasSize(10);

        assertProblem(api.post("/api/v1/auth/mfa/enrollment", null, Map.of("enrollmentToken", enrollmentToken)), 401,
                "INVALID_ENROLLMENT_TOKEN");
        assertProblem(login(user), 401, "MFA_REQUIRED");
        Api.Response signedIn = login(user, app.code(step + 1));
        assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
        assertProblem(api.post("/api/v1/auth/mfa/disable", signedIn.text("accessToken"),
                Map.of("password", PASSWORD, "code", app.code(step + 1))),
                409, "MFA_REQUIRED_BY_CLINIC");

        assertThat(MfaApiTest.reasons(user.id(), "LOGIN_FAILED")).containsExactly(
                "password correct; clinic requires a second factor, enrollment token issued",
                "password correct; second factor missing");
        assertThat(MfaApiTest.reasons(user.id(), "MFA_CHANGED")).containsExactly("TOTP enrollment started",
                "TOTP second factor enabled; 10 recovery codes issued");
        assertThat(MfaApiTest.reasons(user.id(), "LOGIN")).containsExactly("signed in with password",
                "signed in with password and TOTP");
    }

    @Test
    void anExpiredOrForgedEnrollmentTokenOpensNothing() throws SQLException {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        require(clinic, true);
        String token = login(user).text("enrollmentToken");

        String forged = forge(token);
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", null, Map.of("enrollmentToken", forged)), 401,
                "INVALID_ENROLLMENT_TOKEN");
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update staff_mfa set enrollment_token_expires_at = now() - interval '1 second' "
                        + "where user_id = cast(? as uuid)")) {
            s.setString(1, user.id());
            s.executeUpdate();
        }
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", null, Map.of("enrollmentToken", token)), 401,
                "INVALID_ENROLLMENT_TOKEN");
    }

    @Test
    void theClinicSettingBelongsToItsAdministratorsAndIsAudited() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        User compliance = clinic.user("COMPLIANCE_OFFICER");
        Clinic other = newClinic();
        String path = "/api/v1/clinics/" + clinic.id + "/security";

        assertThat(api.get(path, clinic.adminToken).body().path("mfaRequired").asBoolean()).isFalse();
        assertThat(api.get(path, compliance.token()).status()).isEqualTo(200);
        assertProblem(api.put(path, compliance.token(), Map.of("mfaRequired", true)), 403, "FORBIDDEN");
        assertProblem(api.get(path, receptionist.token()), 403, "FORBIDDEN");
        assertProblem(api.put(path, receptionist.token(), Map.of("mfaRequired", true)), 403, "FORBIDDEN");
        assertProblem(api.get(path, other.adminToken), 404, "NOT_FOUND");
        assertProblem(api.put(path, other.adminToken, Map.of("mfaRequired", true)), 404, "NOT_FOUND");
        assertProblem(api.put(path, clinic.adminToken, Map.of()), 400, "VALIDATION_FAILED");
        assertProblem(api.put(path, clinic.adminToken, Map.of("mfaRequired", "yes")), 400, "MALFORMED_REQUEST");
        assertProblem(api.put("/api/v1/clinics/" + UUID.randomUUID() + "/security", platformToken(),
                Map.of("mfaRequired", true)), 403, "SUPPORT_GRANT_REQUIRED");
        assertProblem(api.put(path, platformToken(), Map.of("mfaRequired", true)), 403, "SUPPORT_GRANT_REQUIRED");
        assertThat(api.get(path, clinic.adminToken).body().path("mfaRequired").asBoolean())
                .as("no refused request changed it").isFalse();
        clinic.grantSupport();

        Api.Response set = api.put(path, platformToken(), Map.of("mfaRequired", true));

        assertThat(set.status()).as("%s", set).isEqualTo(200);
        assertThat(api.get(path, clinic.adminToken).body().path("mfaRequired").asBoolean()).isTrue();
        // Refused requests are on the trail too (as failures); the change itself once.
        assertThat(MfaApiTest.reasons(clinic.id, "UPDATE")).filteredOn(r -> r.startsWith("MFA required"))
                .containsExactly("MFA required false -> true");
        assertThat(api.put(path, clinic.adminToken, Map.of("mfaRequired", false)).status()).isEqualTo(200);
        assertThat(login(receptionist).status()).as("not required any more").isEqualTo(200);
    }

    @Test
    void aPlatformAdministratorCanUseASecondFactorToo() {
        String email = "platform-" + UUID.randomUUID() + "@tests.invalid";
        String id = PlatformAdmins.create(email);
        String token = loginToken(email, PLATFORM_PASSWORD);
        Api.Response started = api.post("/api/v1/auth/mfa/enrollment", token, Map.of("password", PLATFORM_PASSWORD));
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        Authenticator app = new Authenticator(started.text("secret"));
        long step = Authenticator.freshStep(8);
        assertThat(api.post("/api/v1/auth/mfa/enrollment/confirm", token, Map.of("code", app.code(step))).status())
                .isEqualTo(200);

        assertProblem(api.post("/api/v1/auth/login", null, Map.of("email", email, "password", PLATFORM_PASSWORD)),
                401, "MFA_REQUIRED");
        Api.Response signedIn = api.post("/api/v1/auth/login", null,
                Map.of("email", email, "password", PLATFORM_PASSWORD, "totp", app.code(step + 1)));

        assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
        assertThat(MfaApiTest.reasons(id, "LOGIN")).contains("signed in with password and TOTP");
    }

    @Test
    void theTotpKeyAndTheRecoveryCodesAreNeverStoredInPlaintext() throws SQLException {
        User user = newClinic().user("PRACTITIONER");
        Api.Response started = api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", PASSWORD));
        String secret = started.text("secret");
        Authenticator app = new Authenticator(secret);
        Api.Response confirmed = api.post("/api/v1/auth/mfa/enrollment/confirm", user.token(),
                Map.of("code", app.code(Authenticator.freshStep(8))));
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        for (JsonNode code : confirmed.body().get("recoveryCodes")) {
            codes.add(code.asString());
        }

        String dump = Dumps.dump(TestDatabase.NAME);
        String keyHex = HexFormat.of().formatHex(app.key());
        assertThat(dump).contains("COPY public.staff_mfa ").doesNotContain(secret).doesNotContain(keyHex)
                .doesNotContain(keyHex.toUpperCase());
        for (String code : codes) {
            assertThat(dump).doesNotContain(code).doesNotContain(code.replace("-", ""));
        }
        byte[] stored = Dumps.bytea(Dumps.row(dump, "staff_mfa", user.id()).get("secret"));
        // Tink AES-256-GCM: 5-byte key id prefix, 12-byte nonce, ciphertext, 16-byte tag.
        assertThat(stored).hasSize(20 + 5 + 12 + 16);
        assertThat(HexFormat.of().formatHex(stored)).doesNotContain(keyHex.substring(0, 16));
        assertThat(Dumps.dump(TestDatabase.KEYS_NAME)).doesNotContain(secret).doesNotContain(keyHex);
    }

    // --- helpers

    private void require(Clinic clinic, boolean required) {
        Api.Response set = api.put("/api/v1/clinics/" + clinic.id + "/security", clinic.adminToken,
                Map.of("mfaRequired", required));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
    }

    private Api.Response login(User user) {
        return api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD));
    }

    private Api.Response login(User user, String totp) {
        return api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD, "totp", totp));
    }

    private String loginToken(String email, String password) {
        return super.login(email, password);
    }

    /** The same user and clinic with other random bits: the server's hash does not match. */
    private static String forge(String token) {
        byte[] raw = java.util.Base64.getUrlDecoder().decode(token);
        raw[raw.length - 1] ^= 1;
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
