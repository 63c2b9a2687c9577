package io.healthcarebackend.platform.web;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link PlainText}: one pass over the code points, no regular expression. */
public final class PlainTextValidator implements ConstraintValidator<PlainText, CharSequence> {

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        return value == null || value.codePoints().noneMatch(PlainTextValidator::refused);
    }

    /** Whether a code point may not appear in plain text. */
    public static boolean refused(int c) {
        return c <= 0x1F || (c >= 0x7F && c <= 0x9F) // C0 (NUL, tab, newlines, escape …), DEL, C1
                || c == 0x061C // Arabic letter mark
                || c == 0x200E || c == 0x200F // left-to-right and right-to-left marks
                || (c >= 0x202A && c <= 0x202E) // embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069) // isolates
                || c == 0x2028 || c == 0x2029 // line and paragraph separators
                || (c >= 0xD800 && c <= 0xDFFF) // an unpaired surrogate (not a character)
                || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF; // byte order mark, non-characters
    }
}
