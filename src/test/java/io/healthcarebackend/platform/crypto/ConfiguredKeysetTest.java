package io.healthcarebackend.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module's own keyset from configuration: named in every error, never echoed, generated only in development. */
class ConfiguredKeysetTest {

    private static final byte[] CONTEXT = "totp-key|test".getBytes(StandardCharsets.UTF_8);

    @Test
    void base64AndPlainJsonOfTheSameKeysetAreTheSameKey() throws Exception {
        String json = Keysets.generateJson();
        String base64 = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

        byte[] sealed = ConfiguredKeyset.aead("MY_KEYSET", base64, false, null).encrypt(new byte[] {1, 2}, CONTEXT);

        assertThat(ConfiguredKeyset.aead("MY_KEYSET", json, false, null).decrypt(sealed, CONTEXT)).containsExactly(1, 2);
    }

    @Test
    void errorsNameTheVariableAndNeverTheValue() {
        assertThatThrownBy(() -> ConfiguredKeyset.aead("MY_KEYSET", "bm90LWEta2V5c2V0LXNlY3JldA==", false, null))
                .hasMessage("MY_KEYSET is not a valid Tink keyset");
        assertThatThrownBy(() -> ConfiguredKeyset.aead("MY_KEYSET", "%%%secret%%%", false, null))
                .hasMessageNotContaining("secret").hasMessageContaining("MY_KEYSET");
        assertThatThrownBy(() -> ConfiguredKeyset.aead("MY_KEYSET", "", false, null))
                .hasMessageContaining("MY_KEYSET is missing");
    }

    @Test
    void developmentGeneratesAKeysetOnceAndKeepsItForRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("var/keyset.json");

        Aead first = ConfiguredKeyset.aead("MY_KEYSET", null, true, file.toString());
        byte[] sealed = first.encrypt(new byte[] {7}, CONTEXT);

        assertThat(Files.exists(file)).isTrue();
        assertThat(ConfiguredKeyset.aead("MY_KEYSET", "", true, file.toString()).decrypt(sealed, CONTEXT))
                .containsExactly(7);
    }
}
