package io.healthcarebackend.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.audit.AuditExports;
import io.healthcarebackend.audit.AuditKeyGenerator;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Retention end to end on the real database: a clinic with audit history in March and April 2018
 * (written as the superuser, then chained by the real sealer); a retention run "in April 2025"
 * exports March, records it and drops its partitions; the export verifies on its own and catches
 * an edited line; the clinic's live chain still verifies from April on.
 */
class AuditRetentionTest extends ApiTest {

    /** The run's export directory (application-test.yml: one per database). */
    @Autowired
    DatabaseIdentity database;

    private static final LocalDate TODAY = LocalDate.of(2025, 4, 15); // March 2018 + 84 months has passed, April not

    @Autowired
    AuditSealer sealer;

    @Autowired
    AuditRetention retention;

    @Autowired
    CheckpointSigner signer;

    @Autowired
    AuditVerifier verifier;

    @Test
    void aMonthPastRetentionIsExportedVerifiableAndDroppedWhileTheChainStaysValid() throws Exception {
        UUID clinic = UUID.randomUUID();
        superuser("insert into clinics (id, name, time_zone) values ('" + clinic + "', 'Retention " + clinic
                + "', 'Europe/Berlin')", "select audit_ensure_partitions('2018-03-01', 2)");
        List<UUID> march = insertEvents(clinic, "2018-03-05", 3);
        Sealing.sealAll(sealer, clinic);
        List<UUID> april = insertEvents(clinic, "2018-04-02", 2);
        Sealing.sealAll(sealer, clinic);

        try (Connection app = DriverManager.getConnection(TestDatabase.jdbcUrl(), "hb_app", "hb_app_dev");
                Statement s = app.createStatement()) {
            assertThat(failure(s, "select audit_drop_partition('2018-03-01')")).contains("no recorded export");
            assertThat(failure(s, "select audit_drop_partition(now()::date)")).contains("younger than six years");
        }

        // One clinic keeping ten years holds the month for everyone.
        superuser("update clinics set audit_retention_months = 120 where id = '" + clinic + "'");
        assertThat(retention.run(TODAY).dropped()).isEmpty();
        assertThat(partitionExists("audit_events_y2018m03")).isTrue();
        superuser("update clinics set audit_retention_months = 84 where id = '" + clinic + "'");

        AuditRetention.Report report = retention.run(TODAY);
        assertThat(report.dropped()).containsExactly(YearMonth.of(2018, 3));
        assertThat(report.events()).isEqualTo(3);
        assertThat(partitionExists("audit_events_y2018m03")).isFalse();
        assertThat(partitionExists("audit_chain_y2018m03")).isFalse();
        assertThat(partitionExists("audit_events_y2018m04")).as("April is not past retention").isTrue();
        assertThat(partitionExists("audit_chain_y2018m04")).isTrue();

        Path file = exports().resolve("audit-2018-03.ndjson.gz");
        assertThat(file).exists();
        assertThat(recordedSha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        assertExportAudited(recordedSha256());

        // On its own: with the key in the file, with the trusted key, and against a wrong trusted key.
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(AuditExports.verify(new PrintStream(printed, true, StandardCharsets.UTF_8), file.toString()))
                .isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("valid: 3 events checked")
                .contains("only against the key inside the file");
        AuditExportVerifier.Result trusted = new AuditExportVerifier(List.of(
                CheckpointSigner.publicKey(signer.publicKeyBase64()))).verify(file);
        assertThat(trusted.valid()).isTrue();
        assertThat(trusted.checked()).isEqualTo(3);
        assertThat(trusted.trustedKey()).isTrue();
        String otherKey = AuditKeyGenerator.generate().split(":")[1];
        assertThat(AuditExports.verify(new PrintStream(new ByteArrayOutputStream()), file.toString(),
                "--public-key", otherKey)).isEqualTo(1);

        // An edited outcome in the file is caught and named.
        Path edited = exports().resolve("edited-2018-03.ndjson.gz");
        rewrite(file, edited, march.get(1), "\"outcome\":\"SUCCESS\"", "\"outcome\":\"FAILURE\"");
        AuditExportVerifier.Result tampered = new AuditExportVerifier(List.of()).verify(edited);
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.firstInvalidId()).isEqualTo(march.get(1));
        ByteArrayOutputStream invalid = new ByteArrayOutputStream();
        assertThat(AuditExports.verify(new PrintStream(invalid, true, StandardCharsets.UTF_8), edited.toString()))
                .isEqualTo(1);
        assertThat(invalid.toString(StandardCharsets.UTF_8)).contains("INVALID").contains(march.get(1).toString());

        // The live chain of the clinic continues from the exported March links.
        String token = adminOf(clinic);
        Api.Response verified = api.post("/api/v1/audit-events/verify", token, Map.of());
        assertThat(verified.status()).isEqualTo(200);
        JsonNode body = verified.body();
        assertThat(body.get("valid").asBoolean()).as("%s", body).isTrue();
        assertThat(body.get("checked").asLong()).isGreaterThanOrEqualTo(april.size());

        // A second run finds nothing more to do.
        assertThat(retention.run(TODAY).dropped()).isEmpty();
    }

    @Test
    void aChainWhollyExportedStillVerifiesAndAMonthWithAnEventOutsideTheChainIsKept() throws Exception {
        UUID exported = UUID.randomUUID();
        UUID tampered = UUID.randomUUID();
        superuser("insert into clinics (id, name, time_zone) values ('" + exported + "', 'Retention " + exported
                + "', 'UTC'), ('" + tampered + "', 'Retention " + tampered + "', 'UTC')",
                "select audit_ensure_partitions('2017-05-01', 2)");
        insertEvents(exported, "2017-05-10", 2);
        Sealing.sealAll(sealer, exported);
        // Claims an ancient transaction id, so the sealer never chains it: an insertion behind the chain's back.
        superuser("insert into audit_events (id, clinic_id, at, action, outcome, tx) values ('" + UUID.randomUUID()
                + "', '" + tampered + "', '2017-06-10 10:00:00+00', 'READ', 'SUCCESS', '1')");

        AuditRetention.Report report = retention.run(TODAY);
        assertThat(report.dropped()).contains(YearMonth.of(2017, 5)).doesNotContain(YearMonth.of(2017, 6));
        assertThat(partitionExists("audit_events_y2017m05")).isFalse();
        assertThat(partitionExists("audit_events_y2017m06")).as("kept: dropping it would destroy evidence").isTrue();

        AuditVerifier.Result live = verifier.verify(new ClinicId(exported), null, null);
        assertThat(live.valid()).as("%s", live).isTrue();
        assertThat(live.checked()).isZero();
    }

    private List<UUID> insertEvents(UUID clinic, String day, int count) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "insert into audit_events (id, clinic_id, at, actor_id, actor_role, action, resource_type, "
                        + "resource_id, outcome, ip) values (?, ?, ?::timestamptz, ?, 'CLINIC_ADMIN', 'READ', "
                        + "'Patient', ?, 'SUCCESS', '203.0.113.7')")) {
            for (int i = 0; i < count; i++) {
                UUID id = UUID.randomUUID();
                s.setObject(1, id);
                s.setObject(2, clinic);
                s.setString(3, day + " 10:0" + i + ":00.123456+00");
                s.setObject(4, UUID.randomUUID());
                s.setObject(5, UUID.randomUUID());
                s.executeUpdate();
                ids.add(id);
            }
        }
        return ids;
    }

    /** Creates a clinic administrator through the platform API and logs in. */
    private String adminOf(UUID clinic) {
        String email = "retention-" + UUID.randomUUID() + "@tests.invalid";
        Api.Response admin = api.post("/api/v1/clinics/" + clinic + "/users", platformToken(),
                Map.of("email", email, "name", "Admin", "role", "CLINIC_ADMIN", "password", PASSWORD));
        assertThat(admin.status()).as("%s", admin).isEqualTo(201);
        return login(email, PASSWORD);
    }

    private static void rewrite(Path from, Path to, UUID eventId, String find, String replace) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(from)), StandardCharsets.UTF_8))) {
            in.lines().forEach(lines::add);
        }
        boolean changed = false;
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(to)),
                StandardCharsets.UTF_8)) {
            for (String line : lines) {
                if (line.contains("\"id\":\"" + eventId + "\"") && line.contains(find)) {
                    line = line.replace(find, replace);
                    changed = true;
                }
                out.write(line + "\n");
            }
        }
        assertThat(changed).as("the line of %s was edited", eventId).isTrue();
    }

    private static boolean partitionExists(String name) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select count(*) from pg_class where relname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** The export itself is on the platform trail, with the month and the file's digest. */
    private static void assertExportAudited(String sha256) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select reason from audit_events where action = 'EXPORT' "
                        + "and clinic_id is null and reason like 'audit month 2018-03 %'")) {
            assertThat(rs.next()).as("an EXPORT event for 2018-03").isTrue();
            assertThat(rs.getString(1)).contains(sha256);
        }
    }

    private static String recordedSha256() throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select sha256 from audit_exports where month = '2018-03-01'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void superuser(String... statements) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
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

    private Path exports() {
        return Path.of("target/test-audit-exports", database.id().toString());
    }
}
