package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, sessions and account administration leave audit events: who (or, before sign-in, which
 * account), what, with which outcome, from where (IP, user agent) and in which trace; never an
 * e-mail address or a password.
 */
class AuthAuditTest extends ApiTest {

    private static final String WRONG_PASSWORD = "wrong-password-" + UUID.randomUUID();

    @Test
    void aSuccessfulLoginIsAuditedWithTheUserTheClientAndTheTrace() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Trace trace = Trace.next();

        Api.Response login = login(user.email(), PASSWORD, trace);

        assertThat(login.status()).as("%s", login).isEqualTo(200);
        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "LOGIN").containsEntry("outcome", "SUCCESS")
                .containsEntry("clinic_id", clinic.id).containsEntry("actor_id", user.id())
                .containsEntry("actor_role", "PRACTITIONER").containsEntry("resource_type", "StaffUser")
                .containsEntry("resource_id", user.id()).containsEntry("ip", "127.0.0.1")
                .containsEntry("user_agent", AuditLog.USER_AGENT).containsEntry("trace_id", trace.id())
                .containsEntry("emergency", "f").containsEntry("reason", "signed in with password");
        assertThat(event.get("patient_id")).isNull();
        assertThat(event.get("at")).isNotNull();
    }

    @Test
    void aWrongPasswordIsAuditedAsAFailedLoginOfThatAccount() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Trace trace = Trace.next();

        assertProblem(login(user.email(), WRONG_PASSWORD, trace), 401, "INVALID_CREDENTIALS");

        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "LOGIN_FAILED").containsEntry("outcome", "FAILURE")
                .containsEntry("clinic_id", clinic.id).containsEntry("resource_type", "StaffUser")
                .containsEntry("resource_id", user.id()).containsEntry("ip", "127.0.0.1")
                .containsEntry("user_agent", AuditLog.USER_AGENT).containsEntry("trace_id", trace.id());
        assertThat(event.get("actor_id")).as("nobody is signed in").isNull();
        assertNoSecretIn(user.email(), WRONG_PASSWORD);
    }

    @Test
    void aLoginWithAnUnknownEmailIsAuditedWithoutClinicAccountOrEmail() {
        String email = "nobody-" + UUID.randomUUID() + "@tests.invalid";
        Trace trace = Trace.next();

        assertProblem(login(email, WRONG_PASSWORD, trace), 401, "INVALID_CREDENTIALS");

        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "LOGIN_FAILED").containsEntry("outcome", "FAILURE")
                .containsEntry("ip", "127.0.0.1").containsEntry("trace_id", trace.id());
        assertThat(event.get("clinic_id")).isNull();
        assertThat(event.get("actor_id")).isNull();
        assertThat(event.get("resource_id")).isNull();
        assertNoSecretIn(email, WRONG_PASSWORD);
    }

    @Test
    void aDeactivatedUsersCorrectPasswordIsStillAFailedLogin() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        assertThat(api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false)).status())
                .isEqualTo(200);
        Trace trace = Trace.next();

        assertProblem(login(user.email(), PASSWORD, trace), 401, "INVALID_CREDENTIALS");

        assertThat(single(trace)).containsEntry("action", "LOGIN_FAILED").containsEntry("outcome", "FAILURE")
                .containsEntry("clinic_id", clinic.id).containsEntry("resource_id", user.id());
    }

    @Test
    void logoutIsAuditedWithTheEndedSession() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Trace trace = Trace.next();

        assertThat(api.post("/api/v1/auth/logout", user.token(), null, trace.headers()).status()).isEqualTo(204);

        assertThat(single(trace)).containsEntry("action", "LOGOUT").containsEntry("outcome", "SUCCESS")
                .containsEntry("clinic_id", clinic.id).containsEntry("actor_id", user.id())
                .containsEntry("actor_role", "PRACTITIONER").containsEntry("resource_type", "Session")
                .containsEntry("resource_id", sessionIdOf(user.token()))
                .containsEntry("user_agent", AuditLog.USER_AGENT);
    }

    @Test
    void reusingARefreshTokenIsAuditedAsDeniedWithTheEndedSession() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email(), PASSWORD, Trace.next());
        String retired = login.text("refreshToken");
        Api.Response rotated = refresh(retired, Trace.next());
        assertThat(refresh(rotated.text("refreshToken"), Trace.next()).status()).isEqualTo(200);
        Trace trace = Trace.next();

        assertProblem(refresh(retired, trace), 401, "REFRESH_TOKEN_REUSED");

        assertThat(single(trace)).containsEntry("action", "REFRESH_TOKEN_REUSE").containsEntry("outcome", "DENIED")
                .containsEntry("clinic_id", clinic.id).containsEntry("actor_id", user.id())
                .containsEntry("resource_type", "Session")
                .containsEntry("resource_id", sessionIdOf(login.text("accessToken")))
                .containsEntry("trace_id", trace.id());
        assertNoSecretIn(retired);
    }

    @Test
    void endingASessionIsAuditedAndNamesTheOwnerWhenAnAdminEndsIt() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String other = login(user.email(), PASSWORD, Trace.next()).text("accessToken");
        Trace own = Trace.next();
        Trace byAdmin = Trace.next();

        assertThat(api.delete("/api/v1/auth/sessions/" + sessionIdOf(other), user.token(), own.headers()).status())
                .isEqualTo(204);
        assertThat(api.delete("/api/v1/auth/sessions/" + sessionIdOf(user.token()), clinic.adminToken,
                byAdmin.headers()).status()).isEqualTo(204);

        assertThat(single(own)).containsEntry("action", "SESSION_REVOKED").containsEntry("outcome", "SUCCESS")
                .containsEntry("actor_id", user.id()).containsEntry("resource_type", "Session")
                .containsEntry("resource_id", sessionIdOf(other));
        Map<String, String> admin = single(byAdmin);
        assertThat(admin).containsEntry("action", "SESSION_REVOKED").containsEntry("actor_id", clinic.adminId)
                .containsEntry("actor_role", "CLINIC_ADMIN").containsEntry("clinic_id", clinic.id)
                .containsEntry("resource_id", sessionIdOf(user.token()));
        assertThat(admin.get("reason")).contains(user.id());
    }

    @Test
    void creatingAUserIsAuditedWithTheAdminAsActorInTheUsersClinic() {
        Clinic clinic = newClinic();
        String email = "new-" + UUID.randomUUID() + "@tests.invalid";
        Trace trace = Trace.next();

        Api.Response created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                Map.of("email", email, "name", "New User", "role", "RECEPTIONIST", "password", PASSWORD),
                trace.headers());

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(single(trace)).containsEntry("action", "USER_CREATED").containsEntry("outcome", "SUCCESS")
                .containsEntry("clinic_id", clinic.id).containsEntry("actor_id", clinic.adminId)
                .containsEntry("actor_role", "CLINIC_ADMIN").containsEntry("resource_type", "StaffUser")
                .containsEntry("resource_id", created.text("id")).containsEntry("ip", "127.0.0.1")
                .containsEntry("user_agent", AuditLog.USER_AGENT).containsEntry("trace_id", trace.id());
        assertNoSecretIn(email, PASSWORD, "New User");
    }

    @Test
    void aPlatformAdminCreatingAClinicsFirstAdminIsAuditedInThatClinic() throws Exception {
        String platform = platformToken();
        String clinicId = api.post("/api/v1/clinics", platform,
                Map.of("name", "Clinic " + UUID.randomUUID(), "timeZone", "Europe/Berlin")).text("id");
        Trace trace = Trace.next();

        Api.Response created = api.post("/api/v1/clinics/" + clinicId + "/users", platform,
                Map.of("email", "first-" + UUID.randomUUID() + "@tests.invalid", "name", "First",
                        "role", "CLINIC_ADMIN", "password", PASSWORD), trace.headers());

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(single(trace)).containsEntry("action", "USER_CREATED").containsEntry("clinic_id", clinicId)
                .containsEntry("actor_id", SignedJWT.parse(platform).getJWTClaimsSet().getSubject())
                .containsEntry("actor_role", "PLATFORM_ADMIN").containsEntry("resource_id", created.text("id"));
    }

    @Test
    void aRefusedUserCreationIsAuditedAsAFailure() {
        Clinic clinic = newClinic();
        User existing = clinic.user("RECEPTIONIST");
        Trace trace = Trace.next();

        Api.Response taken = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                Map.of("email", existing.email(), "name", "Twin", "role", "RECEPTIONIST", "password", PASSWORD),
                trace.headers());

        assertProblem(taken, 409, "EMAIL_TAKEN");
        Map<String, String> event = single(trace);
        assertThat(event).containsEntry("action", "USER_CREATED").containsEntry("outcome", "FAILURE")
                .containsEntry("actor_id", clinic.adminId).containsEntry("clinic_id", clinic.id)
                .containsEntry("reason", "EMAIL_TAKEN");
        assertThat(event.get("resource_id")).isNull();
        assertNoSecretIn(existing.email());
    }

    @Test
    void changingARoleIsAuditedWithTheOldAndNewRoleAndEndsTheSessionsOnRecord() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Trace trace = Trace.next();

        assertThat(api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("role", "PRACTITIONER"),
                trace.headers()).status()).isEqualTo(200);

        List<Map<String, String>> events = AuditLog.eventsOf(trace);
        assertThat(events).extracting(e -> e.get("action")).containsExactly("ROLE_CHANGED", "SESSION_REVOKED");
        assertThat(events.get(0)).containsEntry("outcome", "SUCCESS").containsEntry("actor_id", clinic.adminId)
                .containsEntry("clinic_id", clinic.id).containsEntry("resource_type", "StaffUser")
                .containsEntry("resource_id", user.id()).containsEntry("reason", "from RECEPTIONIST to PRACTITIONER");
        assertThat(events.get(1)).containsEntry("actor_id", clinic.adminId).containsEntry("resource_type", "Session")
                .containsEntry("resource_id", sessionIdOf(user.token()));
    }

    @Test
    void deactivatingAndReactivatingAUserAreAudited() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Trace deactivation = Trace.next();
        Trace reactivation = Trace.next();

        assertThat(api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false),
                deactivation.headers()).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", true),
                reactivation.headers()).status()).isEqualTo(200);

        List<Map<String, String>> deactivated = AuditLog.eventsOf(deactivation);
        assertThat(deactivated).extracting(e -> e.get("action"))
                .containsExactly("USER_DEACTIVATED", "SESSION_REVOKED");
        assertThat(deactivated.get(0)).containsEntry("outcome", "SUCCESS").containsEntry("actor_id", clinic.adminId)
                .containsEntry("resource_type", "StaffUser").containsEntry("resource_id", user.id());
        assertThat(deactivated.get(1)).containsEntry("resource_id", sessionIdOf(user.token()));
        assertThat(single(reactivation)).containsEntry("action", "USER_REACTIVATED")
                .containsEntry("actor_id", clinic.adminId).containsEntry("resource_id", user.id());
    }

    @Test
    void aChangeToAUserThatDoesNotExistIsAuditedAsAFailure() {
        Clinic clinic = newClinic();
        String missing = UUID.randomUUID().toString();
        Trace trace = Trace.next();

        assertProblem(api.patch("/api/v1/users/" + missing, clinic.adminToken, Map.of("active", false),
                trace.headers()), 404, "NOT_FOUND");

        assertThat(single(trace)).containsEntry("action", "USER_DEACTIVATED").containsEntry("outcome", "FAILURE")
                .containsEntry("resource_id", missing).containsEntry("reason", "NOT_FOUND");
    }

    @Test
    void noAuditEventEverHoldsAnEmailAddressOrAPassword() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        login(user.email(), WRONG_PASSWORD, Trace.next());
        login(user.email().toUpperCase(), PASSWORD, Trace.next());
        login("ghost-" + UUID.randomUUID() + "@tests.invalid", WRONG_PASSWORD, Trace.next());

        assertThat(AuditLog.everyValue()).isNotEmpty()
                .noneMatch(v -> v.contains("@"))
                .noneMatch(v -> v.contains(PASSWORD) || v.contains(PLATFORM_PASSWORD) || v.contains(WRONG_PASSWORD));
    }

    // --- the audit store cannot be written --------------------------------------------------

    @Test
    void aLoginIsRefusedWith503AndLeavesNoSessionWhenItCannotBeAudited() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");

        Api.Response login;
        Api.Response failed;
        try (AutoCloseable outage = AuditLog.unwritable()) {
            login = login(user.email(), PASSWORD, Trace.next());
            failed = login(user.email(), WRONG_PASSWORD, Trace.next());
        }

        assertProblem(login, 503, "AUDIT_UNAVAILABLE");
        assertProblem(failed, 503, "AUDIT_UNAVAILABLE");
        Api.Response sessions = api.get("/api/v1/auth/sessions", user.token());
        assertThat(sessions.body().path("items").size()).as("only the session from before the outage")
                .isEqualTo(1);
    }

    @Test
    void aUserCreationThatCannotBeAuditedFailsWith503AndIsRolledBack() throws Exception {
        Clinic clinic = newClinic();
        String email = "unaudited-" + UUID.randomUUID() + "@tests.invalid";

        Api.Response created;
        try (AutoCloseable outage = AuditLog.unwritable()) {
            created = api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                    Map.of("email", email, "name", "Unaudited", "role", "RECEPTIONIST", "password", PASSWORD));
        }

        assertProblem(created, 503, "AUDIT_UNAVAILABLE");
        assertProblem(login(email, PASSWORD, Trace.next()), 401, "INVALID_CREDENTIALS");
        Api.Response list = api.get("/api/v1/users?limit=200", clinic.adminToken);
        assertThat(list.body().path("items").toString()).doesNotContain(email);
    }

    @Test
    void aRoleChangeThatCannotBeAuditedFailsWith503AndIsRolledBack() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");

        Api.Response patch;
        try (AutoCloseable outage = AuditLog.unwritable()) {
            patch = api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("role", "CLINIC_ADMIN"));
        }

        assertProblem(patch, 503, "AUDIT_UNAVAILABLE");
        assertThat(SignedJWT.parse(login(user.email(), PASSWORD, Trace.next()).text("accessToken"))
                .getJWTClaimsSet().getStringClaim("role")).isEqualTo("RECEPTIONIST");
    }

    // --- helpers ---------------------------------------------------------------------------

    private Api.Response login(String email, String password, Trace trace) {
        return api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password), trace.headers());
    }

    private Api.Response refresh(String refreshToken, Trace trace) {
        return api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken), trace.headers());
    }

    private static Map<String, String> single(Trace trace) {
        List<Map<String, String>> events = AuditLog.eventsOf(trace);
        assertThat(events).as("audit events of trace %s", trace.id()).hasSize(1);
        return events.getFirst();
    }

    private static void assertNoSecretIn(String... secrets) {
        List<String> values = AuditLog.everyValue();
        for (String secret : secrets) {
            assertThat(values).as("no audit value contains %s", secret)
                    .noneMatch(v -> v.toLowerCase().contains(secret.toLowerCase()));
        }
    }

    private static String sessionIdOf(String accessToken) throws java.text.ParseException {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
    }
}
