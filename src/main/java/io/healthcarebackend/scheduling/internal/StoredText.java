package io.healthcarebackend.scheduling.internal;

/**
 * An appointment's free text (reason, cancellation reason) as stored: a ciphertext under the
 * patient's data key. {@code legacy} is plaintext of a row written before the text was sealed
 * (migration V16), until {@link LegacyTextSealer} seals it at start-up; nothing writes it any more.
 */
record StoredText(byte[] sealed, String legacy) {

    static final StoredText NONE = new StoredText(null, null);

    boolean isEmpty() {
        return sealed == null && legacy == null;
    }

    @Override
    public String toString() {
        return isEmpty() ? "StoredText[none]" : "StoredText[(redacted)]";
    }
}
