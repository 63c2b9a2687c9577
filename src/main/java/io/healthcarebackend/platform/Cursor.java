package io.healthcarebackend.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque keyset cursors. A cursor is the sort key of the last item of a page, base64url-encoded,
 * so a client can neither guess nor tamper it into an unindexed scan; a bad one is a 400.
 */
public final class Cursor {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private Cursor() {
    }

    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw new ApiException.BadRequest("INVALID_PARAMETER", "limit must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    public static String ofId(UUID id) {
        return encode(id.toString());
    }

    public static UUID id(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(decode(cursor));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /** Cursor over (instant, id) for lists ordered by time. */
    public static String ofTimeAndId(Instant at, UUID id) {
        return encode(at.toString() + "|" + id);
    }

    public static TimeAndId timeAndId(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = decode(cursor).split("\\|", 2);
            // A forged cursor's time is bounded like any date a client sends (SupportedRange).
            Instant at = SupportedRange.check(Instant.parse(parts[0]));
            return new TimeAndId(at, UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    public record TimeAndId(Instant at, UUID id) {
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return new ApiException.BadRequest("INVALID_CURSOR", "cursor is not valid");
    }
}
