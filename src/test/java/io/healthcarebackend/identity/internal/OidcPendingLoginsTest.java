package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.config.RuntimeSettings;
import io.healthcarebackend.support.ApiTest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Both stores of started sign-ins, against the run's real Redis and PostgreSQL (as the service's
 * own database role): what is saved comes back once, also when many callbacks race for it.
 */
class OidcPendingLoginsTest extends ApiTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RuntimeSettings runtime;

    private List<OidcPendingLogins> stores() {
        return List.of(new PgOidcPendingLogins(jdbc), new RedisOidcPendingLogins(redis, runtime, Clock.systemUTC()));
    }

    @Test
    void aSavedSignInComesBackOnceWithEverythingItHeld() {
        for (OidcPendingLogins store : stores()) {
            byte[] state = OidcLogin.sha256(UUID.randomUUID().toString());
            OidcPendingLogin login = login(Instant.now().plusSeconds(600));

            store.save(state, login);

            assertThat(store.take(state)).as(store.getClass().getSimpleName()).contains(login);
            assertThat(store.take(state)).as(store.getClass().getSimpleName()).isEmpty();
        }
    }

    @Test
    void ofManyConcurrentCallbacksWithOneStateExactlyOneGetsIt() throws Exception {
        for (OidcPendingLogins store : stores()) {
            byte[] state = OidcLogin.sha256(UUID.randomUUID().toString());
            store.save(state, login(Instant.now().plusSeconds(600)));
            List<Callable<Optional<OidcPendingLogin>>> racers = IntStream.range(0, 16)
                    .<Callable<Optional<OidcPendingLogin>>>mapToObj(i -> () -> store.take(state)).toList();

            long winners;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                winners = 0;
                for (Future<Optional<OidcPendingLogin>> result : pool.invokeAll(racers)) {
                    winners += result.get().isPresent() ? 1 : 0;
                }
            }

            assertThat(winners).as(store.getClass().getSimpleName()).isEqualTo(1);
        }
    }

    @Test
    void thePostgresStorePurgesSignInsThatWereNeverFinished() {
        PgOidcPendingLogins store = new PgOidcPendingLogins(jdbc);
        byte[] stale = OidcLogin.sha256(UUID.randomUUID().toString());
        byte[] fresh = OidcLogin.sha256(UUID.randomUUID().toString());
        store.save(stale, login(Instant.now().minusSeconds(1)));
        store.save(fresh, login(Instant.now().plusSeconds(600)));

        assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(store.take(stale)).isEmpty();
        assertThat(store.take(fresh)).isPresent();
    }

    @Test
    void redisKeepsASignInOnlyUntilItExpiresAndStoresNoStateInClear() {
        RedisOidcPendingLogins store = new RedisOidcPendingLogins(redis, runtime, Clock.systemUTC());
        String state = UUID.randomUUID().toString();
        byte[] hash = OidcLogin.sha256(state);

        store.save(hash, login(Instant.now().plusSeconds(600)));

        String key = store.key(hash);
        assertThat(key).doesNotContain(state);
        assertThat(redis.getExpire(key)).isBetween(1L, 600L);
        assertThat(redis.opsForValue().get(key)).doesNotContain(state);
    }

    private static OidcPendingLogin login(Instant expiresAt) {
        return new OidcPendingLogin("google", "https://app.tests.invalid/signed-in", "n-" + UUID.randomUUID(),
                "v".repeat(43), expiresAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}
