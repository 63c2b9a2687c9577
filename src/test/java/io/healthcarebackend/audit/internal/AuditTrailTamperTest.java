package io.healthcarebackend.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The tamper demonstration: a database superuser (who can switch the append-only triggers off)
 * edits, deletes, inserts, reorders and rewrites audit history, and verification catches each.
 * Every case works on its own clinic, whose chain no other test touches.
 */
class AuditTrailTamperTest extends ApiTest {

    @Autowired
    AuditSealer sealer;

    @Autowired
    AuditVerifyCommand command;

    /** A clinic with a few audited bookings and reads, sealed and checkpointed. */
    private Clinic clinicWithHistory() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        for (int i = 0; i < 3; i++) {
            String patient = clinic.patient();
            Api.Response booked = clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(9 + i));
            assertThat(booked.status()).isEqualTo(201);
            assertThat(api.get("/api/v1/appointments/" + booked.text("id"), clinic.adminToken).status()).isEqualTo(200);
        }
        Sealing.sealAll(sealer, UUID.fromString(clinic.id));
        return clinic;
    }

    private JsonNode verify(Clinic clinic) {
        Api.Response response = api.post("/api/v1/audit-events/verify", clinic.adminToken, java.util.Map.of());
        assertThat(response.status()).isEqualTo(200);
        return response.body();
    }

    private List<UUID> eventIds(Clinic clinic) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select event_id from audit_chain where chain_id = ?::uuid order by seq")) {
            s.setString(1, clinic.id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** Runs statements as the superuser with the append-only triggers switched off, as an attacker would. */
    private static void tamper(String... statements) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            s.execute("set session_replication_role = replica");
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Test
    void anUntouchedTrailVerifies() {
        Clinic clinic = clinicWithHistory();
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isTrue();
        assertThat(result.get("checked").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(result.get("firstInvalidId").isNull()).isTrue();
    }

    @Test
    void theServiceRoleCannotUpdateOrDeleteAuditRowsAndNeitherCanTheTriggerBeBypassedByAccident() throws Exception {
        clinicWithHistory();
        try (Connection c = java.sql.DriverManager.getConnection(TestDatabase.jdbcUrl(), "hb_app", "hb_app_dev");
                Statement s = c.createStatement()) {
            assertThat(failure(s, "update audit_events set outcome = 'FAILURE'")).contains("permission denied");
            assertThat(failure(s, "delete from audit_events")).contains("permission denied");
            assertThat(failure(s, "delete from audit_chain")).contains("permission denied");
        }
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            assertThat(failure(s, "update audit_events set outcome = 'FAILURE'")).contains("append-only");
            assertThat(failure(s, "delete from audit_chain")).contains("append-only");
            assertThat(failure(s, "truncate audit_events")).contains("append-only");
        }
    }

    private static String failure(Statement s, String sql) {
        try {
            s.execute(sql);
            return "succeeded";
        } catch (java.sql.SQLException e) {
            return e.getMessage();
        }
    }

    @Test
    void anEditedEventIsDetected() throws Exception {
        Clinic clinic = clinicWithHistory();
        UUID victim = eventIds(clinic).get(2);
        tamper("update audit_events set outcome = 'DENIED' where id = '" + victim + "'");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstInvalidId").asString()).isEqualTo(victim.toString());
    }

    @Test
    void aDeletedEventIsDetected() throws Exception {
        Clinic clinic = clinicWithHistory();
        UUID victim = eventIds(clinic).get(1);
        tamper("delete from audit_events where id = '" + victim + "'");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstInvalidId").asString()).isEqualTo(victim.toString());
    }

    @Test
    void anEventDeletedTogetherWithItsLinkIsDetected() throws Exception {
        Clinic clinic = clinicWithHistory();
        List<UUID> ids = eventIds(clinic);
        tamper("delete from audit_events where id = '" + ids.get(1) + "'",
                "delete from audit_chain where event_id = '" + ids.get(1) + "'");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstInvalidId").asString()).isEqualTo(ids.get(2).toString());
    }

    @Test
    void anInsertedEventIsDetected() throws Exception {
        Clinic clinic = clinicWithHistory();
        UUID original = eventIds(clinic).get(0);
        UUID forged = UUID.randomUUID();
        // A forged event claiming the time and transaction of a real, already sealed one.
        tamper("insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, "
                + "resource_id, patient_id, outcome, emergency, tx) select '" + forged + "', clinic_id, at, actor_id, "
                + "actor_role, 'READ', resource_type, resource_id, patient_id, 'SUCCESS', false, tx "
                + "from audit_events where id = '" + original + "'");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstInvalidId").asString()).isEqualTo(forged.toString());
    }

    @Test
    void aBackdatedEventSlippedInAsNewIsDetected() throws Exception {
        Clinic clinic = clinicWithHistory();
        UUID forged = UUID.randomUUID();
        tamper("insert into audit_events (id, clinic_id, at, action, outcome) values ('" + forged + "', '"
                + clinic.id + "', now() - interval '1 hour', 'READ', 'SUCCESS')");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstInvalidId").asString()).isEqualTo(forged.toString());
    }

    @Test
    void reorderedEventsAreDetected() throws Exception {
        Clinic clinic = clinicWithHistory();
        List<UUID> ids = eventIds(clinic);
        tamper("update audit_chain set seq = -1 where chain_id = '" + clinic.id + "' and seq = 2",
                "update audit_chain set seq = 2 where chain_id = '" + clinic.id + "' and seq = 3",
                "update audit_chain set seq = 3 where chain_id = '" + clinic.id + "' and seq = -1");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("firstInvalidId").asString()).isEqualTo(ids.get(2).toString());
    }

    @Test
    void aConsistentlyRewrittenChainIsCaughtByTheSignedCheckpoint() throws Exception {
        Clinic clinic = clinicWithHistory();
        List<UUID> ids = eventIds(clinic);
        tamper("update audit_events set outcome = 'FAILURE' where id = '" + ids.get(1) + "'");
        rehash(clinic);
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("problem").asString()).contains("checkpoint");
    }

    @Test
    void aTruncatedChainIsCaughtByTheSignedCheckpoint() throws Exception {
        Clinic clinic = clinicWithHistory();
        List<UUID> ids = eventIds(clinic);
        UUID last = ids.getLast();
        tamper("delete from audit_events where id = '" + last + "'",
                "delete from audit_chain where event_id = '" + last + "'",
                "update audit_chain_heads set seq = seq - 1 where chain_id = '" + clinic.id + "'");
        JsonNode result = verify(clinic);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("problem").asString()).contains("checkpoint");
    }

    @Test
    void theVerifyCommandNamesTheBrokenChain() throws Exception {
        Clinic clinic = clinicWithHistory();
        UUID victim = eventIds(clinic).get(0);
        tamper("update audit_events set reason = 'edited' where id = '" + victim + "'");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = command.verifyAll(new PrintStream(out, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(1);
        assertThat(report).contains("INVALID chain=" + clinic.id).contains("firstInvalidId=" + victim);
    }

    /** What an attacker with the database but not the signing key does: recompute every link. */
    private static void rehash(Clinic clinic) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set session_replication_role = replica");
            }
            List<Object[]> links = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select c.seq, e.* from audit_chain c join audit_events e "
                    + "on e.id = c.event_id where c.chain_id = ?::uuid order by c.seq")) {
                s.setString(1, clinic.id);
                try (ResultSet rs = s.executeQuery()) {
                    byte[] previous = AuditCanonical.GENESIS;
                    while (rs.next()) {
                        byte[] hash = AuditCanonical.link(previous, AuditRows.map(rs, 0));
                        links.add(new Object[] {rs.getLong("seq"), previous, hash});
                        previous = hash;
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "update audit_chain set prev_hash = ?, hash = ? where chain_id = ?::uuid and seq = ?")) {
                for (Object[] link : links) {
                    s.setBytes(1, (byte[]) link[1]);
                    s.setBytes(2, (byte[]) link[2]);
                    s.setString(3, clinic.id);
                    s.setLong(4, (Long) link[0]);
                    s.executeUpdate();
                }
            }
            c.commit();
        }
    }
}
