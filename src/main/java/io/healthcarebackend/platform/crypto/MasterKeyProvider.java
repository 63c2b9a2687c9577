package io.healthcarebackend.platform.crypto;

import com.google.crypto.tink.Aead;

/**
 * The key-encryption key at the top of the PHI key hierarchy; it wraps the clinic keys. Today it
 * is a Tink keyset from configuration ({@code PHI_MASTER_KEYSET}); a cloud KMS can implement this
 * interface by returning its remote {@link Aead} (Tink's KMS clients do exactly that), and the
 * key never leaves the KMS. Encryption uses the newest (primary) version; every version still in
 * the keyset decrypts, which is what lets {@code rotate-keys} move clinic keys forward.
 */
public interface MasterKeyProvider {

    Aead masterKey();

    /** Where the key comes from, for messages: the setting that names it, never the key. */
    default String source() {
        return "the PHI master key (" + getClass().getSimpleName() + ")";
    }
}
