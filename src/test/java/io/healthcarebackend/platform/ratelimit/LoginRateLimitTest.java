package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.AuditLog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-in limits (ratelimit-test.properties): 6 attempts per minute per address; 3 failures per
 * account per 10 seconds from addresses the account has not signed in from, the same again per
 * address it has; at most 5 failures per account per hour. Limits are windows: nothing to unlock.
 */
class LoginRateLimitTest extends RateLimitedApiTest {

    private static final String WRONG = "not-the-password-at-all";

    @Test
    void anAddressGetsSixAttemptsAMinuteWhateverTheAccounts() {
        String address = randomAddress();
        for (int i = 0; i < 6; i++) {
            assertThat(signIn(UUID.randomUUID() + "@tests.invalid", WRONG, address).status()).isEqualTo(401);
        }
        Api.Response refused = signIn(UUID.randomUUID() + "@tests.invalid", WRONG, address);
        assertLimited(refused);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("6");

        assertThat(signIn(UUID.randomUUID() + "@tests.invalid", WRONG, randomAddress()).status()).isEqualTo(401);
    }

    @Test
    void theLoginRouteCannotBeDodgedByEncodingItsPath() {
        String address = randomAddress();
        for (int i = 0; i < 6; i++) {
            signIn(UUID.randomUUID() + "@tests.invalid", WRONG, address);
        }
        Api.Response encoded = api.post("/api/v1/auth/%6Cogin", null,
                Map.of("email", UUID.randomUUID() + "@tests.invalid", "password", WRONG), from(address));
        assertLimited(encoded);
    }

    @Test
    void anAccountIsRefusedAfterThreeFailuresFromAnywhereAndTheRefusalIsAudited() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        for (int i = 0; i < 3; i++) {
            assertThat(signIn(user.email(), WRONG, randomAddress()).status()).isEqualTo(401);
        }
        AuditLog.Trace trace = AuditLog.Trace.next();
        Map<String, String> headers = new HashMap<>(trace.headers());
        headers.putAll(from(randomAddress()));
        Api.Response refused = api.post("/api/v1/auth/login", null, Map.of("email", user.email(), "password",
                PASSWORD), headers);
        assertLimited(refused);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo("3");

        List<Map<String, String>> events = AuditLog.eventsOf(trace);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("action")).isEqualTo("LOGIN_FAILED");
            assertThat(e.get("outcome")).isEqualTo("DENIED");
            assertThat(e.get("resource_id")).isEqualTo(user.id());
            assertThat(e.get("reason")).isEqualTo("too many failed attempts");
        });
    }

    @Test
    void unknownAccountsAreThrottledAlikeSoA429TellsNothingAboutWhichAccountsExist() {
        String nobody = "nobody-" + UUID.randomUUID() + "@tests.invalid";
        for (int i = 0; i < 3; i++) {
            assertThat(signIn(nobody, WRONG, randomAddress()).status()).isEqualTo(401);
        }
        assertLimited(signIn(nobody, WRONG, randomAddress()));
    }

    @Test
    void theFailedLoginLimitExpiresByItself() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        for (int i = 0; i < 3; i++) {
            signIn(user.email(), WRONG, randomAddress());
        }
        Api.Response refused = signIn(user.email(), PASSWORD, randomAddress());
        assertLimited(refused);

        sleep(retryAfterMillis(refused));
        assertThat(signIn(user.email(), PASSWORD, randomAddress()).status()).isEqualTo(200);
    }

    @Test
    void successfulSignInsDoNotCountAsFailures() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");
        String address = randomAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(signIn(user.email(), PASSWORD, address).status()).isEqualTo(200);
        }
    }

    @Test
    void anAttackerElsewhereCannotLockTheUserOutOfAnAddressTheyHaveSignedInFrom() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String home = randomAddress();
        assertThat(signIn(user.email(), PASSWORD, home).status()).isEqualTo(200);

        String attacker = randomAddress();
        for (int i = 0; i < 3; i++) {
            assertThat(signIn(user.email(), WRONG, attacker).status()).isEqualTo(401);
        }
        assertLimited(signIn(user.email(), WRONG, attacker));
        assertLimited(signIn(user.email(), PASSWORD, randomAddress()));

        assertThat(signIn(user.email(), PASSWORD, home).status()).isEqualTo(200);
        // The user's own typos at home count on home's budget, not the attacker-exhausted one.
        assertThat(signIn(user.email(), WRONG, home).status()).isEqualTo(401);
    }

    @Test
    void theHourlyCapBoundsFailuresFromEveryAddressTogether() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        String home = randomAddress();
        assertThat(signIn(user.email(), PASSWORD, home).status()).isEqualTo(200);

        for (int i = 0; i < 3; i++) {
            assertThat(signIn(user.email(), WRONG, randomAddress()).status()).isEqualTo(401);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(signIn(user.email(), WRONG, home).status()).isEqualTo(401);
        }
        // Home's own budget (3) has room, but 5 failures this hour is the cap.
        Api.Response capped = signIn(user.email(), WRONG, home);
        assertLimited(capped);
        assertThat(capped.header("RateLimit-Limit")).isEqualTo("5");
    }
}
