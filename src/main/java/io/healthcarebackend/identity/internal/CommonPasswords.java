package io.healthcarebackend.identity.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The bundled list of ~49,000 common and breached passwords (NIST SP 800-63B 5.1.1.2: check new
 * passwords against known-compromised ones). A password is refused when it, or its core once
 * leading and trailing digits and symbols are taken off ("Password2024!" → "password"), is on the
 * list, or when it is one character repeated. Loaded on first use, not at start-up.
 */
@Component
class CommonPasswords {

    private static final String LIST = "identity/common-passwords.txt";

    private volatile Set<String> known;

    boolean isCommon(String password) {
        String lower = password.toLowerCase(Locale.ROOT);
        if (lower.chars().distinct().count() == 1) {
            return true;
        }
        Set<String> list = list();
        String core = lower.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
        return list.contains(lower) || (!core.isEmpty() && list.contains(core));
    }

    private Set<String> list() {
        Set<String> loaded = known;
        if (loaded == null) {
            synchronized (this) {
                if (known == null) {
                    known = load();
                }
                loaded = known;
            }
        }
        return loaded;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>(70_000);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new ClassPathResource(LIST).getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.startsWith("# ") && !line.isEmpty()) {
                    words.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled common-password list cannot be read", e);
        }
        return Set.copyOf(words);
    }
}
