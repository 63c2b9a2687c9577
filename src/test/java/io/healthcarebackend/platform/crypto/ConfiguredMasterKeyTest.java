package io.healthcarebackend.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master key from configuration: base64 or JSON, a kept development file, no secret in errors. */
class ConfiguredMasterKeyTest {

    private static final byte[] CONTEXT = "clinic-key|test".getBytes(StandardCharsets.UTF_8);

    @Test
    void base64AndPlainJsonOfTheSameKeysetAreTheSameKey() throws Exception {
        String json = Keysets.generateJson();
        String base64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

        byte[] sealed = new ConfiguredMasterKey(base64, false, null).masterKey().encrypt(new byte[] {1, 2}, CONTEXT);

        assertThat(new ConfiguredMasterKey(json, false, null).masterKey().decrypt(sealed, CONTEXT))
                .containsExactly(1, 2);
    }

    @Test
    void aBrokenKeysetIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new ConfiguredMasterKey("bm90LWEta2V5c2V0LXNlY3JldA==", false, null))
                .hasMessage("PHI_MASTER_KEYSET is not a valid Tink keyset");
        assertThatThrownBy(() -> new ConfiguredMasterKey("%%%secret%%%", false, null))
                .hasMessageNotContaining("secret").hasMessageContaining("PHI_MASTER_KEYSET");
    }

    @Test
    void withoutAKeysetOnlyDevelopmentGeneratesOneAndKeepsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("var/master.json");

        assertThatThrownBy(() -> new ConfiguredMasterKey("", false, file.toString()))
                .hasMessageContaining("PHI_MASTER_KEYSET is missing");
        byte[] sealed = new ConfiguredMasterKey("", true, file.toString()).masterKey().encrypt(new byte[] {7}, CONTEXT);

        assertThat(Files.exists(file)).isTrue();
        assertThat(new ConfiguredMasterKey(null, true, file.toString()).masterKey().decrypt(sealed, CONTEXT))
                .containsExactly(7);
    }
}
