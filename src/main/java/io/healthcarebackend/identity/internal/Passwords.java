package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ApiException;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Argon2id password hashing (OWASP's first choice). A login for an unknown e-mail still spends
 * one verification against a fixed hash, so response time does not reveal which accounts exist.
 */
@Component
class Passwords {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    private final String decoy = encoder.encode("decoy-password-for-unknown-accounts");
    private final CommonPasswords common;

    Passwords(CommonPasswords common) {
        this.common = common;
    }

    /** Length is the rule (12 to 128, no composition rules), plus: not a common or breached password. */
    String hash(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw new ApiException.BadRequest("WEAK_PASSWORD",
                    "password must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters");
        }
        if (common.isCommon(password)) {
            throw new ApiException.BadRequest("WEAK_PASSWORD",
                    "password is too common (it or its core is on the list of known breached passwords)");
        }
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        if (password == null || password.length() > MAX_LENGTH) {
            encoder.matches("x", decoy);
            return false;
        }
        return encoder.matches(password, hash);
    }

    void spendDecoy(String password) {
        encoder.matches(password == null ? "" : password, decoy);
    }
}
