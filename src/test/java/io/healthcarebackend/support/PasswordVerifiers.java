package io.healthcarebackend.support;

import io.healthcarebackend.platform.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password verifiers in the service's current format, written from its documented definition
 * (README, "Passwords"), for accounts a test inserts directly: {@code $hb-v2$<salt>$<HMAC-SHA256(
 * argon2id(password, first 16 bytes of SHA-256("healthcare-backend sign-in v2\0" + address)), salt)>}.
 * An independent implementation: a sign-in with such an account also checks the format.
 */
public final class PasswordVerifiers {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private PasswordVerifiers() {
    }

    public static String of(String password, String email) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("healthcare-backend sign-in v2\0".getBytes(StandardCharsets.UTF_8));
            byte[] addressSalt = Arrays.copyOf(sha.digest(EmailAddress.of(email).value()
                    .getBytes(StandardCharsets.UTF_8)), 16);
            Argon2BytesGenerator argon = new Argon2BytesGenerator();
            argon.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withSalt(addressSalt)
                    .withParallelism(1).withMemoryAsKB(16384).withIterations(2).build());
            byte[] key = new byte[32];
            argon.generateBytes(password.getBytes(StandardCharsets.UTF_8), key);
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "$hb-v2$" + B64.encodeToString(salt) + "$" + B64.encodeToString(mac.doFinal(salt));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
