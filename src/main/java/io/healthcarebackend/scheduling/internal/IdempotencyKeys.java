package io.healthcarebackend.scheduling.internal;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.crypto.PhiIndexKey;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Idempotency-Key handling for non-idempotent POSTs. The key is claimed first, inside the
 * business transaction: a concurrent request with the same key waits on the claim and then sees
 * the committed response; if the first one rolls back, its claim vanishes with it. Keys are kept
 * for at least 24 hours (purged after 48).
 *
 * <p>What is stored of the request is a keyed hash (HMAC-SHA256 under a key derived from
 * {@code PHI_INDEX_KEY}, and bound to the clinic and user): the request holds PHI (a patient, a
 * time, free text), and an unkeyed hash of it could be found again from a database dump by trying
 * likely requests. A row written before the hash was keyed (by the previous version, also during a
 * rolling upgrade) is still recognised, so a retry gets its stored answer (see {@link #unkeyed});
 * a row under another key matches no request: 422 {@code IDEMPOTENCY_KEY_REUSED}, nothing booked twice.
 */
@Component
class IdempotencyKeys {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    static final Duration RETENTION = Duration.ofHours(48);
    static final String HASH_PURPOSE = "idempotency request hash v1";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final PhiIndexKey hashKey;

    IdempotencyKeys(JdbcClient jdbc, Clock clock, @Value("${app.phi.index-key}") String indexKey) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.hashKey = PhiIndexKey.of(indexKey).derive(HASH_PURPOSE);
    }

    record Stored(int status, String body) {
    }

    /**
     * Claims the key for this request ({@code request}: a canonical text of everything the
     * response depends on). Returns the stored response when the same key was already used with
     * the same request; refuses a different request under the same key with 422.
     */
    Optional<Stored> claim(ClinicId clinic, UserId user, String key, String request) {
        if (key.isBlank() || key.length() > 200) {
            throw new ApiException.BadRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1-200 characters");
        }
        byte[] requestHash = requestHash(clinic, user, request);
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
        byte[] stored = (byte[]) existing[0];
        if (!MessageDigest.isEqual(stored, requestHash) && !MessageDigest.isEqual(stored, unkeyed(request))) {
            throw new ApiException.Unprocessable("IDEMPOTENCY_KEY_REUSED",
                    "Idempotency-Key was already used with a different request");
        }
        return Optional.of(new Stored((Integer) existing[1], (String) existing[2]));
    }

    /**
     * The fingerprint versions before the keyed hash stored (SHA-256 of the request): a retry of a
     * request stored just before an upgrade, or by an instance of the previous version during a
     * rolling one, still gets its stored answer. Only compared, never stored; such rows are gone
     * 48 hours after the upgrade, and this with them in the next release.
     */
    private static byte[] unkeyed(String request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored fingerprint of a request: keyed, so the request cannot be found from it by guessing. */
    byte[] requestHash(ClinicId clinic, UserId user, String request) {
        return hashKey.mac(clinic + "|" + user + "|" + request);
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
