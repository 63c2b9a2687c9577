package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one normal form of staff e-mail addresses (issue #13, item 5). */
class EmailAddressTest {

    @Test
    void spellingsOfOneAddressAreOneValue() {
        List<String> spellings = List.of("kib@example.com", "KIB@EXAMPLE.COM", "\u212Aib@example.com",
                "\uFF2B\uFF29\uFF22@\uFF45xample.com", "k\u0131b@example.com", "K\u0130B@example.com",
                "ki\u0307b@example.com", " kib@example.com\u00A0", "\u3000KIB@example.com");

        assertThat(spellings).allSatisfy(s -> assertThat(EmailAddress.of(s).value()).as(s).isEqualTo("kib@example.com"));
        assertThat(spellings.stream().map(EmailAddress::of).distinct()).hasSize(1);
    }

    @Test
    void caseFoldingIsFullAndLocaleIndependent() {
        assertThat(EmailAddress.of("stra\u00DFe@example.com")).isEqualTo(EmailAddress.of("STRASSE@example.com"))
                .isEqualTo(EmailAddress.of("stra\u1E9Ee@example.com")).isEqualTo(EmailAddress.of("strasse@example.com"));
        assertThat(EmailAddress.of("\uFB01le@example.com").value()).isEqualTo("file@example.com");
        assertThat(EmailAddress.of("\u039F\u0394\u039F\u03A3@example.com"))
                .isEqualTo(EmailAddress.of("\u03BF\u03B4\u03BF\u03C3@example.com"));
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
            assertThat(EmailAddress.of("ADMIN@EXAMPLE.COM").value()).isEqualTo("admin@example.com");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void composedAndDecomposedAccentsAreOneLetterButNotTheBareLetter() {
        assertThat(EmailAddress.of("jos\u00E9@example.com")).isEqualTo(EmailAddress.of("JOSE\u0301@example.com"));
        assertThat(EmailAddress.of("jos\u00E9@example.com")).isNotEqualTo(EmailAddress.of("jose@example.com"));
    }

    @Test
    void normalisingTwiceChangesNothingForAnyCharacterOfTheBasicPlane() {
        List<String> unstable = new ArrayList<>();
        for (int cp = 0; cp < 0x10000; cp++) {
            if (Character.isSurrogate((char) cp)) {
                continue;
            }
            for (String text : List.of("a" + Character.toString(cp) + "b@x.org", Character.toString(cp) + "\u0307")) {
                String once = EmailAddress.normalise(text);
                if (!EmailAddress.normalise(once).equals(once)) {
                    unstable.add(Integer.toHexString(cp));
                }
            }
        }
        assertThat(unstable).isEmpty();
    }

    @Test
    void theAddressNeverAppearsInToString() {
        assertThat(EmailAddress.of("someone@example.com").toString()).doesNotContain("someone");
    }
}
