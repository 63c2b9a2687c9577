package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password verifiers built so that one sign-in costs one slow hash however many accounts hold the
 * address (an address may have a holder in several clinics, and the number must not show in the
 * response time): the slow part, Argon2id (OWASP's first choice, Spring Security's parameters),
 * is salted with the normalised address, so all holders share it; each account's verifier is an
 * HMAC of that stretched key with a random salt of its own:
 * {@code $hb-v2$<salt>$<HMAC-SHA256(argon2id(password, H(address)), salt)>}.
 *
 * <p>Verifiers of earlier versions ({@code $argon2id$…}, random salt per account) still verify,
 * at one slow hash each; see {@link #verify}.
 */
@Component
class Passwords {

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 128;

    private static final String PREFIX = "$hb-v2$";
    private static final String LEGACY_PREFIX = "$argon2";
    private static final byte[] SALT_CONTEXT = "healthcare-backend sign-in v2\0".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** The slow part; a seam so that tests can count how often it runs. */
    interface Stretch {
        byte[] apply(byte[] password, byte[] salt);
    }

    /** The check of a verifier of earlier versions; a seam like {@link Stretch}. */
    interface LegacyCheck {
        boolean matches(String password, String verifier);
    }

    private final CommonPasswords common;
    private final Stretch stretch;
    private final LegacyCheck legacy;
    private final String legacyDecoy;
    private final SecureRandom random = new SecureRandom();

    @Autowired
    Passwords(CommonPasswords common) {
        this(common, Passwords::argon2id, legacyEncoder()::matches);
    }

    Passwords(CommonPasswords common, Stretch stretch, LegacyCheck legacy) {
        this.common = common;
        this.stretch = stretch;
        this.legacy = legacy;
        this.legacyDecoy = legacyEncoder().encode("decoy-password-for-unknown-accounts");
    }

    /** Length is the rule (12 to 128, no composition rules), plus: not a common or breached password. */
    String hash(String password, EmailAddress email) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw new ApiException.BadRequest("WEAK_PASSWORD",
                    "password must be between " + MIN_LENGTH + " and " + MAX_LENGTH + " characters");
        }
        if (common.isCommon(password)) {
            throw new ApiException.BadRequest("WEAK_PASSWORD",
                    "password is too common (it or its core is on the list of known breached passwords)");
        }
        return verifier(password, email);
    }

    /** The verifier of a password already accepted (an old-style verifier being replaced at sign-in). */
    String verifier(String password, EmailAddress email) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return PREFIX + B64.encodeToString(salt) + "$" + B64.encodeToString(hmac(stretched(password, email), salt));
    }

    /** One account's verifier (a signed-in user confirming their password: no oracle to hide). */
    boolean matches(String password, EmailAddress email, String verifier) {
        return verify(password, email, List.of(verifier), false).matches(0);
    }

    /**
     * Checks {@code password} against every verifier of the holders of {@code email} at a cost
     * that does not depend on their number: one stretch, then one HMAC per verifier; and, while
     * {@code legacyRemain} (any verifier of an earlier version is left in the deployment), exactly
     * one check of such a verifier — the first one in the list, or a decoy. Only an address with
     * two old-style verifiers (possible for accounts made between V17 and V20, before any
     * release) costs more.
     */
    Verification verify(String password, EmailAddress email, List<String> verifiers, boolean legacyRemain) {
        boolean usable = password != null && password.length() <= MAX_LENGTH;
        String presented = usable ? password : "decoy-password-for-unusable-input";
        byte[] key = stretched(presented, email);
        List<Boolean> matches = new ArrayList<>(verifiers.size());
        boolean legacyChecked = false;
        for (String verifier : verifiers) {
            if (verifier != null && verifier.startsWith(PREFIX)) {
                matches.add(usable && current(key, verifier));
            } else if (verifier != null && verifier.startsWith(LEGACY_PREFIX)) {
                matches.add(legacy.matches(presented, verifier) && usable);
                legacyChecked = true;
            } else {
                matches.add(false);
            }
        }
        if (legacyRemain && !legacyChecked) {
            legacy.matches(presented, legacyDecoy);
        }
        return new Verification(List.copyOf(matches));
    }

    /** Whether the verifier predates this scheme and should be replaced once the password is known. */
    static boolean outdated(String verifier) {
        return verifier == null || !verifier.startsWith(PREFIX);
    }

    /** Which verifiers, in the order given, the password matched. */
    record Verification(List<Boolean> results) {
        boolean matches(int index) {
            return results.get(index);
        }
    }

    private byte[] stretched(String password, EmailAddress email) {
        return stretch.apply(password.getBytes(StandardCharsets.UTF_8), addressSalt(email));
    }

    private static boolean current(byte[] key, String verifier) {
        String[] parts = verifier.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 2) {
            return false;
        }
        try {
            return MessageDigest.isEqual(hmac(key, B64D.decode(parts[0])), B64D.decode(parts[1]));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static byte[] addressSalt(EmailAddress email) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SALT_CONTEXT);
            return Arrays.copyOf(sha.digest(email.value().getBytes(StandardCharsets.UTF_8)), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spring Security's Argon2id parameters (16 MiB, 2 passes, 1 lane, 32-byte output). */
    private static byte[] argon2id(byte[] password, byte[] salt) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withSalt(salt)
                .withParallelism(1).withMemoryAsKB(1 << 14).withIterations(2).build());
        byte[] out = new byte[32];
        generator.generateBytes(password, out);
        return out;
    }

    private static Argon2PasswordEncoder legacyEncoder() {
        return Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    }
}
