package io.healthcarebackend.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Login, refresh rotation, logout and session management over HTTP, with sessions in Redis (the
 * test configuration sets {@code app.redis.url}). Every test builds its own clinic and users.
 */
class AuthApiTest extends ApiTest {

    /** Longer than the one-second per-instance session cache, with room for a slow machine. */
    private static final Duration REVOCATION_DEADLINE = Duration.ofSeconds(3);

    @Test
    void loginReturnsABearerTokenPairAndItsLifetime() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");

        Api.Response login = login(user.email());

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("accessToken")).isNotBlank();
        assertThat(login.text("refreshToken")).isNotBlank().isNotEqualTo(login.text("accessToken"));
        assertThat(login.text("tokenType")).isEqualTo("Bearer");
        assertThat(login.body().path("expiresIn").isIntegralNumber()).isTrue();
        assertThat(login.body().path("expiresIn").asLong()).isPositive();
        assertThat(login.header("Cache-Control")).contains("no-store");
        JWTClaimsSet claims = SignedJWT.parse(login.text("accessToken")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(user.id());
        assertThat(claims.getStringClaim("clinic")).isEqualTo(clinic.id);
        assertThat(claims.getStringClaim("role")).isEqualTo("RECEPTIONIST");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofSeconds(login.body().path("expiresIn").asLong()));
        assertThat(api.get("/api/v1/auth/sessions", login.text("accessToken")).status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");

        Api.Response wrongPassword = api.post("/api/v1/auth/login", null,
                Map.of("email", user.email(), "password", "not-the-right-password"));
        Api.Response unknownEmail = api.post("/api/v1/auth/login", null,
                Map.of("email", "nobody-" + UUID.randomUUID() + "@tests.invalid", "password", PASSWORD));

        assertProblem(wrongPassword, 401, "INVALID_CREDENTIALS");
        assertProblem(unknownEmail, 401, "INVALID_CREDENTIALS");
        assertThat(unknownEmail.text("detail")).isEqualTo(wrongPassword.text("detail"));
        assertThat(unknownEmail.text("title")).isEqualTo(wrongPassword.text("title"));
        assertThat(unknownEmail.body().propertyNames()).isEqualTo(wrongPassword.body().propertyNames());
    }

    @Test
    void theEmailIsMatchedWithoutRegardToCase() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");

        assertThat(login(user.email().toUpperCase()).status()).isEqualTo(200);
    }

    @Test
    void aDeactivatedUserCannotLogIn() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        assertThat(api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false)).status())
                .isEqualTo(200);

        Api.Response login = login(user.email());

        assertProblem(login, 401, "INVALID_CREDENTIALS");
    }

    @Test
    void theAccessTokenIsSignedByAKeyPublishedInTheJwks() throws Exception {
        String token = platformToken();
        JWSHeader header = SignedJWT.parse(token).getHeader();

        Api.Response jwks = api.get("/.well-known/jwks.json", null);

        assertThat(jwks.status()).isEqualTo(200);
        assertThat(header.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(header.getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(header.getKeyID()).isNotBlank();
        List<String> kids = new ArrayList<>();
        for (JsonNode key : jwks.body().path("keys")) {
            kids.add(key.path("kid").asString());
            assertThat(key.path("kty").asString()).isEqualTo("EC");
            assertThat(key.has("d")).as("private part of key %s", key).isFalse();
            assertThat(key.has("x") && key.has("y")).isTrue();
        }
        assertThat(kids).contains(header.getKeyID());
    }

    @Test
    void refreshingGivesANewPairAndRetiresTheOldRefreshToken() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email());

        Api.Response refreshed = refresh(login.text("refreshToken"));

        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        assertThat(refreshed.text("tokenType")).isEqualTo("Bearer");
        assertThat(refreshed.text("accessToken")).isNotBlank().isNotEqualTo(login.text("accessToken"));
        assertThat(refreshed.text("refreshToken")).isNotBlank().isNotEqualTo(login.text("refreshToken"));
        assertThat(sessionIdOf(refreshed.text("accessToken"))).isEqualTo(sessionIdOf(login.text("accessToken")));
        assertThat(api.get("/api/v1/auth/sessions", refreshed.text("accessToken")).status()).isEqualTo(200);
    }

    @Test
    void reusingARetiredRefreshTokenEndsTheWholeSession() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email());
        // Not the token just rotated away: a duplicate of that one is a race (RefreshRaceTest).
        Api.Response rotated = refresh(login.text("refreshToken"));
        Api.Response refreshed = refresh(rotated.text("refreshToken"));
        assertThat(refreshed.status()).isEqualTo(200);

        Api.Response reuse = refresh(login.text("refreshToken"));

        assertProblem(reuse, 401, "REFRESH_TOKEN_REUSED");
        assertProblem(refresh(refreshed.text("refreshToken")), 401, "INVALID_REFRESH_TOKEN");
        assertEventuallyRefused(refreshed.text("accessToken"));
        assertEventuallyRefused(login.text("accessToken"));
    }

    @Test
    void concurrentRefreshesWithOneTokenYieldAtMostOneNewPair() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String refreshToken = login(user.email()).text("refreshToken");

        List<Api.Response> answers = concurrently(6, () -> refresh(refreshToken));

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 409));
        assertThat(answers).filteredOn(a -> a.status() == 200).hasSize(1);
    }

    @Test
    void aReuseDoesNotEndTheUsersOtherSessions() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response stolen = login(user.email());
        Api.Response rotated = refresh(stolen.text("refreshToken"));
        assertThat(refresh(rotated.text("refreshToken")).status()).isEqualTo(200);

        assertProblem(refresh(stolen.text("refreshToken")), 401, "REFRESH_TOKEN_REUSED");

        assertThat(api.get("/api/v1/auth/sessions", user.token()).status()).isEqualTo(200);
    }

    @Test
    void aRefreshTokenThatWasNeverIssuedIsRefused() {
        byte[] forged = new byte[64];
        new java.security.SecureRandom().nextBytes(forged);

        assertProblem(refresh(Base64.getUrlEncoder().withoutPadding().encodeToString(forged)), 401,
                "INVALID_REFRESH_TOKEN");
        assertProblem(refresh("not a refresh token"), 401, "INVALID_REFRESH_TOKEN");
    }

    @Test
    void logoutEndsTheSessionAtOnce() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Api.Response login = login(user.email());
        assertThat(api.get("/api/v1/auth/sessions", login.text("accessToken")).status()).isEqualTo(200);

        Api.Response logout = api.post("/api/v1/auth/logout", login.text("accessToken"), null);

        assertThat(logout.status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/auth/sessions", login.text("accessToken")), 401, "UNAUTHORIZED");
        assertProblem(refresh(login.text("refreshToken")), 401, "INVALID_REFRESH_TOKEN");
        assertThat(api.get("/api/v1/auth/sessions", user.token()).status())
                .as("the user's other session").isEqualTo(200);
    }

    @Test
    void logoutNeedsAnAccessToken() {
        assertProblem(api.post("/api/v1/auth/logout", null, null), 401, "UNAUTHORIZED");
    }

    @Test
    void theSessionListShowsOnlyTheCallersOwnSessionsAndMarksTheCurrentOne() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String second = login(user.email()).text("accessToken");

        Api.Response list = api.get("/api/v1/auth/sessions", second);

        assertThat(list.status()).isEqualTo(200);
        JsonNode items = list.body().path("items");
        assertThat(items.size()).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (JsonNode session : items) {
            ids.add(session.path("id").asString());
            if (session.path("current").asBoolean()) {
                current.add(session.path("id").asString());
            }
            assertThat(Instant.parse(session.path("createdAt").asString())).isBefore(Instant.now().plusSeconds(5));
            assertThat(Instant.parse(session.path("lastSeenAt").asString())).isNotNull();
            assertThat(session.path("ip").asString()).isEqualTo("127.0.0.1");
            assertThat(session.path("userAgent").asString()).isNotBlank();
        }
        assertThat(ids).containsExactlyInAnyOrder(sessionIdOf(user.token()), sessionIdOf(second));
        assertThat(current).containsExactly(sessionIdOf(second));
        assertThat(ids).doesNotContain(sessionIdOf(clinic.adminToken));
    }

    @Test
    void aUserCanEndAnotherOfTheirOwnSessions() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String other = login(user.email()).text("accessToken");

        Api.Response delete = api.delete("/api/v1/auth/sessions/" + sessionIdOf(user.token()), other);

        assertThat(delete.status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/auth/sessions", user.token()), 401, "UNAUTHORIZED");
        Api.Response remaining = api.get("/api/v1/auth/sessions", other);
        assertThat(remaining.status()).isEqualTo(200);
        assertThat(remaining.body().path("items").size()).isEqualTo(1);
    }

    @Test
    void aUserCannotEndAnotherUsersSession() {
        Clinic clinic = newClinic();
        User attacker = clinic.user("RECEPTIONIST");
        User victim = clinic.user("PRACTITIONER");

        Api.Response delete = api.delete("/api/v1/auth/sessions/" + sessionIdOf(victim.token()), attacker.token());

        assertProblem(delete, 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/auth/sessions", victim.token()).status()).isEqualTo(200);
    }

    @Test
    void endingASessionThatDoesNotExistIsNotFound() {
        Clinic clinic = newClinic();

        assertProblem(api.delete("/api/v1/auth/sessions/" + UUID.randomUUID(), clinic.adminToken), 404,
                "NOT_FOUND");
    }

    @Test
    void aClinicAdminCanEndASessionOfAUserOfTheirClinic() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");

        Api.Response delete = api.delete("/api/v1/auth/sessions/" + sessionIdOf(user.token()), clinic.adminToken);

        assertThat(delete.status()).isEqualTo(204);
        assertProblem(api.get("/api/v1/auth/sessions", user.token()), 401, "UNAUTHORIZED");
    }

    @Test
    void aClinicAdminCannotEndASessionOfAnotherClinicsUser() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();

        Api.Response delete = api.delete("/api/v1/auth/sessions/" + sessionIdOf(other.adminToken),
                clinic.adminToken);

        assertProblem(delete, 404, "NOT_FOUND");
        assertThat(api.get("/api/v1/auth/sessions", other.adminToken).status()).isEqualTo(200);
    }

    @Test
    void deactivatingAUserEndsTheirSessionsAndBlocksLogin() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        Api.Response second = login(user.email());

        Api.Response patch = api.patch("/api/v1/users/" + user.id(), clinic.adminToken, Map.of("active", false));

        assertThat(patch.status()).as("%s", patch).isEqualTo(200);
        assertThat(patch.body().path("active").asBoolean()).isFalse();
        assertEventuallyRefused(user.token());
        assertEventuallyRefused(second.text("accessToken"));
        assertThat(refresh(second.text("refreshToken")).status()).isEqualTo(401);
        assertProblem(login(user.email()), 401, "INVALID_CREDENTIALS");
    }

    @Test
    void changingAUsersRoleEndsTheirSessions() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");

        Api.Response patch = api.patch("/api/v1/users/" + user.id(), clinic.adminToken,
                Map.of("role", "PRACTITIONER"));

        assertThat(patch.status()).as("%s", patch).isEqualTo(200);
        assertThat(patch.text("role")).isEqualTo("PRACTITIONER");
        assertEventuallyRefused(user.token());
        Api.Response again = login(user.email());
        assertThat(again.status()).isEqualTo(200);
        assertThat(SignedJWT.parse(again.text("accessToken")).getJWTClaimsSet().getStringClaim("role"))
                .isEqualTo("PRACTITIONER");
    }

    @Test
    void theRedisSessionKeepsOnlyAHashOfTheRefreshToken() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Api.Response login = login(user.email());
        String key = TestDatabase.REDIS_PREFIX + "session:" + sessionIdOf(login.text("accessToken"));

        Map<String, String> session = redisHash(key);

        assertThat(session).containsEntry("user", user.id()).containsEntry("clinic", clinic.id);
        String stored = session.get("refresh");
        assertThat(stored).isNotBlank();
        byte[] secret = secretOf(login.text("refreshToken"));
        assertThat(stored).isNotEqualTo(HexFormat.of().formatHex(secret))
                .doesNotContain(HexFormat.of().formatHex(secret, 0, 8));
        assertThat(session.values()).noneMatch(v -> v.contains(login.text("refreshToken")));

        api.post("/api/v1/auth/logout", login.text("accessToken"), null);
        assertThat(redisHash(key)).isEmpty();
    }

    @Test
    void aGarbageTokenIsRefused() {
        assertProblem(api.get("/api/v1/auth/sessions", "garbage"), 401, "UNAUTHORIZED");
        assertProblem(api.get("/api/v1/auth/sessions", "a.b.c"), 401, "UNAUTHORIZED");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        String genuine = platformToken();
        String kid = SignedJWT.parse(genuine).getHeader().getKeyID();
        ECKey foreign = new ECKeyGenerator(Curve.P_256).generate();

        String sameKid = sign(claimsOf(genuine, c -> c), foreign, kid, "at+jwt");
        String otherKid = sign(claimsOf(genuine, c -> c), foreign, "attacker-key", "at+jwt");

        assertProblem(api.get("/api/v1/auth/sessions", sameKid), 401, "UNAUTHORIZED");
        assertProblem(api.get("/api/v1/auth/sessions", otherKid), 401, "UNAUTHORIZED");
    }

    @Test
    void aTokenMacedWithThePublicKeyIsRefused() throws Exception {
        String genuine = platformToken();
        ECKey published = serviceKey().toPublicJWK();
        byte[] secret = published.toJSONString().getBytes(StandardCharsets.UTF_8);
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("at+jwt")).keyID(published.getKeyID()).build(),
                claimsOf(genuine, c -> c));
        confused.sign(new MACSigner(secret));

        assertProblem(api.get("/api/v1/auth/sessions", confused.serialize()), 401, "UNAUTHORIZED");
    }

    @Test
    void anExpiredTokenIsRefusedWhileTheSameTokenUnexpiredIsAccepted() throws Exception {
        String genuine = platformToken();
        ECKey key = serviceKey();
        Instant now = Instant.now();

        String fresh = sign(claimsOf(genuine, c -> c.issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)))), key, key.getKeyID(), "at+jwt");
        String expired = sign(claimsOf(genuine, c -> c.issueTime(Date.from(now.minusSeconds(1200)))
                .expirationTime(Date.from(now.minusSeconds(600)))), key, key.getKeyID(), "at+jwt");

        assertThat(api.get("/api/v1/auth/sessions", fresh).status()).as("control: same claims, not expired")
                .isEqualTo(200);
        assertProblem(api.get("/api/v1/auth/sessions", expired), 401, "UNAUTHORIZED");
    }

    @Test
    void aTokenOfAnotherTypeOrIssuerIsRefused() throws Exception {
        String genuine = platformToken();
        ECKey key = serviceKey();

        String plainJwtType = sign(claimsOf(genuine, c -> c), key, key.getKeyID(), "JWT");
        String otherIssuer = sign(claimsOf(genuine, c -> c.issuer("https://attacker.invalid")), key,
                key.getKeyID(), "at+jwt");
        String noSession = sign(claimsOf(genuine, c -> c.claim("sid", null)), key, key.getKeyID(), "at+jwt");

        assertProblem(api.get("/api/v1/auth/sessions", plainJwtType), 401, "UNAUTHORIZED");
        assertProblem(api.get("/api/v1/auth/sessions", otherIssuer), 401, "UNAUTHORIZED");
        assertProblem(api.get("/api/v1/auth/sessions", noSession), 401, "UNAUTHORIZED");
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        String genuine = platformToken();
        PlainJWT unsigned = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(),
                claimsOf(genuine, c -> c));

        assertProblem(api.get("/api/v1/auth/sessions", unsigned.serialize()), 401, "UNAUTHORIZED");
    }

    @Test
    void aTokenForAClinicAdminCannotBeForgedByEditingTheRoleClaim() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        SignedJWT original = SignedJWT.parse(user.token());
        String[] parts = user.token().split("\\.");
        JWTClaimsSet elevated = new JWTClaimsSet.Builder(original.getJWTClaimsSet())
                .claim("role", "CLINIC_ADMIN").build();
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(elevated.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertProblem(api.get("/api/v1/users", tampered), 401, "UNAUTHORIZED");
        assertThat(api.get("/api/v1/users", user.token()).status()).isEqualTo(403);
    }

    // --- helpers ---------------------------------------------------------------------------

    private Api.Response login(String email) {
        return api.post("/api/v1/auth/login", null, Map.of("email", email, "password", PASSWORD));
    }

    private Api.Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken));
    }

    /** The session is revoked; other instances may honour it for up to a second, so poll. */
    private void assertEventuallyRefused(String accessToken) {
        Instant deadline = Instant.now().plus(REVOCATION_DEADLINE);
        Api.Response response = api.get("/api/v1/auth/sessions", accessToken);
        while (response.status() != 401 && Instant.now().isBefore(deadline)) {
            sleep(100);
            response = api.get("/api/v1/auth/sessions", accessToken);
        }
        assertProblem(response, 401, "UNAUTHORIZED");
    }

    static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().path("status").asInt()).isEqualTo(status);
        assertThat(response.text("title")).isNotBlank();
        assertThat(response.text("code")).isEqualTo(code);
        assertThat(response.text("traceId")).isNotBlank().isEqualTo(response.header("X-Trace-Id"));
    }

    private static String sessionIdOf(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The random part of a refresh token (after the clinic and session ids). */
    private static byte[] secretOf(String refreshToken) {
        byte[] raw = Base64.getUrlDecoder().decode(refreshToken);
        return java.util.Arrays.copyOfRange(raw, raw.length - 32, raw.length);
    }

    /** The service's own signing key, from the development key file the test run points it at. */
    private static ECKey serviceKey() throws Exception {
        return ECKey.parse(Files.readString(Path.of(System.getProperty("app.jwt.dev-key-file"))));
    }

    private static JWTClaimsSet claimsOf(String token, UnaryOperator<JWTClaimsSet.Builder> change)
            throws java.text.ParseException {
        return change.apply(new JWTClaimsSet.Builder(SignedJWT.parse(token).getJWTClaimsSet())).build();
    }

    private static String sign(JWTClaimsSet claims, ECKey key, String kid, String type) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(type))
                .keyID(kid).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** Runs the call on several threads released at the same instant and collects the answers. */
    static List<Api.Response> concurrently(int threads, java.util.concurrent.Callable<Api.Response> call)
            throws Exception {
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Api.Response> answers = new ArrayList<>();
            for (var future : futures) {
                answers.add(future.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return answers;
        }
    }

    private static Map<String, String> redisHash(String key) {
        RedisClient client = RedisClient.create(TestDatabase.REDIS_URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().hgetall(key);
        } finally {
            client.shutdown();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
