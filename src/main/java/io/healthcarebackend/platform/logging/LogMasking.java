package io.healthcarebackend.platform.logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second line of defence against secrets and PHI in logs: whatever a log statement carries
 * (messages, exception texts, stack traces), values that look like tokens, e-mail addresses,
 * phone numbers or national identifiers are replaced before the line is written. The first line
 * is that code logs ids, never values; this catches the mistakes.
 */
public final class LogMasking {

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // Bearer credentials and JWTs (any JWS/JWE compact form starting with a JSON header).
            new Rule(Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]+"), "Bearer [REDACTED]"),
            new Rule(Pattern.compile("\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*){0,2}"),
                    "[JWT]"),
            // key=value secrets: password=…, "refreshToken":"…", secret: …
            new Rule(Pattern.compile("(?i)(\"?(?:password|passwd|secret|token|refreshToken|accessToken|apiKey|"
                    + "authorization)\"?\\s*[=:]\\s*\"?)[^\\s\",}&]+"), "$1[REDACTED]"),
            new Rule(Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"), "[EMAIL]"),
            // International phone numbers (+ and 7-15 digits with separators), US-style (555) 123-4567.
            new Rule(Pattern.compile("(?<![\\w+])\\+\\d[\\d ()./-]{5,18}\\d"), "[PHONE]"),
            new Rule(Pattern.compile("\\(\\d{3}\\)\\s?\\d{3}[-. ]\\d{4}"), "[PHONE]"),
            // US social security numbers and similar 3-2-4 national ids.
            new Rule(Pattern.compile("(?<![\\w-])\\d{3}-\\d{2}-\\d{4}(?![\\w-])"), "[NATIONAL-ID]"));

    private LogMasking() {
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(masked);
            if (matcher.find()) {
                masked = matcher.replaceAll(rule.replacement());
            }
        }
        return masked;
    }
}
