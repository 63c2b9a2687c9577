package io.healthcarebackend.scheduling.internal;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The idempotency table keeps a fingerprint of each request, and a request is PHI (a patient, a
 * time, free text): the fingerprint is a keyed HMAC, never a plain digest that a database dump
 * would let anyone match against guessed requests. Replays and the mismatch rule work as before,
 * and a row written under the old unkeyed digest (before the deploy) is a mismatch, not an error.
 */
class IdempotencyRequestHashTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);
    private static final String OTHER_KEY = "YW5vdGhlci1pbmRleC1rZXktb2YtYXQtbGVhc3QtMzItYnl0ZXM";

    @Autowired
    IdempotencyKeys idempotency;

    @Value("${app.phi.index-key}")
    String indexKey;

    @Test
    void theStoredRequestHashIsAKeyedHmacWhileReplaysAndTheMismatchRuleWorkAsBefore() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(2, 10, 0);
        String reason = "Canaryhash " + UUID.randomUUID() + " chest pain";
        String key = "key-" + UUID.randomUUID();

        Api.Response first = book(clinic, patient, practitioner, start, reason, key);
        assertThat(first.status()).as("%s", first).isEqualTo(201);

        byte[] stored = storedHash(key);
        String canonical = canonical(patient, practitioner, start, reason);
        ClinicId clinicId = ClinicId.of(clinic.id);
        UserId user = new UserId(UUID.fromString(clinic.adminId));
        assertThat(stored).as("not a plain SHA-256 of the request").isNotEqualTo(sha256(canonical))
                .isEqualTo(idempotency.requestHash(clinicId, user, canonical))
                .as("depends on the key").isNotEqualTo(
                        new IdempotencyKeys(null, Clock.systemUTC(), OTHER_KEY).requestHash(clinicId, user, canonical));

        Api.Response replay = book(clinic, patient, practitioner, start, reason, key);
        assertThat(replay.status()).as("%s", replay).isEqualTo(201);
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(replay.text("reason")).isEqualTo(reason);

        Api.Response other = book(clinic, patient, practitioner, start, reason + " and more", key);
        assertProblem(other, 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(bookedFor(clinic, patient)).isEqualTo(1);
    }

    @Test
    void aRetryOfARequestStoredUnderTheOldUnkeyedDigestGetsTheMismatchAnswerAndBooksNothing() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(2, 11, 0);
        String key = "key-" + UUID.randomUUID();
        assertThat(book(clinic, patient, practitioner, start, "before the deploy", key).status()).isEqualTo(201);
        // As a row written by the previous version: SHA-256 of the canonical request.
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update idempotency_keys set request_hash = ? where key = ?")) {
            s.setBytes(1, sha256(canonical(patient, practitioner, start, "before the deploy")));
            s.setString(2, key);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        Api.Response retry = book(clinic, patient, practitioner, start, "before the deploy", key);

        assertProblem(retry, 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(bookedFor(clinic, patient)).isEqualTo(1);
    }

    private Api.Response book(Clinic clinic, String patient, String practitioner, Instant start, String reason,
            String key) {
        return api.post("/api/v1/appointments", clinic.adminToken, Map.of("patientId", patient, "practitionerId",
                practitioner, "start", start.toString(), "end", start.plus(SLOT).toString(), "reason", reason),
                Map.of("Idempotency-Key", key));
    }

    private static String canonical(String patient, String practitioner, Instant start, String reason) {
        return BookingService.canonical(new BookingService.Booking(UUID.fromString(patient),
                UUID.fromString(practitioner), start, start.plus(SLOT), reason, false));
    }

    private int bookedFor(Clinic clinic, String patient) {
        return api.get("/api/v1/appointments?patientId=" + patient, clinic.adminToken).items().size();
    }

    private static byte[] storedHash(String key) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select request_hash from idempotency_keys where key = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("the key's row").isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
