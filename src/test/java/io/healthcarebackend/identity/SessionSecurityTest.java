package io.healthcarebackend.identity;

import static io.healthcarebackend.identity.AuthApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.Loopback;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Session rules of S2 against the real Redis store: the per-user limit, encryption at rest,
 * password changes, suspicious use from two networks or a new network and device (clients on
 * other networks are real: sockets bound to other loopback addresses, 127.1.0.1 is another /16
 * than 127.0.0.1), bursts of failed logins, and account changes reaching every instance within a
 * second.
 */
class SessionSecurityTest extends ApiTest {

    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

    @Test
    void aSixthSignInEndsTheOldestSessionAndRecordsIt() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String first = user.token();
        for (int i = 0; i < 4; i++) {
            login(user.email(), PASSWORD);
        }
        assertThat(api.get("/api/v1/auth/sessions", first).items()).hasSize(5);

        String sixth = login(user.email(), PASSWORD);

        List<JsonNode> sessions = api.get("/api/v1/auth/sessions", sixth).items();
        assertThat(sessions).hasSize(5);
        assertThat(sessions).extracting(s -> s.get("id").asString()).doesNotContain(sessionIdOf(first))
                .contains(sessionIdOf(sixth));
        assertProblem(api.get("/api/v1/auth/sessions", first), 401, "UNAUTHORIZED");
        assertThat(AuditLog.eventsAbout(sessionIdOf(first))).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "SESSION_REVOKED").containsEntry("actor_id", user.id())
                .containsEntry("reason", "session limit of 5 reached; oldest session evicted"));
    }

    @Test
    void sessionDataIsEncryptedAtRestInRedisAndReadableThroughTheApi() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        String agent = "CanaryBrowser/9.9 (X11; Linux x86_64)";
        Api.Response login = api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD),
                Map.of("User-Agent", agent));
        String token = login.text("accessToken");

        Map<String, String> stored = redisHash(TestDatabase.REDIS_PREFIX + "session:" + sessionIdOf(token));
        assertThat(stored).containsKeys("ip", "ua", "device", "net", "refresh");
        assertThat(String.join("|", stored.values())).doesNotContain("CanaryBrowser").doesNotContain("127.0.0.1")
                .doesNotContain("Linux");
        assertThat(stored.get("ua")).startsWith("v1:");

        JsonNode session = api.get("/api/v1/auth/sessions", token).items().stream()
                .filter(s -> s.get("current").asBoolean()).findFirst().orElseThrow();
        assertThat(session.get("userAgent").asString()).isEqualTo(agent);
        assertThat(session.get("ip").asString()).isEqualTo("127.0.0.1");
        assertThat(session.get("device").asString()).isEqualTo("canarybrowser on Linux");
        assertThat(session.get("suspicious").asBoolean()).isFalse();
    }

    @Test
    void changingThePasswordEndsTheOtherSessionsKeepsThisOneAndIsAudited() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String other = login(user.email(), PASSWORD);
        String replacement = "a brand new passphrase for the clinic";

        assertProblem(api.post("/api/v1/auth/password", user.token(),
                Map.of("currentPassword", "not the password at all", "newPassword", replacement)),
                403, "INVALID_CURRENT_PASSWORD");
        assertProblem(api.post("/api/v1/auth/password", user.token(),
                Map.of("currentPassword", PASSWORD, "newPassword", "password1234")), 400, "WEAK_PASSWORD");
        assertThat(api.get("/api/v1/auth/sessions", other).status()).as("refused changes end nothing").isEqualTo(200);

        Api.Response changed = api.post("/api/v1/auth/password", user.token(),
                Map.of("currentPassword", PASSWORD, "newPassword", replacement));

        assertThat(changed.status()).as("%s", changed).isEqualTo(204);
        assertProblem(api.get("/api/v1/auth/sessions", other), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/auth/sessions", user.token()).items()).hasSize(1);
        assertProblem(api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD)),
                401, "INVALID_CREDENTIALS");
        assertThat(login(user.email(), replacement)).isNotBlank();
        List<Map<String, String>> events = AuditLog.eventsAbout(user.id());
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("action", "PASSWORD_CHANGED")
                .containsEntry("outcome", "SUCCESS"));
        assertThat(events).anySatisfy(e -> assertThat(e).containsEntry("action", "PASSWORD_CHANGED")
                .containsEntry("outcome", "FAILURE").containsEntry("reason", "current password wrong"));
        assertThat(AuditLog.eventsAbout(sessionIdOf(other))).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "SESSION_REVOKED").containsEntry("reason", "password changed"));
    }

    @Test
    void aSessionUsedFromTwoNetworksAtOnceIsEndedAndRecorded() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Loopback.Reply home = Loopback.request("127.0.0.1", port, "GET", "/api/v1/auth/sessions", user.token(), null,
                Map.of());
        assertThat(home.status()).as("%s", home).isEqualTo(200);

        Loopback.Reply elsewhere = Loopback.request("127.1.0.1", port, "GET", "/api/v1/auth/sessions", user.token(),
                null, Map.of());

        assertThat(elsewhere.status()).as("%s", elsewhere).isEqualTo(401);
        assertThat(Loopback.request("127.0.0.1", port, "GET", "/api/v1/auth/sessions", user.token(), null, Map.of())
                .status()).as("the session is over for both").isEqualTo(401);
        assertThat(AuditLog.eventsAbout(sessionIdOf(user.token()))).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "SUSPICIOUS_ACTIVITY").containsEntry("outcome", "DENIED")
                .containsEntry("actor_id", user.id()).containsEntry("ip", "127.1.0.1")
                .containsEntry("reason", "used from two networks at once; session ended, re-authentication required"));
    }

    @Test
    void aNewNetworkAloneOrANewDeviceAloneIsNotSuspicious() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Loopback.Reply login = Loopback.request("127.0.0.1", port, "POST", "/api/v1/auth/login", null,
                Map.of("email", user.email(), "password", PASSWORD), Map.of("User-Agent", FIREFOX));

        Loopback.Reply moved = Loopback.request("127.3.0.1", port, "POST", "/api/v1/auth/refresh", null,
                Map.of("refreshToken", login.text("refreshToken")), Map.of("User-Agent", FIREFOX));
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        Loopback.Reply newBrowser = Loopback.request("127.3.0.1", port, "POST", "/api/v1/auth/refresh", null,
                Map.of("refreshToken", moved.text("refreshToken")), Map.of("User-Agent", CHROME_WINDOWS));

        assertThat(newBrowser.status()).as("%s", newBrowser).isEqualTo(200);
    }

    @Test
    void aRefreshFromANewNetworkAndANewDeviceNeedsANewSignIn() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Loopback.Reply login = Loopback.request("127.0.0.1", port, "POST", "/api/v1/auth/login", null,
                Map.of("email", user.email(), "password", PASSWORD), Map.of("User-Agent", FIREFOX));
        assertThat(login.status()).as("%s", login).isEqualTo(200);

        Loopback.Reply stolen = Loopback.request("127.2.0.1", port, "POST", "/api/v1/auth/refresh", null,
                Map.of("refreshToken", login.text("refreshToken")), Map.of("User-Agent", CHROME_WINDOWS));

        assertThat(stolen.status()).as("%s", stolen).isEqualTo(401);
        assertThat(stolen.text("code")).isEqualTo("REAUTHENTICATION_REQUIRED");
        assertThat(Loopback.request("127.0.0.1", port, "GET", "/api/v1/auth/sessions", login.text("accessToken"),
                null, Map.of()).status()).as("the session is over").isEqualTo(401);
        String session = sessionIdOf(login.text("accessToken"));
        assertThat(AuditLog.eventsAbout(session)).anySatisfy(e -> assertThat(e)
                .containsEntry("action", "SUSPICIOUS_ACTIVITY").containsEntry("actor_id", user.id())
                .containsEntry("reason", "refresh from a new network and a new device; session ended, "
                        + "re-authentication required"));
    }

    @Test
    void aBurstOfFailedLoginsIsRecordedOnceAndEndsNoSession() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        for (int i = 0; i < 7; i++) {
            assertProblem(api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", "wrong-" + i)),
                    401, "INVALID_CREDENTIALS");
        }

        assertThat(AuditLog.eventsAbout(user.id()).stream()
                .filter(e -> e.get("action").equals("SUSPICIOUS_ACTIVITY")).toList())
                .singleElement().satisfies(e -> assertThat(e.get("reason")).startsWith("5 failed logins within"));
        assertThat(api.get("/api/v1/auth/sessions", user.token()).status()).isEqualTo(200);
    }

    @Test
    void accountChangesEndSessionsOnEveryInstanceWithinASecond() throws Exception {
        Clinic clinic = newClinic();
        User deactivated = clinic.user("RECEPTIONIST");
        User promoted = clinic.user("RECEPTIONIST");
        User changer = clinic.user("PRACTITIONER");
        String changersOtherSession = login(changer.email(), PASSWORD);
        ConfigurableApplicationContext second = new SpringApplicationBuilder(HealthcareBackendApplication.class)
                .properties("server.port=0").run();
        try {
            Api other = new Api(((WebServerApplicationContext) second).getWebServer().getPort());
            for (String token : List.of(deactivated.token(), promoted.token(), changersOtherSession)) {
                assertThat(other.get("/api/v1/auth/sessions", token).status()).as("in use on the second instance")
                        .isEqualTo(200);
            }

            assertThat(api.patch("/api/v1/users/" + deactivated.id(), clinic.adminToken, Map.of("active", false))
                    .status()).isEqualTo(200);
            assertThat(api.patch("/api/v1/users/" + promoted.id(), clinic.adminToken, Map.of("role", "PRACTITIONER"))
                    .status()).isEqualTo(200);
            assertThat(api.post("/api/v1/auth/password", changer.token(), Map.of("currentPassword", PASSWORD,
                    "newPassword", "another long passphrase for this test")).status()).isEqualTo(204);
            Thread.sleep(1_100);

            for (String token : List.of(deactivated.token(), promoted.token(), changersOtherSession)) {
                assertProblem(other.get("/api/v1/auth/sessions", token), 401, "UNAUTHORIZED");
            }
            assertThat(other.get("/api/v1/auth/sessions", changer.token()).status()).isEqualTo(200);
        } finally {
            second.close();
        }
    }

    static String sessionIdOf(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, String> redisHash(String key) {
        RedisClient client = RedisClient.create(TestDatabase.REDIS_URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().hgetall(key);
        } finally {
            client.shutdown();
        }
    }
}
