package io.healthcarebackend.platform.ratelimit;

import io.healthcarebackend.platform.EmailAddress;

/**
 * Limits failed sign-ins per account (item 5 of issue #4), for the module that checks passwords.
 * Call {@link #begin} before the password is checked and {@link Attempt#succeeded()} once it has
 * been accepted; an attempt that never succeeds counts as a failure.
 *
 * <p>Counting is per account, never per e-mail in clear: the key is a keyed hash of the normalised
 * address ({@link EmailAddress}). Every limit is a window that expires by itself; there is no lockout to lift. Attempts
 * from an address the account has signed in from before (within {@code LOGIN_KNOWN_SOURCE_TTL})
 * are counted apart from everyone else's, so an attacker failing from elsewhere cannot keep the
 * real user out; an hourly cap across all of them bounds the total.
 */
public interface LoginThrottle {

    /**
     * Counts an attempt to sign in as {@code email}, or any other check of the account's password
     * (a password change, MFA enrollment or disabling): one budget per account, whatever the
     * spelling of the address ({@link EmailAddress}).
     *
     * @throws RateLimitExceeded (429) when the account has had too many failed attempts; 503 when
     *                           the limit cannot be checked (Redis unreachable: sign-in fails closed)
     */
    Attempt begin(EmailAddress email);

    /** One sign-in attempt. */
    interface Attempt {

        /** The password was right: the attempt is not a failure, and the address becomes known for the account. */
        void succeeded();
    }
}
