package io.healthcarebackend.identity;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #13, item 8: refresh tokens under races and forgeries, with sessions in Redis (the
 * subclass {@link PostgresRefreshRaceTest} runs the same tests against the PostgreSQL store).
 * Two refreshes with one token (two tabs, a retry) rotate once; the loser gets 409
 * {@code REFRESH_IN_PROGRESS} and the session lives on. A token the session retired earlier is a
 * reuse and ends it. A token naming someone's session that the session never issued is refused
 * with 401, leaves the session exactly as it was, and is recorded without an actor.
 */
class RefreshRaceTest extends ApiTest {

    private static final int ROUNDS = 8;

    @Test
    void twoConcurrentRefreshesWithOneTokenRotateOnceAndTheSessionLivesOn() throws Exception {
        User user = newClinic().user("RECEPTIONIST");
        for (int round = 0; round < ROUNDS; round++) {
            Api.Response login = signIn(user);
            String refreshToken = login.text("refreshToken");

            List<Api.Response> answers = AuthApiTest.concurrently(2, () -> refresh(refreshToken));

            List<Api.Response> winners = answers.stream().filter(a -> a.status() == 200).toList();
            assertThat(winners).as("round %s: %s", round, answers).hasSize(1);
            answers.stream().filter(a -> a.status() != 200)
                    .forEach(loser -> assertProblem(loser, 409, "REFRESH_IN_PROGRESS"));
            String session = sessionIdOf(login.text("accessToken"));
            assertThat(sessionStored(session)).as("round %s: the session was not ended", round).isTrue();
            Api.Response next = refresh(winners.getFirst().text("refreshToken"));
            assertThat(next.status()).as("round %s: the winner's token is current: %s", round, next).isEqualTo(200);
            assertThat(api.get("/api/v1/auth/sessions", next.text("accessToken")).status()).isEqualTo(200);
            assertThat(AuditLog.eventsAbout(session)).noneSatisfy(e -> assertThat(e.get("action"))
                    .isEqualTo("REFRESH_TOKEN_REUSE"));
        }
    }

    @Test
    void manyConcurrentRefreshesWithOneTokenRotateOnce() throws Exception {
        User user = newClinic().user("RECEPTIONIST");
        String refreshToken = signIn(user).text("refreshToken");

        List<Api.Response> answers = AuthApiTest.concurrently(6, () -> refresh(refreshToken));

        assertThat(answers).filteredOn(a -> a.status() == 200).as("%s", answers).hasSize(1);
        answers.stream().filter(a -> a.status() != 200)
                .forEach(loser -> assertProblem(loser, 409, "REFRESH_IN_PROGRESS"));
        String winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow().text("refreshToken");
        assertThat(refresh(winner).status()).isEqualTo(200);
    }

    @Test
    void aRetryOfTheTokenJustRotatedIsInProgressNotAReuse() {
        User user = newClinic().user("PRACTITIONER");
        Api.Response login = signIn(user);
        Api.Response refreshed = refresh(login.text("refreshToken"));
        assertThat(refreshed.status()).isEqualTo(200);

        assertProblem(refresh(login.text("refreshToken")), 409, "REFRESH_IN_PROGRESS");
        assertProblem(refresh(login.text("refreshToken")), 409, "REFRESH_IN_PROGRESS");

        assertThat(refresh(refreshed.text("refreshToken")).status()).as("the session is untouched").isEqualTo(200);
    }

    @Test
    void anEarlierRetiredTokenIsAReuseAndEndsTheSession() {
        User user = newClinic().user("PRACTITIONER");
        Api.Response login = signIn(user);
        Api.Response second = refresh(login.text("refreshToken"));
        Api.Response third = refresh(second.text("refreshToken"));
        assertThat(third.status()).isEqualTo(200);

        assertProblem(refresh(login.text("refreshToken")), 401, "REFRESH_TOKEN_REUSED");

        assertProblem(refresh(third.text("refreshToken")), 401, "INVALID_REFRESH_TOKEN");
        assertThat(sessionStored(sessionIdOf(login.text("accessToken")))).isFalse();
    }

    @Test
    void theTokenJustRotatedBecomesAReuseOnceTheGraceWindowHasPassed() {
        User user = newClinic().user("PRACTITIONER");
        Api.Response login = signIn(user);
        Api.Response refreshed = refresh(login.text("refreshToken"));
        assertThat(refreshed.status()).isEqualTo(200);

        Api.Response late = refresh(login.text("refreshToken"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (late.status() == 409 && Instant.now().isBefore(deadline)) {
            pause();
            late = refresh(login.text("refreshToken"));
        }

        assertProblem(late, 401, "REFRESH_TOKEN_REUSED");
        assertProblem(refresh(refreshed.text("refreshToken")), 401, "INVALID_REFRESH_TOKEN");
    }

    @Test
    void aForgedTokenForSomeoneElsesSessionIsRefusedLeavesItUntouchedAndIsRecordedWithoutActor()
            throws Exception {
        User victim = newClinic().user("CLINIC_ADMIN");
        Api.Response login = signIn(victim);
        String session = sessionIdOf(login.text("accessToken"));
        String before = storedHash(session);

        for (int i = 0; i < 3; i++) {
            AuditLog.Trace trace = AuditLog.Trace.next();
            Api.Response forged = api.post("/api/v1/auth/refresh", null,
                    Map.of("refreshToken", forgedFor(login.text("refreshToken"))), trace.headers());

            assertProblem(forged, 401, "INVALID_REFRESH_TOKEN");
            assertThat(AuditLog.eventsOf(trace)).singleElement().satisfies(e -> {
                assertThat(e.get("action")).isEqualTo("ACCESS_DENIED");
                assertThat(e.get("outcome")).isEqualTo("DENIED");
                assertThat(e.get("resource_type")).isEqualTo("Session");
                assertThat(e.get("resource_id")).isEqualTo(session);
                assertThat(e.get("actor_id")).as("not attributed to the session's owner").isNull();
                assertThat(e.get("actor_role")).isNull();
            });
        }

        assertThat(storedHash(session)).as("not rotated").isEqualTo(before);
        assertThat(api.get("/api/v1/auth/sessions", login.text("accessToken")).status()).isEqualTo(200);
        Api.Response own = refresh(login.text("refreshToken"));
        assertThat(own.status()).as("the owner's token is still the current one: %s", own).isEqualTo(200);
        assertThat(AuditLog.eventsAbout(session)).noneSatisfy(e -> assertThat(e.get("action"))
                .isIn("REFRESH_TOKEN_REUSE", "SESSION_REVOKED"));
    }

    // --- the store under test -----------------------------------------------------------------

    /** Whether the session is in the store. */
    boolean sessionStored(String session) {
        return !redisHash(TestDatabase.REDIS_PREFIX + "session:" + session).isEmpty();
    }

    /** The stored hash of the session's current refresh token. */
    String storedHash(String session) throws Exception {
        return redisHash(TestDatabase.REDIS_PREFIX + "session:" + session).get("refresh");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Api.Response signIn(User user) {
        Api.Response response = api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password", PASSWORD));
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response;
    }

    private Api.Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken));
    }

    /** The clinic and session ids of a real token, with a random secret of the right length. */
    private static String forgedFor(String refreshToken) {
        byte[] token = Base64.getUrlDecoder().decode(refreshToken);
        byte[] forged = Arrays.copyOf(token, token.length);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        System.arraycopy(secret, 0, forged, token.length - 32, 32);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(forged);
    }

    static String sessionIdOf(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
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

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
