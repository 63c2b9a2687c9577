package io.healthcarebackend.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** Tink keyset plumbing: AES-256-GCM keysets, wrapped (encrypted) under another AEAD. */
public final class Keysets {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keysets() {
    }

    static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an AES-256-GCM keyset", e);
        }
    }

    /** A new master keyset as Tink JSON, for {@code PHI_MASTER_KEYSET} (base64 of this text). */
    public static String generateJson() {
        return toJson(generate());
    }

    static String toJson(KeysetHandle handle) {
        try {
            return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialise a keyset", e);
        }
    }

    static KeysetHandle fromJson(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    /** Adds a fresh key and makes it primary; older keys stay so existing ciphertext still decrypts. */
    static KeysetHandle rotate(KeysetHandle handle) {
        try {
            return KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate a keyset", e);
        }
    }

    static Aead aead(KeysetHandle handle) {
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an AEAD keyset", e);
        }
    }

    static byte[] wrap(KeysetHandle handle, Aead keyEncryptionKey, String context) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, keyEncryptionKey, bytes(context));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a keyset", e);
        }
    }

    /** Throws when the wrapping key or the context (clinic, patient) does not match. */
    static KeysetHandle unwrap(byte[] wrapped, Aead keyEncryptionKey, String context) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, keyEncryptionKey, bytes(context));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
