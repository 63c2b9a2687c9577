package io.healthcarebackend.scheduling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Dumps;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An appointment's free text is PHI: the reason and the cancellation reason reach no backup in
 * plaintext (not in the appointments, not in the stored idempotent responses, in no encoding),
 * while the API still shows them; text written in plaintext before encryption is sealed by the
 * one-time start-up step.
 */
class AppointmentTextEncryptionTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);

    @Autowired
    LegacyTextSealer sealer;

    @Test
    void reasonsAndCancelReasonsAreInNoDumpInAnyEncodingAndTheApiStillShowsThem() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        String reason = "Canaryreason " + run + " suspected relapse";
        String idempotentReason = "Canaryidem " + run + " chest pain";
        String cancelReason = "Canarycancel " + run + " admitted to psychiatry";
        String key = "key-" + UUID.randomUUID();

        String plain = book(clinic, patient, practitioner, clinic.at(2, 10, 0), reason, null).text("id");
        Api.Response once = book(clinic, patient, practitioner, clinic.at(2, 11, 0), idempotentReason, key);
        assertThat(once.status()).as("%s", once).isEqualTo(201);
        String cancelled = book(clinic, patient, practitioner, clinic.at(2, 12, 0), null, null).text("id");
        assertThat(api.post("/api/v1/appointments/" + cancelled + "/cancel", clinic.adminToken,
                Map.of("reason", cancelReason)).status()).isEqualTo(200);

        String data = Dumps.dump(TestDatabase.NAME);
        String keys = Dumps.dump(TestDatabase.KEYS_NAME);
        assertThat(data).as("the dump holds the appointments").contains(plain, once.text("id"), cancelled);
        List<String> canaries = List.of(reason, idempotentReason, cancelReason, "Canaryreason " + run,
                "Canaryidem " + run, "Canarycancel " + run);
        assertThat(Dumps.found(data, canaries)).as("in the data dump").isEmpty();
        assertThat(Dumps.found(keys, canaries)).as("in the key store dump").isEmpty();

        assertThat(api.get("/api/v1/appointments/" + plain, clinic.adminToken).text("reason")).isEqualTo(reason);
        assertThat(once.text("reason")).isEqualTo(idempotentReason);
        Api.Response replay = book(clinic, patient, practitioner, clinic.at(2, 11, 0), idempotentReason, key);
        assertThat(replay.status()).as("%s", replay).isEqualTo(201);
        assertThat(replay.text("id")).isEqualTo(once.text("id"));
        assertThat(replay.text("reason")).isEqualTo(idempotentReason);
        assertThat(api.get("/api/v1/appointments/" + cancelled, clinic.adminToken).text("cancelReason"))
                .isEqualTo(cancelReason);
        List<String> listed = api.get("/api/v1/appointments?patientId=" + patient, clinic.adminToken).items().stream()
                .map(a -> text(a.path("reason")) + "/" + text(a.path("cancelReason"))).toList();
        assertThat(listed).containsExactly(reason + "/-", idempotentReason + "/-", "-/" + cancelReason);
    }

    @Test
    void ciphertextMovedToAnotherAppointmentIsRefusedNotShown() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        String secret = "Canarymoved " + run;
        String victim = book(clinic, patient, practitioner, clinic.at(2, 10, 0), secret, null).text("id");
        String target = book(clinic, patient, practitioner, clinic.at(2, 11, 0), "other", null).text("id");

        superuser("update appointments set reason_sealed = (select reason_sealed from appointments where id = ?) "
                + "where id = ?", victim, target);

        Api.Response read = api.get("/api/v1/appointments/" + target, clinic.adminToken);
        assertThat(read.status()).as("%s", read).isEqualTo(500);
        assertThat(read.text("code")).isEqualTo("RECORD_UNREADABLE");
        assertThat(read.raw().body()).doesNotContain(secret);
    }

    @Test
    void plaintextWrittenBeforeEncryptionIsSealedAtStartUpAndStillReadable() throws Exception {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        String legacyReason = "Canarylegacy " + run + " reason";
        String legacyCancel = "Canarylegacy " + run + " cancel";
        String booked = book(clinic, patient, practitioner, clinic.at(2, 10, 0), null, null).text("id");
        String cancelled = book(clinic, patient, practitioner, clinic.at(2, 11, 0), null, null).text("id");
        assertThat(api.post("/api/v1/appointments/" + cancelled + "/cancel", clinic.adminToken,
                Map.of("reason", "replaced")).status()).isEqualTo(200);
        // As rows of a version before V16 were: plaintext in the text columns, nothing sealed.
        superuser("update appointments set reason = '" + legacyReason + "', reason_sealed = null where id = ?", booked);
        superuser("update appointments set cancel_reason = '" + legacyCancel + "', cancel_reason_sealed = null "
                + "where id = ?", cancelled);
        assertThat(api.get("/api/v1/appointments/" + booked, clinic.adminToken).text("reason"))
                .isEqualTo(legacyReason);

        assertThat(sealer.sealAll()).isGreaterThanOrEqualTo(2);

        String data = Dumps.dump(TestDatabase.NAME);
        assertThat(Dumps.found(data, List.of("Canarylegacy " + run))).as("in the data dump").isEmpty();
        assertThat(plaintextRows()).isZero();
        assertThat(api.get("/api/v1/appointments/" + booked, clinic.adminToken).text("reason"))
                .isEqualTo(legacyReason);
        assertThat(api.get("/api/v1/appointments/" + cancelled, clinic.adminToken).text("cancelReason"))
                .isEqualTo(legacyCancel);
        assertThat(sealer.sealAll()).as("nothing left to seal").isZero();
    }

    private Api.Response book(Clinic clinic, String patient, String practitioner, Instant start, String reason,
            String key) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("patientId", patient, "practitionerId",
                practitioner, "start", start.toString(), "end", start.plus(SLOT).toString()));
        if (reason != null) {
            body.put("reason", reason);
        }
        Api.Response response = key == null ? api.post("/api/v1/appointments", clinic.adminToken, body)
                : api.post("/api/v1/appointments", clinic.adminToken, body, Map.of("Idempotency-Key", key));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response;
    }

    private static String text(tools.jackson.databind.JsonNode node) {
        return node.isNull() || node.isMissingNode() ? "-" : node.asString();
    }

    private static int plaintextRows() throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select count(*) from appointments where reason is not null or cancel_reason is not null");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void superuser(String sql, String... ids) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.length; i++) {
                s.setObject(i + 1, UUID.fromString(ids[i]));
            }
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
