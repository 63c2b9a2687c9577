package io.healthcarebackend.deploy.kubernetes;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises values that look like real key material, so a template or ConfigMap cannot carry one. */
final class SecretScan {

    private static final List<Pattern> KEY_MATERIAL = List.of(
            Pattern.compile("-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----"),
            // A private JWK: its "d" member is the private key.
            Pattern.compile("\"d\"\\s*:\\s*\""),
            // Hex of 16 bytes or more: generated passwords.
            Pattern.compile("\\b[0-9a-fA-F]{32,}\\b"));
    // Base64 (or base64url) of 24 bytes or more: Tink keysets, HMAC keys, PKCS#8 keys. Random bytes
    // encoded this long contain digits, upper and lower case; paths and names do not.
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{32,}={0,2}");

    private SecretScan() {
    }

    static boolean looksLikeKeyMaterial(String value) {
        if (value == null) {
            return false;
        }
        if (KEY_MATERIAL.stream().anyMatch(p -> p.matcher(value).find())) {
            return true;
        }
        Matcher run = BASE64_RUN.matcher(value);
        while (run.find()) {
            String token = run.group();
            if (token.chars().anyMatch(Character::isDigit) && token.chars().anyMatch(Character::isUpperCase)
                    && token.chars().anyMatch(Character::isLowerCase)) {
                return true;
            }
        }
        return false;
    }
}
