package io.healthcarebackend.identity.internal;

import com.google.crypto.tink.Aead;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.crypto.ConfiguredKeyset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.springframework.stereotype.Component;

/**
 * Encrypts TOTP keys at rest with AES-256-GCM (Tink) under {@code MFA_SECRET_KEYSET}. The user id
 * is the associated data: a ciphertext moved to another user's row does not decrypt.
 *
 * <p>A key of its own rather than the PHI master key: after a PHI key rotation the old master key
 * version may be removed, which would silently make every enrolled authenticator useless; and a
 * TOTP key is a login credential, not PHI, so it need not follow the PHI key hierarchy. Rotating
 * this keyset works the Tink way: add a new primary key, keep the old ones for decryption.
 */
@Component
class MfaSecrets {

    private final Aead aead;

    MfaSecrets(MfaSettings settings) {
        this.aead = ConfiguredKeyset.aead("MFA_SECRET_KEYSET", settings.secretKeyset(),
                settings.generateKeysetIfMissing(), settings.devKeysetFile());
    }

    byte[] seal(UserId user, byte[] secret) {
        try {
            return aead.encrypt(secret, context(user));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a TOTP key", e);
        }
    }

    byte[] open(UserId user, byte[] sealed) {
        try {
            return aead.decrypt(sealed, context(user));
        } catch (GeneralSecurityException e) {
            // Never the ciphertext or key material: only which user's key is unusable.
            throw new IllegalStateException("the TOTP key of user " + user + " does not decrypt with MFA_SECRET_KEYSET");
        }
    }

    private static byte[] context(UserId user) {
        return ("totp-key|" + user).getBytes(StandardCharsets.UTF_8);
    }
}
