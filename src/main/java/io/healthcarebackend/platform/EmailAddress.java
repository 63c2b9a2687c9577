package io.healthcarebackend.platform;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A staff e-mail address in the one form the service stores, looks up, compares and throttles by:
 * Unicode NFKC (full-width letters, ligatures and compatibility characters become their plain
 * form), then a locale-independent case fold (upper case, then lower case, in {@link Locale#ROOT}:
 * {@code ß}, {@code ẞ} and {@code SS} all become {@code ss}, the Kelvin sign {@code k}, dotless
 * {@code ı} and dotted {@code İ} plain {@code i}), then NFKC again, surrounding white space removed;
 * repeated until nothing changes, so normalising a normalised address changes nothing.
 *
 * <p>Every spelling of one address is therefore one value: it finds one account and counts on one
 * failed-sign-in budget. Build one with {@link #of} wherever an address enters the service; code
 * that takes an {@code EmailAddress} cannot be handed an unnormalised one.
 */
public record EmailAddress(String value) {

    /** The longest address staff_users accepts, counted after normalisation. */
    public static final int MAX_LENGTH = 320;

    /** A combining dot above after {@code i}: what {@code İ} lower-cases to; the {@code i} has its dot. */
    private static final Pattern DOTTED_I = Pattern.compile("i\u0307+");
    private static final int MAX_ROUNDS = 4;

    public EmailAddress {
        value = normalise(Objects.requireNonNull(value, "e-mail address"));
    }

    public static EmailAddress of(String raw) {
        return new EmailAddress(raw);
    }

    /** Whether the normalised address fits the stored column (NFKC can make an address longer). */
    public boolean storable() {
        return value.length() >= 3 && value.length() <= MAX_LENGTH;
    }

    /** Never the address itself: an address that slips into a log line must not be readable there. */
    @Override
    public String toString() {
        return "EmailAddress[redacted]";
    }

    static String normalise(String raw) {
        String text = raw;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            String next = fold(text);
            if (next.equals(text)) {
                return text;
            }
            text = next;
        }
        return text;
    }

    private static String fold(String text) {
        String plain = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        String folded = plain.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(DOTTED_I.matcher(folded).replaceAll("i"), Normalizer.Form.NFKC).strip();
    }
}
