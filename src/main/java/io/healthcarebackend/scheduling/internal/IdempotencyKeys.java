package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.UserId;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Idempotency-Key handling for non-idempotent POSTs. The key is claimed first, inside the
 * business transaction: a concurrent request with the same key waits on the claim and then sees
 * the committed response; if the first one rolls back, its claim vanishes with it. Keys are kept
 * for at least 24 hours (purged after 48).
 */
@Component
class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    static final Duration RETENTION = Duration.ofHours(48);

    private final JdbcClient jdbc;
    private final Clock clock;

    IdempotencyKeys(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Stored(int status, String body) {
    }

    /**
     * Claims the key for this request. Returns the stored response when the same key was already
     * used with the same request; refuses a different request under the same key with 422.
     */
    Optional<Stored> claim(ClinicId clinic, UserId user, String key, byte[] requestHash) {
        if (key.isBlank() || key.length() > 200) {
            throw new ApiException.BadRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1-200 characters");
        }
        int claimed = jdbc.sql("insert into idempotency_keys (clinic_id, user_id, key, request_hash, "
                + "response_status, response_body) values (:clinic, :user, :key, :hash, 0, '') on conflict do nothing")
                .param("clinic", clinic.value()).param("user", user.value()).param("key", key).param("hash", requestHash)
                .update();
        if (claimed == 1) {
            return Optional.empty();
        }
        var existing = jdbc.sql("select request_hash, response_status, response_body from idempotency_keys "
                + "where clinic_id = :clinic and user_id = :user and key = :key")
                .param("clinic", clinic.value()).param("user", user.value()).param("key", key)
                .query((rs, n) -> new Object[] {rs.getBytes(1), rs.getInt(2), rs.getString(3)})
                .single();
        if (!MessageDigest.isEqual((byte[]) existing[0], requestHash)) {
            throw new ApiException.Unprocessable("IDEMPOTENCY_KEY_REUSED",
                    "Idempotency-Key was already used with a different request");
        }
        return Optional.of(new Stored((Integer) existing[1], (String) existing[2]));
    }

    void complete(ClinicId clinic, UserId user, String key, int status, String body) {
        jdbc.sql("update idempotency_keys set response_status = :status, response_body = :body "
                + "where clinic_id = :clinic and user_id = :user and key = :key")
                .param("status", status).param("body", body).param("clinic", clinic.value())
                .param("user", user.value()).param("key", key)
                .update();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purge() {
        int removed = jdbc.sql("select idempotency_keys_purge(:before)")
                .param("before", java.sql.Timestamp.from(clock.instant().minus(RETENTION)))
                .query(Integer.class).single();
        if (removed > 0) {
            log.info("Purged {} idempotency keys", removed);
        }
    }
}
