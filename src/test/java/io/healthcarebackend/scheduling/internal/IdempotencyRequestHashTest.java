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
        Booking booking = newBooking(10);
        String reason = "Canaryhash " + UUID.randomUUID() + " chest pain";

        Api.Response first = send(booking, reason);
        assertThat(first.status()).as("%s", first).isEqualTo(201);

        byte[] stored = storedHash(booking.key());
        String canonical = booking.canonical(reason);
        ClinicId clinicId = ClinicId.of(booking.clinic().id);
        UserId user = new UserId(UUID.fromString(booking.clinic().adminId));
        assertThat(stored).as("not a plain SHA-256 of the request").isNotEqualTo(sha256(canonical))
                .isEqualTo(idempotency.requestHash(clinicId, user, canonical))
                .as("depends on the key").isNotEqualTo(
                        new IdempotencyKeys(null, Clock.systemUTC(), OTHER_KEY).requestHash(clinicId, user, canonical));

        Api.Response replay = send(booking, reason);
        assertThat(replay.status()).as("%s", replay).isEqualTo(201);
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(replay.text("reason")).isEqualTo(reason);

        assertProblem(send(booking, reason + " and more"), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(bookedFor(booking)).isEqualTo(1);
    }

    @Test
    void aRetryOfARequestStoredByThePreviousVersionGetsItsStoredAnswerAndBooksNothing() throws Exception {
        Booking booking = newBooking(11);
        Api.Response first = send(booking, "before the deploy");
        assertThat(first.status()).isEqualTo(201);
        // As a row written by the previous version: SHA-256 of the canonical request.
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "update idempotency_keys set request_hash = ? where key = ?")) {
            s.setBytes(1, sha256(booking.canonical("before the deploy")));
            s.setString(2, booking.key());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        Api.Response retry = send(booking, "before the deploy");
        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
        assertProblem(send(booking, "another reason"), 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(bookedFor(booking)).isEqualTo(1);
    }

    /** A booking request of a new clinic's patient and practitioner, at {@code hour} in two days, under a new key. */
    private Booking newBooking(int hour) {
        Clinic clinic = newClinic();
        return new Booking(clinic, clinic.patient(), clinic.practitioner(), clinic.at(2, hour, 0),
                "key-" + UUID.randomUUID());
    }

    private Api.Response send(Booking b, String reason) {
        return api.post("/api/v1/appointments", b.clinic().adminToken, Map.of("patientId", b.patient(),
                "practitionerId", b.practitioner(), "start", b.start().toString(), "end",
                b.start().plus(SLOT).toString(), "reason", reason), Map.of("Idempotency-Key", b.key()));
    }

    private record Booking(Clinic clinic, String patient, String practitioner, Instant start, String key) {

        /** As BookingService fingerprints it. */
        String canonical(String reason) {
            return BookingService.canonical(new BookingService.Booking(UUID.fromString(patient),
                    UUID.fromString(practitioner), start, start.plus(SLOT), reason, false));
        }
    }

    private int bookedFor(Booking booking) {
        return api.get("/api/v1/appointments?patientId=" + booking.patient(), booking.clinic().adminToken).items()
                .size();
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
