package io.healthcarebackend.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;

/**
 * The master key from configuration: {@code PHI_MASTER_KEYSET} holds a Tink AES-256-GCM keyset as
 * JSON, base64-encoded (plain JSON is accepted too). In development a keyset is generated once
 * into a local file bound to the database ({@link DevKeyFile}, {@code PHI_DEV_MASTER_KEYSET_FILE})
 * so restarts can still read the data; staging and production refuse to start without the
 * variable ({@code ProductionSafetyCheck}).
 */
final class ConfiguredMasterKey implements MasterKeyProvider {

    static final String VARIABLE = "PHI_MASTER_KEYSET";
    static final String DEV_FILE_VARIABLE = "PHI_DEV_MASTER_KEYSET_FILE";

    private final Aead aead;
    private final String source;

    ConfiguredMasterKey(String configured, DevKeyFile devFile) {
        boolean fromEnvironment = configured != null && !configured.isBlank();
        this.aead = ConfiguredKeyset.aead(VARIABLE, configured, fromEnvironment ? null : devFile);
        this.source = fromEnvironment || devFile == null ? VARIABLE
                : VARIABLE + " (unset, so the development keyset file " + devFile.describe() + ")";
    }

    /** Unbound development file, for tests of the keyset handling alone. */
    ConfiguredMasterKey(String configured, boolean generateIfMissing, String devFile) {
        this.aead = ConfiguredKeyset.aead(VARIABLE, configured, generateIfMissing, devFile);
        this.source = VARIABLE;
    }

    static ConfiguredMasterKey of(KeysetHandle handle) {
        return new ConfiguredMasterKey(Keysets.toJson(handle), false, null);
    }

    @Override
    public Aead masterKey() {
        return aead;
    }

    @Override
    public String source() {
        return source;
    }
}
