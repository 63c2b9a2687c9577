package io.healthcarebackend.identity.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Second-factor settings ({@code app.mfa}, README "Multi-factor authentication (TOTP)").
 *
 * @param issuer shown by authenticator apps next to the account
 * @param maxFailures wrong codes in a row after which the second factor is locked
 * @param lockout the first lock; each further lock in a row doubles it, up to {@code maxLockout}
 * @param enrollmentTokenTtl lifetime of the token that lets a user of an MFA-mandatory clinic enrol
 * @param recoveryCodes how many one-time recovery codes a user gets
 * @param secretKeyset Tink AES-256-GCM keyset encrypting the TOTP keys ({@code MFA_SECRET_KEYSET})
 */
@ConfigurationProperties("app.mfa")
record MfaSettings(String issuer, int maxFailures, Duration lockout, Duration maxLockout,
        Duration enrollmentTokenTtl, int recoveryCodes, String secretKeyset, boolean generateKeysetIfMissing,
        String devKeysetFile) {

    MfaSettings {
        if (issuer == null || issuer.isBlank() || issuer.contains(":")) {
            throw new IllegalArgumentException("MFA_ISSUER must be set and must not contain ':'");
        }
        if (maxFailures < 1 || recoveryCodes < 1 || recoveryCodes > 50) {
            throw new IllegalArgumentException("MFA_MAX_FAILURES must be ≥ 1 and MFA_RECOVERY_CODES 1..50");
        }
        if (lockout == null || maxLockout == null || lockout.isNegative() || lockout.isZero()
                || maxLockout.compareTo(lockout) < 0) {
            throw new IllegalArgumentException("MFA_LOCKOUT must be positive and MFA_LOCKOUT_MAX at least as long");
        }
        if (enrollmentTokenTtl == null || enrollmentTokenTtl.isNegative() || enrollmentTokenTtl.isZero()) {
            throw new IllegalArgumentException("MFA_ENROLLMENT_TOKEN_TTL must be positive");
        }
    }
}
