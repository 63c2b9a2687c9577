package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * make db-backup → make db-restore into a fresh database, for real: data written through the API,
 * backed up by scripts/db-backup.sh, restored by scripts/db-restore.sh, and the restore checked
 * table by table, for its security (owners, grants, row-level security), with the audit-chain
 * verification of the packaged service, and by the service itself reading a patient's PHI from it.
 */
class BackupRoundTripIT extends ApiTest {

    @TempDir
    Path work;

    @Test
    void aBackupRestoresIntoAFreshDatabaseWithEveryRowItsSecurityAndVerifiableAuditChains() throws Exception {
        String canary = "Canary" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Clinic clinic = newClinic();
        User admin = clinic.user("CLINIC_ADMIN");
        String patient = clinic.patient(canary, "Backup", "1970-05-06");
        String practitioner = clinic.practitioner();
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.nextMonday(10)).status()).isEqualTo(201);
        Clinic other = newClinic();
        other.patient();
        AuditLog.awaitSealed(clinic.id);
        AuditLog.awaitSealed(other.id);

        BackupScripts backups = new BackupScripts(work);
        Commands.Result backup = backups.backup().orFail();
        assertThat(backup.output()).contains("db-backup: done, stamp ").doesNotContain(
                Files.readString(backups.passphrase).strip());
        Map<String, Long> sourceRows = BackupScripts.rowCounts(TestDatabase.NAME);
        Map<String, Long> sourceKeyRows = BackupScripts.rowCounts(TestDatabase.KEYS_NAME);

        for (String kind : new String[] {"data", "keys"}) {
            Path artefact = backups.newest(kind);
            byte[] bytes = Files.readAllBytes(artefact);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as("encrypted, not a pg_dump archive")
                    .doesNotStartWith("PGDMP").doesNotContain(canary).doesNotContain(clinic.id);
            assertThat(Commands.run(Duration.ofSeconds(20), "pg_restore", "--list", artefact.toString()).exitCode())
                    .as("pg_restore cannot read the artefact without decrypting it").isNotZero();
            assertThat(Files.readString(Path.of(artefact + ".sha256"))).as("checksum file")
                    .matches("[0-9a-f]{64}  " + artefact.getFileName() + "\n");
            assertThat(Files.readString(Path.of(artefact + ".manifest.json")))
                    .contains("\"kind\": \"" + kind + "\"", "\"postgresServerVersion\": \"15", "\"bytes\": " + bytes.length)
                    .doesNotContain(canary);
            assertThat(Commands.run(Duration.ofSeconds(20), "gpg", "--batch", "--list-packets", "--homedir",
                    work.resolve("gnupg-" + kind).toString(), artefact.toString()).output())
                    .as("OpenPGP symmetric encryption with AES-256 (cipher 9) and an integrity-protected packet (tag 18)")
                    .contains("symkey enc packet: version 4, cipher 9").contains("tag=18");
        }
        assertThat(String.join("\n", backups.files("data"))).as("the key store is never in the data backups")
                .doesNotContain(TestDatabase.KEYS_NAME);

        String target = BackupScripts.newTargetName();
        try {
            Commands.Result restore = backups.restore(target, Map.of("BACKUP", "latest")).orFail();
            assertThat(restore.output()).contains("checksum ok", "restored    " + target + " ", "restored    " + target + "_keys");

            assertThat(BackupScripts.rowCounts(target)).as("rows of every table of the data database")
                    .isEqualTo(sourceRows).containsEntry("patients", sourceRows.get("patients"));
            assertThat(sourceRows.get("patients")).isPositive();
            assertThat(BackupScripts.rowCounts(target + "_keys")).as("rows of every table of the key store")
                    .isEqualTo(sourceKeyRows);
            Commands.Result restoredCounts = Commands.run(Duration.ofSeconds(20), "scripts/backup/row-counts.sh", target).orFail();
            assertThat(restoredCounts.output()).as("the operator's comparison (scripts/backup/row-counts.sh)")
                    .isEqualTo(Commands.run(Duration.ofSeconds(20), "scripts/backup/row-counts.sh", TestDatabase.NAME).orFail().output())
                    .contains("patients " + sourceRows.get("patients") + "\n");
            assertThat(BackupScripts.securityOf(target)).as("owners, grants, row-level security, definer functions")
                    .isEqualTo(BackupScripts.securityOf(TestDatabase.NAME));
            assertThat(BackupScripts.securityOf(target + "_keys")).isEqualTo(BackupScripts.securityOf(TestDatabase.KEYS_NAME));
            assertRowLevelSecurityHoldsForTheApplication(target, clinic.id);

            try (RestoredService restored = new RestoredService(target, work)) {
                restored.start();
                Commands.Result verify = restored.auditVerify();
                assertThat(verify.output()).as("audit-verify on the restore")
                        .contains("VALID   chain=" + clinic.id + " checked=" + AuditLog.eventCount(clinic.id))
                        .contains("VALID   chain=" + other.id + " checked=" + AuditLog.eventCount(other.id))
                        .containsPattern("\\d+ chains, \\d+ events checked");

                Api api = restored.awaitHealthy();
                Api.Response login = api.post("/api/v1/auth/login", null, Map.of("email", admin.email(), "password", PASSWORD));
                assertThat(login.status()).as("%s", login).isEqualTo(200);
                Api.Response read = api.get("/api/v1/patients/" + patient, login.text("accessToken"));
                assertThat(read.status()).as("%s", read).isEqualTo(200);
                assertThat(read.text("givenName")).as("PHI decrypts with the restored key store").isEqualTo(canary);
            }
        } finally {
            BackupScripts.drop(target);
        }
        assertThat(BackupScripts.exists(target)).isFalse();
    }

    /** As hb_app (no BYPASSRLS) the restore shows nothing without a clinic, and only that clinic's rows with one. */
    private static void assertRowLevelSecurityHoldsForTheApplication(String database, String clinic) throws Exception {
        try (Connection app = DriverManager.getConnection(BackupScripts.url(database), "hb_app", "hb_app_dev")) {
            app.setAutoCommit(false);
            assertThat(count(app, "select count(*) from patients")).as("no clinic set: no rows").isZero();
            try (PreparedStatement s = app.prepareStatement("select set_config('app.clinic_id', ?, true)")) {
                s.setString(1, clinic);
                s.execute();
            }
            assertThat(count(app, "select count(*) from patients where clinic_id <> cast(current_setting('app.clinic_id') as uuid)"))
                    .as("another clinic's rows stay hidden").isZero();
            assertThat(count(app, "select count(*) from patients")).as("the clinic's own rows are visible").isEqualTo(1);
            app.rollback();
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
