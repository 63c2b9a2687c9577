package io.healthcarebackend.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;

/**
 * The master key from configuration: {@code PHI_MASTER_KEYSET} holds a Tink AES-256-GCM keyset as
 * JSON, base64-encoded (plain JSON is accepted too). In development a keyset is generated once
 * into a local file so restarts can still read the data; staging and production refuse to start
 * without the variable ({@code ProductionSafetyCheck}).
 */
final class ConfiguredMasterKey implements MasterKeyProvider {

    private final Aead aead;

    ConfiguredMasterKey(String configured, boolean generateIfMissing, String devFile) {
        this.aead = ConfiguredKeyset.aead("PHI_MASTER_KEYSET", configured, generateIfMissing, devFile);
    }

    static ConfiguredMasterKey of(KeysetHandle handle) {
        return new ConfiguredMasterKey(Keysets.toJson(handle), false, null);
    }

    @Override
    public Aead masterKey() {
        return aead;
    }
}
