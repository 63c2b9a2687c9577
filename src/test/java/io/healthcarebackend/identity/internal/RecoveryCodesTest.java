package io.healthcarebackend.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.UserId;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecoveryCodesTest {

    @Test
    void codesAreFourGroupsOfFourCrockfordCharactersAndAllDifferent() {
        List<String> codes = RecoveryCodes.generate(10);

        assertThat(codes).hasSize(10).allMatch(c -> c.matches("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}"));
        assertThat(new HashSet<>(codes)).hasSize(10);
    }

    @Test
    void typingIsForgivingAboutCaseDashesSpacesAndLookalikes() {
        assertThat(RecoveryCodes.normalize("7k3q-m9xd-2hpr-b4tw")).hasValue("7K3QM9XD2HPRB4TW");
        assertThat(RecoveryCodes.normalize(" 7K3Q M9XD 2HPR B4TW ")).hasValue("7K3QM9XD2HPRB4TW");
        assertThat(RecoveryCodes.normalize("OIL0-0000-0000-0000")).hasValue("0110000000000000");
    }

    @Test
    void somethingElseIsNoRecoveryCode() {
        assertThat(RecoveryCodes.normalize(null)).isEmpty();
        assertThat(RecoveryCodes.normalize("123456")).isEmpty();
        assertThat(RecoveryCodes.normalize("7K3Q-M9XD-2HPR-B4TWX")).isEmpty();
        assertThat(RecoveryCodes.normalize("7K3Q-M9XD-2HPR-B4T!")).isEmpty();
        assertThat(RecoveryCodes.normalize("U".repeat(16))).as("U is not Crockford").isEmpty();
    }

    @Test
    void theStoredHashDependsOnTheUser() {
        UserId one = new UserId(UUID.randomUUID());
        UserId two = new UserId(UUID.randomUUID());

        assertThat(RecoveryCodes.hash(one, "7K3QM9XD2HPRB4TW")).hasSize(32)
                .isEqualTo(RecoveryCodes.hash(one, "7K3QM9XD2HPRB4TW"))
                .isNotEqualTo(RecoveryCodes.hash(two, "7K3QM9XD2HPRB4TW"));
    }
}
