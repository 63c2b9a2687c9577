package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.EmailAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * A sign-in's cost must not depend on how many accounts hold the address (the number would tell an
 * administrator that another clinic holds an address they gave their own account): the slow
 * part runs once per sign-in whatever the number of holders, and while old-style verifiers remain,
 * exactly one old-style check runs too. The slow functions are replaced by counting stand-ins; the
 * real ones are exercised by every sign-in of the API tests.
 */
class PasswordsTest {

    private static final EmailAddress ADDRESS = EmailAddress.of("holder@tests.invalid");
    private static final String PASSWORD = "a-long-enough-password-1";

    private final AtomicInteger stretches = new AtomicInteger();
    private final AtomicInteger legacyChecks = new AtomicInteger();
    private final Argon2PasswordEncoder legacy = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final Passwords passwords = new Passwords(new CommonPasswords(), (password, salt) -> {
        stretches.incrementAndGet();
        return sha256(password, salt);
    }, (password, verifier) -> {
        legacyChecks.incrementAndGet();
        return legacy.matches(password, verifier);
    });

    @Test
    void oneStretchPerSignInWhateverTheNumberOfHolders() {
        for (int holders = 0; holders <= 5; holders++) {
            List<String> verifiers = verifiers(holders, "another-long-password-" + holders);
            List<String> withOwn = withOwn(verifiers);
            stretches.set(0);

            Passwords.Verification wrong = passwords.verify("not-the-password-at-all", ADDRESS, verifiers, false);
            Passwords.Verification right = passwords.verify(PASSWORD, ADDRESS, withOwn, false);

            assertThat(stretches.get()).as("%d holders", holders).isEqualTo(2);
            assertThat(wrong.results()).hasSize(holders).doesNotContain(true);
            assertThat(right.results()).as("only the holder with that password matches")
                    .hasSize(holders + 1).endsWith(true).filteredOn(m -> m).hasSize(1);
        }
    }

    @Test
    void exactlyOneOldStyleCheckPerSignInWhileAnyRemainsAndNoneOtherwise() {
        String old = legacy.encode(PASSWORD);
        for (List<String> verifiers : List.of(List.<String>of(), verifiers(2, "x-long-enough-password"),
                List.of(old), withOwn(List.of(old)))) {
            legacyChecks.set(0);
            passwords.verify(PASSWORD, ADDRESS, verifiers, true);
            assertThat(legacyChecks.get()).as("%s", verifiers).isEqualTo(1);
        }
        legacyChecks.set(0);
        passwords.verify(PASSWORD, ADDRESS, verifiers(3, "y-long-enough-password"), false);
        assertThat(legacyChecks.get()).as("none remains: no decoy").isZero();

        assertThat(passwords.verify(PASSWORD, ADDRESS, List.of(old), true).matches(0)).as("old style still verifies")
                .isTrue();
        assertThat(Passwords.outdated(old)).isTrue();
        assertThat(Passwords.outdated(passwords.hash(PASSWORD, ADDRESS))).isFalse();
    }

    @Test
    void aVerifierIsBoundToItsAddressAndSaltedPerAccount() {
        String one = passwords.hash(PASSWORD, ADDRESS);
        String two = passwords.hash(PASSWORD, ADDRESS);

        assertThat(one).startsWith("$hb-v2$").isNotEqualTo(two);
        assertThat(passwords.matches(PASSWORD, ADDRESS, one)).isTrue();
        assertThat(passwords.matches(PASSWORD, ADDRESS, two)).isTrue();
        assertThat(passwords.matches(PASSWORD, EmailAddress.of("other@tests.invalid"), one)).isFalse();
        assertThat(passwords.matches(PASSWORD + "x", ADDRESS, one)).isFalse();
        assertThat(passwords.matches(PASSWORD, ADDRESS, "$hb-v2$broken")).isFalse();
        assertThat(passwords.matches(null, ADDRESS, one)).isFalse();
        assertThat(passwords.matches("x".repeat(Passwords.MAX_LENGTH + 1), ADDRESS, one)).isFalse();
    }

    @Test
    void theDocumentedFormatIsTheOneStored() {
        Passwords real = new Passwords(new CommonPasswords());
        String documented = io.healthcarebackend.support.PasswordVerifiers.of(PASSWORD, ADDRESS.value());

        assertThat(real.matches(PASSWORD, ADDRESS, documented)).isTrue();
        assertThat(real.matches(PASSWORD, ADDRESS, real.hash(PASSWORD, ADDRESS))).isTrue();
    }

    private List<String> verifiers(int count, String password) {
        List<String> verifiers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            verifiers.add(passwords.verifier(password, ADDRESS));
        }
        return verifiers;
    }

    private List<String> withOwn(List<String> others) {
        List<String> all = new ArrayList<>(others);
        all.add(passwords.verifier(PASSWORD, ADDRESS));
        return all;
    }

    private static byte[] sha256(byte[] password, byte[] salt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(password);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
