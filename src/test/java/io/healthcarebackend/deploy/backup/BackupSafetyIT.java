package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.TestDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What make db-backup and make db-restore refuse: unencrypted backups, damaged or modified
 * artefacts, a wrong passphrase, overwriting a database that holds data; and what retention deletes.
 * (Extends ApiTest so the run's database holds the service's schema.)
 */
class BackupSafetyIT extends ApiTest {

    @TempDir
    Path work;

    @Test
    void aFlippedByteIsRefusedByTheChecksumAndNothingIsRestored() throws Exception {
        BackupScripts backups = new BackupScripts(work);
        backups.backup().orFail();
        flipAByte(backups.newest("data"));
        String target = BackupScripts.newTargetName();

        Commands.Result restore = backups.restore(target, Map.of("BACKUP", "latest"));

        assertThat(restore.exitCode()).as(restore.output()).isEqualTo(1);
        assertThat(restore.output()).contains("checksum mismatch").contains("refusing to restore");
        assertThat(BackupScripts.exists(target)).isFalse();
    }

    @Test
    void aFlippedByteWithARewrittenChecksumStillFailsDecryption() throws Exception {
        BackupScripts backups = new BackupScripts(work);
        backups.backup().orFail();
        Path artefact = backups.newest("data");
        String before = sha256(artefact);
        flipAByte(artefact);
        String after = sha256(artefact);
        for (Path file : List.of(Path.of(artefact + ".sha256"), Path.of(artefact + ".manifest.json"))) {
            Files.writeString(file, Files.readString(file).replace(before, after));
        }
        String target = BackupScripts.newTargetName();

        Commands.Result restore = backups.restore(target, Map.of("BACKUP", "latest"));

        assertThat(restore.exitCode()).as(restore.output()).isEqualTo(1);
        assertThat(restore.output()).contains("checksum ok").contains("cannot decrypt").contains("modified");
        assertThat(BackupScripts.exists(target)).isFalse();
    }

    @Test
    void aWrongPassphraseFailsAndNothingIsRestored() throws Exception {
        BackupScripts backups = new BackupScripts(work);
        backups.backup().orFail();
        Path wrong = BackupScripts.writePassphrase(work.resolve("wrong"), "not-the-passphrase-of-this-backup");
        String target = BackupScripts.newTargetName();

        Path manifest = Path.of(backups.newest("data") + ".manifest.json");

        Commands.Result restore = backups.restore(target,
                Map.of("BACKUP", manifest.toString(), "BACKUP_PASSPHRASE_FILE", wrong.toString()));

        assertThat(restore.exitCode()).as(restore.output()).isEqualTo(1);
        assertThat(restore.output()).as("the set named by its manifest").contains("checksum ok  " + TestDatabase.KEYS_NAME)
                .contains("cannot decrypt").contains("wrong passphrase");
        assertThat(BackupScripts.exists(target)).isFalse();
    }

    @Test
    void withoutAPassphraseNoBackupIsWritten() throws Exception {
        BackupScripts backups = new BackupScripts(work);

        Commands.Result backup = backups.backup(Map.of("BACKUP_PASSPHRASE_FILE", ""));

        assertThat(backup.exitCode()).as(backup.output()).isEqualTo(1);
        assertThat(backup.output()).contains("no passphrase").contains("never written unencrypted");
        assertThat(backups.dir).doesNotExist();
    }

    @Test
    void aDatabaseThatHoldsDataIsNeverOverwritten() throws Exception {
        BackupScripts backups = new BackupScripts(work);
        backups.backup().orFail();
        long clinics = BackupScripts.rowCounts(TestDatabase.NAME).get("clinics");

        Commands.Result restore = backups.restore(TestDatabase.NAME, Map.of("BACKUP", "latest"));

        assertThat(restore.exitCode()).as(restore.output()).isEqualTo(1);
        assertThat(restore.output()).contains("database " + TestDatabase.NAME + " exists and is not empty");
        assertThat(BackupScripts.rowCounts(TestDatabase.NAME)).containsEntry("clinics", clinics);
    }

    @Test
    void theRunbooksReadOnlyBackupRoleDumpsEveryRowAndWithoutBypassRlsTheBackupFails() throws Exception {
        String role = BackupScripts.newTargetName().replace("hb_restore_", "hb_backup_");
        String target = BackupScripts.newTargetName();
        try (Connection admin = TestDatabase.admin(); Statement s = admin.createStatement()) {
            // The statement docs/runbooks/backup-and-restore.md gives for the backup role.
            s.execute("CREATE ROLE " + role + " LOGIN BYPASSRLS IN ROLE pg_read_all_data");
            try {
                BackupScripts backups = new BackupScripts(work);
                backups.backup(Map.of("DATABASE_ADMIN_USER", role)).orFail();
                backups.restore(target, Map.of("BACKUP", "latest")).orFail();
                assertThat(BackupScripts.rowCounts(target)).isEqualTo(BackupScripts.rowCounts(TestDatabase.NAME));
                assertThat(BackupScripts.rowCounts(target)).containsKey("patients");

                s.execute("ALTER ROLE " + role + " NOBYPASSRLS");
                Commands.Result filtered = backups.backup(Map.of("DATABASE_ADMIN_USER", role));
                assertThat(filtered.exitCode()).as("never a backup silently filtered by row-level security").isEqualTo(1);
                assertThat(filtered.output()).contains("row-level security");
            } finally {
                BackupScripts.drop(target);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void retentionDeletesOldAndSurplusArtefactsOfItsOwnDatabaseOnlyAndKeepsTheNewest() throws Exception {
        BackupScripts backups = new BackupScripts(work);
        backups.backup().orFail();
        String first = stamp(backups.newest("data"));
        String old = LocalDateTime.now(ZoneOffset.UTC).minusDays(40).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        for (String kind : new String[] {"data", "keys"}) {
            for (String file : backups.files(kind)) {
                Files.copy(backups.dir.resolve(kind).resolve(file), backups.dir.resolve(kind).resolve(file.replace(first, old)));
            }
        }
        Files.writeString(backups.dir.resolve("data/notes.txt"), "an operator's file");
        Files.writeString(backups.dir.resolve("data/otherdb-" + old + ".dump.gpg"), "another database's backup");

        Commands.Result second = backups.backup(Map.of("BACKUP_KEEP_DAYS", "30", "BACKUP_KEYS_KEEP_DAYS", "30")).orFail();
        String secondStamp = stamp(backups.newest("data"));
        assertThat(second.output()).contains("retention removed data/" + TestDatabase.NAME + "-" + old + ".dump.gpg",
                "retention removed keys/" + TestDatabase.KEYS_NAME + "-" + old + ".dump.gpg");
        assertThat(artefacts(backups, "data")).containsExactly(first, secondStamp);

        backups.backup(Map.of("BACKUP_KEEP_COUNT", "2", "BACKUP_KEYS_KEEP_COUNT", "1")).orFail();
        String third = stamp(backups.newest("data"));
        assertThat(artefacts(backups, "data")).as("data: the two newest").containsExactly(secondStamp, third);
        assertThat(artefacts(backups, "keys")).as("key store: its own, shorter retention").containsExactly(third);
        assertThat(backups.files("data")).as("each kept artefact with its checksum and manifest; other files untouched")
                .hasSize(2 * 3 + 2).contains("notes.txt", "otherdb-" + old + ".dump.gpg");
        assertThat(backups.files("keys")).hasSize(3);
    }

    /** The stamps of the artefacts of a kind, oldest first. */
    private static List<String> artefacts(BackupScripts backups, String kind) {
        String prefix = BackupScripts.databaseOf(kind) + "-";
        return backups.files(kind).stream().filter(f -> f.startsWith(prefix) && f.endsWith(".dump.gpg"))
                .map(f -> f.substring(prefix.length(), f.length() - ".dump.gpg".length())).toList();
    }

    private static String stamp(Path artefact) {
        String name = artefact.getFileName().toString();
        return name.substring(name.lastIndexOf('-') + 1, name.length() - ".dump.gpg".length());
    }

    private static void flipAByte(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
