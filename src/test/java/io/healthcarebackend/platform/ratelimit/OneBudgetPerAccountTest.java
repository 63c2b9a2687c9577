package io.healthcarebackend.platform.ratelimit;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jwt.SignedJWT;
import io.healthcarebackend.support.Api;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue #13, item 5: one failed-sign-in budget per account, whatever the spelling of its address,
 * and whatever checks the password. Addresses are normalised once ({@code platform.EmailAddress}:
 * NFKC and a case fold) at sign-up, sign-in, throttling and lookup, so a full-width, Kelvin-sign,
 * dotless-i or dotted-İ spelling finds the same account and spends the same budget — and a wrong
 * current password at {@code POST /api/v1/auth/password} spends it too.
 *
 * <p>The budget is shown spent through the hourly cap (5 failures, ratelimit-test.properties):
 * unlike the 10-second per-account window it cannot lapse while a slow machine runs the test.
 */
class OneBudgetPerAccountTest extends RateLimitedApiTest {

    private static final String WRONG = "not-the-password-at-all";

    /** Spellings of {@code kib-<id>@tests.invalid}. */
    private static List<String> spellings(String id) {
        return List.of(
                "kib-" + id + "@tests.invalid",
                "\u212Aib-" + id + "@tests.invalid",                 // Kelvin sign
                "\uFF2B\uFF29\uFF22-" + id + "@tests.invalid",        // full-width KIB
                "k\u0131b-" + id + "@tests.invalid",                 // dotless ı
                "K\u0130B-" + id.toUpperCase() + "@TESTS.INVALID",   // dotted İ, upper case
                "  KIB-" + id + "@Tests.Invalid\u00A0",               // white space, no-break space
                "k\uFF49b-" + id + "@tests.invalid");                 // full-width small i
    }

    @Test
    void everySpellingSignsInToTheOneAccount() throws Exception {
        Clinic clinic = newClinic();
        String id = UUID.randomUUID().toString();
        String userId = create(clinic, spellings(id).getFirst()).text("id");

        for (String spelling : spellings(id)) {
            Api.Response signedIn = signIn(spelling, PASSWORD, randomAddress());
            assertThat(signedIn.status()).as("%s: %s", spelling, signedIn).isEqualTo(200);
            assertThat(subject(signedIn)).as(spelling).isEqualTo(userId);
        }
    }

    @Test
    void failuresInOneSpellingSpendTheBudgetOfEverySpelling() {
        Clinic clinic = newClinic();
        String id = UUID.randomUUID().toString();
        create(clinic, "kib-" + id + "@tests.invalid");
        List<String> spellings = spellings(id);

        spendTheHourlyCap(i -> signIn(spellings.get(i % spellings.size()), WRONG, randomAddress()), 401);

        for (String spelling : spellings) {
            assertLimited(signIn(spelling, PASSWORD, randomAddress()));
        }
    }

    @Test
    void wrongCurrentPasswordsAtPasswordChangeSpendTheSignInBudget() {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        Map<String, String> body = Map.of("currentPassword", WRONG, "newPassword", "a brand new passphrase here");

        spendTheHourlyCap(i -> api.post("/api/v1/auth/password", user.token(), body, from(randomAddress())), 403);

        assertLimited(signIn(user.email(), PASSWORD, randomAddress()));
        assertLimited(api.post("/api/v1/auth/password", user.token(),
                Map.of("currentPassword", PASSWORD, "newPassword", "a brand new passphrase here"),
                from(randomAddress())));
        assertThat(signIn(user.email().toUpperCase(), PASSWORD, randomAddress()).status()).isEqualTo(429);
    }

    @Test
    void wrongPasswordsAtMfaEnrollmentSpendTheSignInBudget() {
        Clinic clinic = newClinic();
        User user = clinic.user("PRACTITIONER");

        spendTheHourlyCap(i -> api.post("/api/v1/auth/mfa/enrollment", user.token(), Map.of("password", WRONG),
                from(randomAddress())), 403);

        assertLimited(signIn(user.email(), PASSWORD, randomAddress()));
    }

    @Test
    void signingUpWithAnotherSpellingOfATakenAddressIsEmailTaken() {
        Clinic clinic = newClinic();
        String id = UUID.randomUUID().toString();
        List<String> spellings = spellings(id);
        assertThat(create(clinic, spellings.getFirst()).status()).isEqualTo(201);
        // Surrounding white space is refused by the address syntax check (400) before any lookup.
        List<String> wellFormed = spellings.subList(1, spellings.size()).stream()
                .filter(s -> s.codePoints().noneMatch(Character::isSpaceChar)).toList();

        assertThat(wellFormed).hasSize(spellings.size() - 2);
        for (String spelling : wellFormed) {
            assertProblem(create(clinic, spelling), 409, "EMAIL_TAKEN");
        }
    }

    @Test
    void theStoredAndShownAddressIsTheNormalForm() {
        Clinic clinic = newClinic();
        String id = UUID.randomUUID().toString();

        Api.Response created = create(clinic, "\uFF2B\u0130B-" + id.toUpperCase() + "@Tests.Invalid");

        assertThat(created.text("email")).isEqualTo("kib-" + id + "@tests.invalid");
    }

    @Test
    void addressesThatDifferInMoreThanSpellingAreDifferentAccounts() throws Exception {
        Clinic clinic = newClinic();
        String id = UUID.randomUUID().toString();
        String plain = create(clinic, "jose-" + id + "@tests.invalid").text("id");
        String accented = create(clinic, "jos\u00E9-" + id + "@tests.invalid").text("id");

        assertThat(accented).isNotEqualTo(plain);
        assertThat(subject(signIn("JOSE-" + id + "@tests.invalid", PASSWORD, randomAddress()))).isEqualTo(plain);
        // É precomposed, and E followed by a combining acute accent: one letter, two encodings.
        assertThat(subject(signIn("JOS\u00C9-" + id + "@tests.invalid", PASSWORD, randomAddress())))
                .isEqualTo(accented);
        assertThat(subject(signIn("JOSE\u0301-" + id + "@tests.invalid", PASSWORD, randomAddress())))
                .isEqualTo(accented);
    }

    /**
     * Fails attempts (answered {@code failureStatus}) until the account's hourly cap refuses one;
     * a refusal by the short per-account window is waited out. With one budget per account that
     * takes five failures; with a budget per spelling the cap is never reached.
     */
    private void spendTheHourlyCap(Function<Integer, Api.Response> attempt, int failureStatus) {
        for (int i = 0; i < 30; i++) {
            Api.Response answer = attempt.apply(i);
            if (answer.status() == 429) {
                if ("5".equals(answer.header("RateLimit-Limit"))) {
                    return;
                }
                sleep(retryAfterMillis(answer));
            } else {
                assertThat(answer.status()).as("%s", answer).isEqualTo(failureStatus);
            }
        }
        fail("the account's hourly cap was never reached: its failures do not share one budget");
    }

    private Api.Response create(Clinic clinic, String email) {
        return api.post("/api/v1/clinics/" + clinic.id + "/users", clinic.adminToken,
                Map.of("email", email, "name", "Spelled", "role", "RECEPTIONIST", "password", PASSWORD));
    }

    private static String subject(Api.Response signedIn) throws Exception {
        assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
        return SignedJWT.parse(signedIn.text("accessToken")).getJWTClaimsSet().getSubject();
    }
}
