package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A staff user's TOTP second factor over HTTP, against the real database: enrollment, login with
 * a code, single use, the ±1 step window, recovery codes, the attempt limit, disabling, new
 * recovery codes and an administrator's reset.
 */
class MfaApiTest extends ApiTest {

    record Enrolled(Authenticator app, String secret, List<String> recoveryCodes) {
    }

    @Test
    void enrollmentShowsTheKeyAsOtpauthUriAndQrCodeWithoutTheEmail() {
        User user = newClinic().user("PRACTITIONER");

        Api.Response started = api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", PASSWORD));

        assertThat(started.status()).as("%s", started).isEqualTo(200);
        assertThat(started.header("Cache-Control")).contains("no-store");
        String secret = started.text("secret");
        assertThat(secret).as("160 bits in base32").matches("[A-Z2-7]{32}");
        assertThat(started.text("otpauthUri"))
                .startsWith("otpauth://totp/Healthcare%20Backend:" + user.id() + "?")
                .contains("secret=" + secret, "issuer=Healthcare%20Backend", "algorithm=SHA1", "digits=6", "period=30")
                .doesNotContain(user.email()).doesNotContain("@");
        assertThat(started.text("qrCode")).startsWith("data:image/svg+xml;base64,");
        String svg = new String(Base64.getDecoder().decode(started.text("qrCode").substring(26)), StandardCharsets.UTF_8);
        assertThat(svg).startsWith("<svg").contains("<path d=\"M");
        assertThat(api.get("/api/v1/auth/mfa", user.token()).body().path("enrolling").asBoolean()).isTrue();
        // Not yet confirmed: the password alone still signs in.
        assertThat(loginWith(user, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void onceConfirmedLoginAsksForACodeAndACodeSignsIn() {
        User user = newClinic().user("RECEPTIONIST");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);

        assertProblem(loginWith(user, Map.of()), 401, "MFA_REQUIRED");
        // A wrong password says nothing about the second factor, whatever code comes with it.
        Api.Response wrongPassword = api.post("/api/v1/auth/login", null, Map.of("email", user.email(),
                "password", "not-the-password-" + UUID.randomUUID(), "totp", enrolled.app().code(step + 1)));
        assertProblem(wrongPassword, 401, "INVALID_CREDENTIALS");

        Api.Response signedIn = loginWith(user, Map.of("totp", enrolled.app().code(step + 1)));

        assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
        assertThat(api.get("/api/v1/auth/mfa", signedIn.text("accessToken")).body().path("enabled").asBoolean())
                .isTrue();
    }

    @Test
    void aCodeIsAcceptedOnlyOnce() {
        User user = newClinic().user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);
        String code = enrolled.app().code(step + 1);
        assertThat(loginWith(user, Map.of("totp", code)).status()).isEqualTo(200);

        assertProblem(loginWith(user, Map.of("totp", code)), 401, "INVALID_MFA_CODE");
        // Nor an earlier step's code that was never used: only a later step may follow.
        assertProblem(loginWith(user, Map.of("totp", enrolled.app().code(step - 1))), 401, "INVALID_MFA_CODE");
    }

    @Test
    void codesOneStepAwayAreAcceptedAndTwoStepsAwayAreNot() {
        User user = newClinic().user("PRACTITIONER");
        Authenticator app = new Authenticator(start(user.token()));
        long step = Authenticator.freshStep(10);

        assertProblem(confirm(user.token(), app.code(step + 2)), 422, "INVALID_MFA_CODE");
        assertProblem(confirm(user.token(), app.code(step - 2)), 422, "INVALID_MFA_CODE");
        assertThat(confirm(user.token(), app.code(step - 1)).status()).isEqualTo(200);

        assertThat(loginWith(user, Map.of("totp", app.code(step))).status()).isEqualTo(200);
        assertThat(loginWith(user, Map.of("totp", app.code(step + 1))).status()).isEqualTo(200);
        assertProblem(loginWith(user, Map.of("totp", app.code(step + 2))), 401, "INVALID_MFA_CODE");
    }

    @Test
    void eachRecoveryCodeSignsInOnce() {
        User user = newClinic().user("CLINIC_ADMIN");
        Enrolled enrolled = enrol(user.token(), Authenticator.freshStep(8));
        assertThat(enrolled.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
        String first = enrolled.recoveryCodes().get(0);
        String second = enrolled.recoveryCodes().get(1);

        assertThat(loginWith(user, Map.of("recoveryCode", first)).status()).isEqualTo(200);
        assertProblem(loginWith(user, Map.of("recoveryCode", first)), 401, "INVALID_MFA_CODE");
        // The TOTP field takes a recovery code too, typed sloppily.
        Api.Response viaTotpField = loginWith(user, Map.of("totp", second.toLowerCase().replace("-", " ")));
        assertThat(viaTotpField.status()).as("%s", viaTotpField).isEqualTo(200);

        assertThat(api.get("/api/v1/auth/mfa", viaTotpField.text("accessToken")).body()
                .path("recoveryCodesLeft").asInt()).isEqualTo(8);
    }

    @Test
    void repeatedWrongCodesLockTheSecondFactorForAWhileButNotForever() throws SQLException {
        User user = newClinic().user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);
        String right = enrolled.app().code(step + 1);
        String wrong = right.equals("000000") ? "111111" : "000000";

        for (int i = 0; i < 5; i++) {
            assertProblem(loginWith(user, Map.of("totp", wrong)), 401, "INVALID_MFA_CODE");
        }
        Api.Response locked = loginWith(user, Map.of("totp", right));

        assertProblem(locked, 429, "MFA_LOCKED");
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 300L);
        assertThat(reasons(user.id(), "LOGIN_FAILED")).contains("second factor locked after repeated wrong codes")
                .anyMatch(r -> r.startsWith("wrong or already used second-factor code; locked for "));

        // The lock expires on its own (here: moved into the past, as time would).
        superuser("update staff_mfa set locked_until = now() - interval '1 second' where user_id = ?", user.id());
        assertThat(loginWith(user, Map.of("totp", right)).status()).isEqualTo(200);
    }

    @Test
    void parallelGuessesCannotOutrunTheAttemptLimit() throws Exception {
        User user = newClinic().user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);
        String right = enrolled.app().code(step + 1);
        String wrong = right.equals("000000") ? "111111" : "000000";

        List<Integer> statuses = parallel(20, () -> loginWith(user, Map.of("totp", wrong)).status());

        assertThat(statuses).filteredOn(s -> s == 401).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(15);
    }

    @Test
    void aCodeSentTwiceAtOnceSignsInOnce() throws Exception {
        User user = newClinic().user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);
        String code = enrolled.app().code(step + 1);

        List<Integer> statuses = parallel(4, () -> loginWith(user, Map.of("totp", code)).status());

        assertThat(statuses).containsOnlyOnce(200).filteredOn(s -> s != 200).containsOnly(401);
    }

    @Test
    void disablingTakesACurrentCodeAndThenThePasswordIsEnoughAgain() {
        User user = newClinic().user("COMPLIANCE_OFFICER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);

        assertProblem(api.post("/api/v1/auth/mfa/disable", user.token(), Map.of("password", PASSWORD, "code", "12345")),
                422, "INVALID_MFA_CODE");
        assertProblem(api.post("/api/v1/auth/mfa/disable", user.token(), Map.of("password", PASSWORD)), 400,
                "MFA_CODE_REQUIRED");
        Api.Response disabled = api.post("/api/v1/auth/mfa/disable", user.token(),
                Map.of("password", PASSWORD, "code", enrolled.app().code(step + 1)));

        assertThat(disabled.status()).as("%s", disabled).isEqualTo(204);
        assertThat(loginWith(user, Map.of()).status()).isEqualTo(200);
        assertThat(countRows("select count(*) from staff_mfa_recovery_codes where user_id = ?", user.id())).isZero();
        assertProblem(api.post("/api/v1/auth/mfa/disable", user.token(), Map.of("password", PASSWORD, "code", "123456")),
                409, "MFA_NOT_ENABLED");
    }

    @Test
    void anAccessTokenAloneCannotEnrolASecondFactor() {
        User user = newClinic().user("RECEPTIONIST");

        assertProblem(api.post("/api/v1/auth/mfa/enrollment", user.token(), null), 403, "PASSWORD_REQUIRED");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of()), 403, "PASSWORD_REQUIRED");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", "")), 403,
                "PASSWORD_REQUIRED");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", "not the password")),
                403, "INVALID_CURRENT_PASSWORD");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", PASSWORD.toUpperCase())),
                403, "INVALID_CURRENT_PASSWORD");

        assertThat(countRows("select count(*) from staff_mfa where user_id = ?", user.id()))
                .as("no refused request started an enrollment").isZero();
        assertThat(reasons(user.id(), "MFA_CHANGED")).containsExactly("current password wrong",
                "current password wrong");
        assertThat(api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", PASSWORD)).status())
                .isEqualTo(200);
    }

    @Test
    void anAccessTokenAndACodeCannotDisableTheSecondFactorWithoutThePassword() {
        User user = newClinic().user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);

        assertProblem(api.post("/api/v1/auth/mfa/disable", user.token(), Map.of("code", enrolled.app().code(step + 1))),
                403, "PASSWORD_REQUIRED");
        assertProblem(api.post("/api/v1/auth/mfa/disable", user.token(),
                Map.of("password", "not the password", "code", enrolled.app().code(step + 1))),
                403, "INVALID_CURRENT_PASSWORD");
        assertProblem(api.post("/api/v1/auth/mfa/disable", user.token(),
                Map.of("password", "not the password", "recoveryCode", enrolled.recoveryCodes().getFirst())),
                403, "INVALID_CURRENT_PASSWORD");
        assertProblem(loginWith(user, Map.of()), 401, "MFA_REQUIRED");

        Api.Response disabled = api.post("/api/v1/auth/mfa/disable", user.token(),
                Map.of("password", PASSWORD, "recoveryCode", enrolled.recoveryCodes().getFirst()));

        assertThat(disabled.status()).as("%s", disabled).isEqualTo(204);
        assertThat(loginWith(user, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void turningTheSecondFactorOnOrOffEndsTheUsersOtherSessions() {
        User user = newClinic().user("PRACTITIONER");
        String before = login(user.email(), PASSWORD);
        long step = Authenticator.freshStep(8);

        Enrolled enrolled = enrol(user.token(), step);

        assertProblem(api.get("/api/v1/auth/mfa", before), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/auth/mfa", user.token()).status()).isEqualTo(200);
        Api.Response withCode = loginWith(user, Map.of("totp", enrolled.app().code(step + 1)));
        assertThat(withCode.status()).as("%s", withCode).isEqualTo(200);

        assertThat(api.post("/api/v1/auth/mfa/disable", user.token(),
                Map.of("password", PASSWORD, "recoveryCode", enrolled.recoveryCodes().getFirst())).status())
                .isEqualTo(204);

        assertProblem(api.get("/api/v1/auth/mfa", withCode.text("accessToken")), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/auth/mfa", user.token()).status()).isEqualTo(200);
    }

    @Test
    void newRecoveryCodesReplaceTheOldOnes() {
        User user = newClinic().user("PRACTITIONER");
        long step = Authenticator.freshStep(8);
        Enrolled enrolled = enrol(user.token(), step);

        Api.Response renewed = api.post("/api/v1/auth/mfa/recovery-codes", user.token(),
                Map.of("code", enrolled.app().code(step + 1)));

        assertThat(renewed.status()).as("%s", renewed).isEqualTo(200);
        assertThat(renewed.header("Cache-Control")).contains("no-store");
        List<String> fresh = codes(renewed);
        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(enrolled.recoveryCodes());
        assertProblem(loginWith(user, Map.of("recoveryCode", enrolled.recoveryCodes().get(0))), 401, "INVALID_MFA_CODE");
        assertThat(loginWith(user, Map.of("recoveryCode", fresh.get(0))).status()).isEqualTo(200);
    }

    @Test
    void anAdministratorResetsTheSecondFactorOfTheirOwnClinicsUsersOnly() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        enrol(user.token(), Authenticator.freshStep(8));
        User receptionist = clinic.user("RECEPTIONIST");
        Clinic other = newClinic();

        assertProblem(api.delete("/api/v1/users/" + user.id() + "/mfa", receptionist.token()), 403, "FORBIDDEN");
        assertProblem(api.delete("/api/v1/users/" + user.id() + "/mfa", other.adminToken), 404, "NOT_FOUND");
        assertProblem(loginWith(user, Map.of()), 401, "MFA_REQUIRED");

        assertThat(api.delete("/api/v1/users/" + user.id() + "/mfa", clinic.adminToken).status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/auth/mfa", user.token()), 401, "UNAUTHORIZED");

        assertThat(loginWith(user, Map.of()).status()).isEqualTo(200);
        assertThat(reasons(user.id(), "MFA_CHANGED"))
                .contains("second factor of user " + user.id() + " reset by an administrator");
    }

    @Test
    void badInputIsAClearClientError() {
        User user = newClinic().user("PRACTITIONER");

        assertProblem(confirm(user.token(), "123456"), 409, "MFA_ENROLLMENT_NOT_STARTED");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment/confirm", user.token(), Map.of()), 400,
                "VALIDATION_FAILED");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment/confirm", user.token(), Map.of("code", "1".repeat(17))),
                400, "VALIDATION_FAILED");
        assertProblem(api.postRaw("/api/v1/auth/mfa/enrollment", user.token(), "{not json"), 400,
                "MALFORMED_REQUEST");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", null, null), 401, "UNAUTHORIZED");
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", null, Map.of("enrollmentToken", "forged")), 401,
                "INVALID_ENROLLMENT_TOKEN");
        assertProblem(api.get("/api/v1/auth/mfa", null), 401, "UNAUTHORIZED");
        assertProblem(api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD,
                "totp", "1".repeat(65))), 400, "VALIDATION_FAILED");
        Enrolled enrolled = enrol(user.token(), Authenticator.freshStep(8));
        assertProblem(api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", PASSWORD)), 409, "MFA_ALREADY_ENABLED");
        assertThat(enrolled.recoveryCodes()).isNotEmpty();
    }

    // --- helpers

    private static List<Integer> parallel(int n, java.util.concurrent.Callable<Integer> call) throws Exception {
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var future : futures) {
                statuses.add(future.get());
            }
            return statuses;
        }
    }

    private Api.Response loginWith(User user, Map<String, String> secondFactor) {
        Map<String, String> body = new HashMap<>(secondFactor);
        body.put("email", user.email());
        body.put("password", PASSWORD);
        return api.post("/api/v1/auth/login", null, body);
    }

    private String start(String token) {
        Api.Response started = api.post("/api/v1/auth/mfa/enrollment", token, Map.of("password", PASSWORD));
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        return started.text("secret");
    }

    private Api.Response confirm(String token, String code) {
        return api.post("/api/v1/auth/mfa/enrollment/confirm", token, Map.of("code", code));
    }

    /** Enrols and confirms with the code of {@code step}. */
    private Enrolled enrol(String token, long step) {
        String secret = start(token);
        Authenticator app = new Authenticator(secret);
        Api.Response confirmed = confirm(token, app.code(step));
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        assertThat(confirmed.header("Cache-Control")).contains("no-store");
        return new Enrolled(app, secret, codes(confirmed));
    }

    private static List<String> codes(Api.Response response) {
        List<String> codes = new ArrayList<>();
        for (JsonNode code : response.body().get("recoveryCodes")) {
            codes.add(code.asString());
        }
        return codes;
    }

    static List<String> reasons(String userId, String action) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select reason from audit_events where resource_id = cast(? as uuid) and action = ? order by at")) {
            s.setString(1, userId);
            s.setString(2, action);
            List<String> reasons = new ArrayList<>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
            return reasons;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void superuser(String sql, String userId) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                sql.replace("user_id = ?", "user_id = cast(? as uuid)"))) {
            s.setString(1, userId);
            s.executeUpdate();
        }
    }

    private static long countRows(String sql, String userId) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                sql.replace("user_id = ?", "user_id = cast(? as uuid)"))) {
            s.setString(1, userId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
