package io.healthcarebackend.platform.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A single line of text that a person reads: a name, an MRN, an address line. Refuses NUL and every
 * other C0 and C1 control character, DEL, the line and paragraph separators and the Unicode bidi
 * controls (embeddings, overrides, isolates, marks): they let a stored value truncate a C string,
 * break a log or CSV line, or display differently from what it is ("Trojan Source" reordering),
 * and no real name needs them. Null passes (combine with {@code @NotBlank} where required); the
 * refusal is a 400 {@code VALIDATION_FAILED} naming the field, never echoing the value.
 */
@Documented
@Constraint(validatedBy = PlainTextValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    String message() default "must not contain control or bidirectional formatting characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
