package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The hourly cleanup on the Redis store: sessions expire by themselves, so what is left behind is
 * the per-user index entry of an expired session; the cleanup removes it and keeps live ones.
 */
class SessionCleanupTest extends ApiTest {

    @Autowired
    SessionRevocation auth;

    @Test
    void theCleanupRemovesIndexEntriesOfExpiredSessionsAndKeepsLiveOnes() throws Exception {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String expired = sessionIdOf(login(user.email(), PASSWORD));
        String live = sessionIdOf(user.token());
        RedisClient client = RedisClient.create(TestDatabase.REDIS_URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String index = TestDatabase.REDIS_PREFIX + "user-sessions:" + user.id();
            redis.del(TestDatabase.REDIS_PREFIX + "session:" + expired); // as Redis does at the deadline
            assertThat(redis.smembers(index)).contains(expired, live);

            auth.purgeExpired();

            assertThat(redis.smembers(index)).contains(live).doesNotContain(expired);
        } finally {
            client.shutdown();
        }
        assertThat(api.get("/api/v1/auth/sessions", user.token()).status()).isEqualTo(200);
    }

    private static String sessionIdOf(String accessToken) throws java.text.ParseException {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
    }
}
