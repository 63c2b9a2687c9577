package io.healthcarebackend.platform.ratelimit;

/**
 * What a rule counts per: the client's address, the signed-in user, or the user's clinic; or the
 * account a sign-in names (a keyed hash of the e-mail), which only the login throttle uses.
 */
enum KeyKind {
    IP, USER, CLINIC, ACCOUNT;

    String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
