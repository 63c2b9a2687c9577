package io.healthcarebackend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The marker check the "no plaintext in a backup" tests rely on finds a marker in each form it can take. */
class DumpsTest {

    private static final String MARKER = "Canarydump 4711";

    @Test
    void aMarkerIsFoundAsTextHexOrBase64InAnyCaseAndNothingIsFoundWithoutIt() {
        byte[] bytes = MARKER.getBytes(StandardCharsets.UTF_8);
        String hex = "COPY t (v) FROM stdin;\n\\\\x" + HexFormat.of().formatHex(bytes) + "\n\\.";
        String shifted = Base64.getEncoder().encodeToString(("ab" + MARKER).getBytes(StandardCharsets.UTF_8));

        assertThat(Dumps.found("x " + MARKER.toUpperCase() + " y", List.of(MARKER))).containsExactly(MARKER);
        assertThat(Dumps.found(hex, List.of(MARKER))).hasSize(1);
        assertThat(Dumps.found(shifted, List.of(MARKER))).hasSize(1);
        assertThat(Dumps.found("nothing of the sort", List.of(MARKER, "other"))).isEmpty();
    }
}
