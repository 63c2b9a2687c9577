package io.healthcarebackend.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The single-node session store: without a Redis URL, sessions live in PostgreSQL's
 * {@code auth_sessions}. The same login, rotation, reuse and logout rules hold, and the table keeps
 * only a hash of each refresh token. Rows are inspected as the database superuser.
 */
@TestPropertySource(properties = "app.redis.url=")
class PostgresSessionStoreTest extends ApiTest {

    @Test
    void withoutRedisTheServiceReportsItAsNotConfigured() {
        Api.Response health = api.get("/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("redis")).isEqualTo("not configured");
        assertThat(health.text("database")).isEqualTo("connected");
    }

    @Test
    void loginStoresTheSessionInPostgresWithOnlyAHashOfTheRefreshToken() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email());
        UUID session = sessionIdOf(login.text("accessToken"));

        SessionRow row = row(session);

        assertThat(row).isNotNull();
        assertThat(row.userId()).isEqualTo(user.id());
        assertThat(row.clinicId()).isEqualTo(clinic.id);
        assertThat(row.role()).isEqualTo("RECEPTIONIST");
        byte[] token = Base64.getUrlDecoder().decode(login.text("refreshToken"));
        byte[] secret = Arrays.copyOfRange(token, token.length - 32, token.length);
        assertThat(row.refreshHash()).hasSize(32)
                .isNotEqualTo(token)
                .isNotEqualTo(secret)
                .isNotEqualTo(login.text("refreshToken").getBytes(StandardCharsets.US_ASCII));
        assertThat(row.asText()).doesNotContain(login.text("refreshToken"));
        assertThat(redisKeyExists(TestDatabase.REDIS_PREFIX + "session:" + session))
                .as("nothing is written to Redis").isFalse();
    }

    @Test
    void refreshRotatesTheStoredHashAndKeepsOneRow() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email());
        UUID session = sessionIdOf(login.text("accessToken"));
        byte[] before = row(session).refreshHash();

        Api.Response refreshed = refresh(login.text("refreshToken"));

        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        assertThat(refreshed.text("refreshToken")).isNotEqualTo(login.text("refreshToken"));
        assertThat(sessionIdOf(refreshed.text("accessToken"))).isEqualTo(session);
        SessionRow after = row(session);
        assertThat(after.refreshHash()).hasSize(32).isNotEqualTo(before);
        assertThat(sessionCountOf(user.id())).isEqualTo(2);
        assertThat(api.get("/api/v1/auth/sessions", refreshed.text("accessToken")).status()).isEqualTo(200);
    }

    @Test
    void reusingARetiredRefreshTokenDeletesTheSession() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Api.Response login = login(user.email());
        UUID session = sessionIdOf(login.text("accessToken"));
        Api.Response rotated = refresh(login.text("refreshToken"));
        Api.Response refreshed = refresh(rotated.text("refreshToken"));
        assertThat(refreshed.status()).isEqualTo(200);

        Api.Response reuse = refresh(login.text("refreshToken"));

        assertThat(reuse.status()).isEqualTo(401);
        assertThat(reuse.text("code")).isEqualTo("REFRESH_TOKEN_REUSED");
        assertThat(row(session)).isNull();
        assertThat(refresh(refreshed.text("refreshToken")).status()).isEqualTo(401);
        assertEventuallyRefused(refreshed.text("accessToken"));
        assertThat(api.get("/api/v1/auth/sessions", user.token()).status())
                .as("the user's other session").isEqualTo(200);
    }

    @Test
    void concurrentRefreshesWithOneTokenYieldAtMostOneNewPair() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String refreshToken = login(user.email()).text("refreshToken");

        List<Api.Response> answers = AuthApiTest.concurrently(6, () -> refresh(refreshToken));

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 409));
        assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
    }

    @Test
    void logoutDeletesTheSessionRowAndTheTokenIsRefusedAtOnce() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email());
        UUID session = sessionIdOf(login.text("accessToken"));
        assertThat(row(session)).isNotNull();

        Api.Response logout = api.post("/api/v1/auth/logout", login.text("accessToken"), null);

        assertThat(logout.status()).isEqualTo(204);
        assertThat(row(session)).isNull();
        assertThat(api.get("/api/v1/auth/sessions", login.text("accessToken")).status()).isEqualTo(401);
        assertThat(refresh(login.text("refreshToken")).status()).isEqualTo(401);
    }

    @Test
    void theSessionListComesFromPostgres() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String second = login(user.email()).text("accessToken");

        Api.Response list = api.get("/api/v1/auth/sessions", second);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("items").size()).isEqualTo(2);
        assertThat(sessionCountOf(user.id())).isEqualTo(2);
    }

    @Test
    void deactivationDeletesAllOfTheUsersSessions() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        login(user.email());
        assertThat(sessionCountOf(user.id())).isEqualTo(2);

        Api.Response patch = api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false));

        assertThat(patch.status()).isEqualTo(200);
        assertThat(sessionCountOf(user.id())).isZero();
        assertEventuallyRefused(user.token());
        assertThat(api.get("/api/v1/auth/sessions", clinic.adminToken).status())
                .as("the admin's session is untouched").isEqualTo(200);
    }

    @Test
    void platformAdminSessionsWorkWithoutAClinic() throws Exception {
        Api.Response login = api.post("/api/v1/auth/login", null,
                Map.of("email", PLATFORM_EMAIL, "password", PLATFORM_PASSWORD));
        UUID session = sessionIdOf(login.text("accessToken"));

        assertThat(row(session)).isNotNull();
        assertThat(row(session).clinicId()).isNull();
        Api.Response refreshed = refresh(login.text("refreshToken"));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(api.post("/api/v1/auth/logout", refreshed.text("accessToken"), null).status()).isEqualTo(204);
        assertThat(row(session)).isNull();
    }

    // --- helpers ---------------------------------------------------------------------------

    private record SessionRow(String userId, String clinicId, String role, byte[] refreshHash, String asText) {
    }

    private static SessionRow row(UUID session) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("select user_id, clinic_id, role, refresh_hash, "
                        + "s::text as whole from auth_sessions s where id = ?")) {
            s.setObject(1, session);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new SessionRow(rs.getString("user_id"), rs.getString("clinic_id"), rs.getString("role"),
                        rs.getBytes("refresh_hash"), rs.getString("whole"));
            }
        }
    }

    private static int sessionCountOf(String userId) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("select count(*) from auth_sessions where user_id = ?")) {
            s.setObject(1, UUID.fromString(userId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void theSessionLimitAndTheTwoNetworksRuleHoldWithoutRedisToo() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        for (int i = 0; i < 5; i++) {
            login(user.email());
        }
        assertThat(count("select count(*) from auth_sessions where user_id = '" + user.id() + "'")).isEqualTo(5);
        assertThat(api.get("/api/v1/auth/sessions", user.token()).status()).as("the oldest was evicted")
                .isEqualTo(401);

        String token = login(user.email()).text("accessToken");
        assertThat(io.healthcarebackend.support.Loopback.request("127.0.0.1", port, "GET", "/api/v1/auth/sessions",
                token, null, Map.of()).status()).isEqualTo(200);
        assertThat(io.healthcarebackend.support.Loopback.request("127.1.0.1", port, "GET", "/api/v1/auth/sessions",
                token, null, Map.of()).status()).as("used from another network at once").isEqualTo(401);
        assertThat(count("select count(*) from auth_sessions where id = '" + sessionIdOf(token) + "'")).isZero();
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Api.Response login(String email) {
        Api.Response response = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", PASSWORD));
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response;
    }

    private Api.Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken));
    }

    private void assertEventuallyRefused(String accessToken) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(3));
        int status = api.get("/api/v1/auth/sessions", accessToken).status();
        while (status != 401 && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            status = api.get("/api/v1/auth/sessions", accessToken).status();
        }
        assertThat(status).isEqualTo(401);
    }

    private static UUID sessionIdOf(String accessToken) throws java.text.ParseException {
        return UUID.fromString(SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid"));
    }

    private static boolean redisKeyExists(String key) {
        RedisClient client = RedisClient.create(TestDatabase.REDIS_URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().exists(key) > 0;
        } finally {
            client.shutdown();
        }
    }
}
