package io.healthcarebackend.identity;

import static io.healthcarebackend.identity.AuthApiTest.assertProblem;
import static io.healthcarebackend.identity.SessionSecurityTest.sessionIdOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.Loopback;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The session settings are settings: a smaller per-user limit, a rotation interval shorter than
 * the idle timeout (a refresh token unrotated past it is dead even though the session is not
 * idle by the idle rule), and suspicious sessions only flagged and recorded instead of ended.
 */
@TestPropertySource(properties = {"app.sessions.max-per-user=2", "app.sessions.idle-timeout=PT1H",
        "app.sessions.rotation-interval=PT2S", "app.sessions.suspicious.require-reauthentication=false"})
class SessionPolicyOptionsTest extends ApiTest {

    @Test
    void theSessionLimitIsConfigurable() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String second = login(user.email(), PASSWORD);

        String third = login(user.email(), PASSWORD);

        assertThat(api.get("/api/v1/auth/sessions", third).items()).extracting(s -> s.get("id").asString())
                .containsExactlyInAnyOrder(sessionIdOf(second), sessionIdOf(third));
        assertProblem(api.get("/api/v1/auth/sessions", user.token()), 401, "UNAUTHORIZED");
    }

    @Test
    void aRefreshTokenUnrotatedPastTheRotationIntervalIsRefused() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD));
        Api.Response rotated = api.post("/api/v1/auth/refresh", null,
                Map.of("refreshToken", login.text("refreshToken")));
        assertThat(rotated.status()).as("within the interval: %s", rotated).isEqualTo(200);

        Thread.sleep(2_500);

        assertProblem(api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", rotated.text("refreshToken"))),
                401, "INVALID_REFRESH_TOKEN");
    }

    @Test
    void withoutReauthenticationASuspiciousSessionIsFlaggedRecordedAndGoesOn() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        assertThat(Loopback.request("127.0.0.1", port, "GET", "/api/v1/auth/sessions", user.token(), null, Map.of())
                .status()).isEqualTo(200);

        Loopback.Reply elsewhere = Loopback.request("127.1.0.1", port, "GET", "/api/v1/auth/sessions", user.token(),
                null, Map.of());

        assertThat(elsewhere.status()).as("%s", elsewhere).isEqualTo(200);
        List<JsonNode> sessions = api.get("/api/v1/auth/sessions", user.token()).items();
        assertThat(sessions).singleElement().satisfies(s -> {
            assertThat(s.get("suspicious").asBoolean()).isTrue();
            assertThat(s.get("suspiciousReason").asString()).isEqualTo("used from two networks at once");
        });
        assertThat(AuditLog.eventsAbout(sessionIdOf(user.token()))).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "SUSPICIOUS_ACTIVITY").containsEntry("outcome", "SUCCESS")
                .containsEntry("reason", "used from two networks at once; session flagged"));
    }
}
