package io.healthcarebackend.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Several events of one call are stored with one multi-row INSERT (unnest of one array per
 * column): every column comes back as written, nulls and the emergency flag included, every row
 * gets its transaction (tx) like a single-row insert, and the clinic's chain still verifies.
 */
class AuditMultiRowInsertTest extends ApiTest {

    private static final String REASON = "unconscious in the waiting room";

    @Autowired
    AuditWriter writer;

    @Autowired
    AuditSealer sealer;

    @Autowired
    AuditVerifier verifier;

    @Test
    void aGroupCommitOfSeveralClinicsStoresEveryColumnAsWrittenAndTheChainsVerify() throws Exception {
        Clinic first = newClinic();
        Clinic second = newClinic();
        UUID a = UUID.fromString(first.id);
        UUID b = UUID.fromString(second.id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID actor = UUID.randomUUID();
        UUID patient = UUID.randomUUID();
        List<StoredEvent> events = List.of(
                new StoredEvent(Ids.newId(), a, now, actor, "PRACTITIONER", "READ", "Patient", patient, patient,
                        "SUCCESS", "203.0.113.7", "Agent/1.0 \"quoted\", {braced} back\\slash", "trace-1", true,
                        REASON),
                new StoredEvent(Ids.newId(), b, now.plusNanos(1_000), null, null, "LOGIN_FAILED", "StaffUser",
                        UUID.randomUUID(), null, "FAILURE", null, null, null, false, null),
                new StoredEvent(Ids.newId(), a, now.plusNanos(2_000), actor, "PRACTITIONER", "READ", "Patient",
                        UUID.randomUUID(), UUID.randomUUID(), "SUCCESS", "2001:db8::1", "NULL", "", false, null),
                new StoredEvent(Ids.newId(), a, now.minusSeconds(1), null, null, "EXPORT", null, null, null,
                        "DENIED", "", "", "trace-3", false, "ünïcödé, with a comma"),
                new StoredEvent(Ids.newId(), b, now.plusNanos(3_000), actor, "RECEPTIONIST", "UPDATE", "Patient",
                        patient, patient, "SUCCESS", "198.51.100.1", "curl/8", "trace-4", true, REASON));

        writer.submit(events).get(10, TimeUnit.SECONDS);

        assertThat(stored(events)).containsExactlyInAnyOrderElementsOf(events);
        assertThat(transactions(events)).as("one group commit: every row has its transaction id").hasSize(1)
                .doesNotContainNull();

        for (Clinic clinic : List.of(first, second)) {
            UUID id = UUID.fromString(clinic.id);
            Sealing.sealAll(sealer, id);
            AuditVerifier.Result result = verifier.verify(new ClinicId(id), null, null);
            assertThat(result.valid()).as("%s", result).isTrue();
            assertThat(result.checked()).isEqualTo(AuditLog.eventCount(clinic.id));
        }
    }

    @Test
    void aSearchAuditsEveryPatientReturnedInOneStatementAndTheChainVerifies() throws Exception {
        Clinic clinic = newClinic();
        User nurse = clinic.user("RECEPTIONIST");
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            patients.add(clinic.patient("Given" + i, "Unnestfamily", "1980-02-0" + (i + 1)));
        }
        String restricted = patients.get(1);
        assertThat(api.put("/api/v1/patients/" + restricted + "/restriction", clinic.adminToken,
                Map.of("restricted", true)).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/patients/" + restricted + "/emergency-access", nurse.token(),
                Map.of("reason", REASON)).status()).isEqualTo(200);
        Trace trace = Trace.next();

        Api.Response found = api.post("/api/v1/patients/search", nurse.token(),
                Map.of("name", "Unnestfamily", "limit", 20), trace.headers());

        assertThat(found.items()).extracting(p -> p.path("id").asString())
                .containsExactlyInAnyOrderElementsOf(patients);
        List<Map<String, String>> rows = AuditLog.eventsOf(trace);
        assertThat(rows).extracting(r -> r.get("patient_id")).containsExactlyInAnyOrderElementsOf(patients);
        assertThat(rows).extracting(r -> r.get("id")).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(rows).extracting(r -> r.get("at")).doesNotContainNull();
        assertThat(rows).extracting(r -> r.get("tx")).as("one transaction").containsOnly(rows.getFirst().get("tx"))
                .doesNotContainNull();
        for (Map<String, String> row : rows) {
            String patient = row.get("patient_id");
            Map<String, String> expected = new HashMap<>();
            expected.put("clinic_id", clinic.id);
            expected.put("actor_id", nurse.id());
            expected.put("actor_role", "RECEPTIONIST");
            expected.put("action", "READ");
            expected.put("resource_type", "Patient");
            expected.put("resource_id", patient);
            expected.put("patient_id", patient);
            expected.put("outcome", "SUCCESS");
            expected.put("ip", "127.0.0.1");
            expected.put("user_agent", AuditLog.USER_AGENT);
            expected.put("trace_id", trace.id());
            expected.put("emergency", patient.equals(restricted) ? "t" : "f");
            expected.put("reason", patient.equals(restricted) ? REASON : null);
            Map<String, String> actual = new HashMap<>(row);
            actual.keySet().removeAll(List.of("id", "at", "tx"));
            assertThat(actual).as("audit row of %s", patient).isEqualTo(expected);
        }

        AuditLog.awaitSealed(clinic.id);
        Api.Response verified = api.post("/api/v1/audit-events/verify", clinic.adminToken, Map.of());
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.body().get("valid").asBoolean()).as("%s", verified).isTrue();
        assertThat(verified.body().get("checked").asLong()).isEqualTo(AuditLog.eventCount(clinic.id));
    }

    /** The rows stored under the events' ids, read as the superuser (past row-level security). */
    private static List<StoredEvent> stored(List<StoredEvent> events) throws Exception {
        List<StoredEvent> rows = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select * from audit_events where id = any(?)")) {
            s.setArray(1, ids(c, events));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(AuditRows.map(rs, 0));
                }
            }
        }
        return rows;
    }

    /** The distinct transaction ids (tx) of the events' rows. */
    private static List<String> transactions(List<StoredEvent> events) throws Exception {
        List<String> tx = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select distinct tx::text from audit_events where id = any(?)")) {
            s.setArray(1, ids(c, events));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tx.add(rs.getString(1));
                }
            }
        }
        return tx;
    }

    private static Array ids(Connection c, List<StoredEvent> events) throws SQLException {
        return c.createArrayOf("uuid", events.stream().map(StoredEvent::id).toArray(UUID[]::new));
    }
}
