package io.healthcarebackend.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key from configuration: {@code PHI_MASTER_KEYSET} holds a Tink AES-256-GCM keyset as
 * JSON, base64-encoded (plain JSON is accepted too). In development a keyset is generated once
 * into a local file so restarts can still read the data; staging and production refuse to start
 * without the variable ({@code ProductionSafetyCheck}).
 */
final class ConfiguredMasterKey implements MasterKeyProvider {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredMasterKey.class);

    private final Aead aead;

    ConfiguredMasterKey(String configured, boolean generateIfMissing, String devFile) {
        this.aead = Keysets.aead(load(configured, generateIfMissing, devFile));
    }

    static ConfiguredMasterKey of(KeysetHandle handle) {
        return new ConfiguredMasterKey(Keysets.toJson(handle), false, null);
    }

    @Override
    public Aead masterKey() {
        return aead;
    }

    private static KeysetHandle load(String configured, boolean generateIfMissing, String devFile) {
        if (configured != null && !configured.isBlank()) {
            return parse(configured.strip());
        }
        if (!generateIfMissing) {
            throw new IllegalStateException("PHI_MASTER_KEYSET is missing (generate one with 'make phi-master-key')");
        }
        Path file = Path.of(devFile);
        try {
            if (Files.exists(file)) {
                return parse(Files.readString(file));
            }
            KeysetHandle handle = Keysets.generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Keysets.toJson(handle));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file is a development convenience only
            }
            log.warn("Generated a development PHI master keyset in {}; never use it in production", file);
            return handle;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the development master keyset file " + file, e);
        }
    }

    private static KeysetHandle parse(String text) {
        String json = text.strip();
        if (!json.startsWith("{")) {
            try {
                json = new String(Base64.getMimeDecoder().decode(json), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("PHI_MASTER_KEYSET is neither keyset JSON nor base64 of it");
            }
        }
        try {
            return Keysets.fromJson(json);
        } catch (GeneralSecurityException e) {
            // The message names the variable only: the value is a secret.
            throw new IllegalStateException("PHI_MASTER_KEYSET is not a valid Tink keyset");
        }
    }
}
