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
 * An AES-256-GCM {@link Aead} from a Tink keyset in configuration (base64 of the keyset JSON, or
 * the JSON itself), for modules that keep a secret of their own encrypted (the same format as
 * {@code PHI_MASTER_KEYSET}, so {@code make phi-master-key} prints a valid value). In development
 * a keyset is generated once into a local file; guarded profiles refuse to start without the
 * variable ({@code ProductionSafetyCheck}). Error messages name the variable, never its value.
 */
public final class ConfiguredKeyset {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredKeyset.class);

    private ConfiguredKeyset() {
    }

    /**
     * @param variable the environment variable the value comes from, for messages
     * @param configured its value; blank means not configured
     * @param generateIfMissing development and tests: generate into {@code devFile} (kept for restarts)
     */
    public static Aead aead(String variable, String configured, boolean generateIfMissing, String devFile) {
        if (configured != null && !configured.isBlank()) {
            return Keysets.aead(parse(variable, configured));
        }
        if (!generateIfMissing) {
            throw new IllegalStateException(variable + " is missing (generate one with 'make phi-master-key')");
        }
        Path file = Path.of(devFile);
        try {
            if (Files.exists(file)) {
                return Keysets.aead(parse(variable, Files.readString(file)));
            }
            KeysetHandle handle = Keysets.generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Keysets.toJson(handle));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file is a development convenience only
            }
            log.warn("Generated a development keyset for {} in {}; never use it in production", variable, file);
            return Keysets.aead(handle);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the development keyset file " + file, e);
        }
    }

    /**
     * Like {@link #aead(String, String, boolean, String)}, with the development keyset in a file
     * bound to the database ({@link DevKeyFile}); {@code devFile} null: no generation.
     */
    public static Aead aead(String variable, String configured, DevKeyFile devFile) {
        if (configured != null && !configured.isBlank()) {
            return Keysets.aead(parse(variable, configured));
        }
        if (devFile == null) {
            throw new IllegalStateException(variable + " is missing (generate one with 'make phi-master-key')");
        }
        return Keysets.aead(parse(devFile.describe(), devFile.readOrCreate(Keysets::generateJson)));
    }

    private static KeysetHandle parse(String variable, String text) {
        String json = text.strip();
        if (!json.startsWith("{")) {
            try {
                json = new String(Base64.getMimeDecoder().decode(json), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(variable + " is neither keyset JSON nor base64 of it");
            }
        }
        try {
            return Keysets.fromJson(json);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(variable + " is not a valid Tink keyset");
        }
    }
}
