package io.healthcarebackend.deploy.backup;

import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs scripts/db-backup.sh and scripts/db-restore.sh against this run's test database (the data
 * database {@link TestDatabase#NAME} and its key store) the way an operator does, and reads back
 * what they produced.
 */
final class BackupScripts {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    final Path dir;
    final Path passphrase;

    /** Backups into {@code root/backups}, encrypted with a fresh random passphrase kept in {@code root}. */
    BackupScripts(Path root) {
        this.dir = root.resolve("backups");
        this.passphrase = writePassphrase(root.resolve("passphrase"), UUID.randomUUID() + "-" + UUID.randomUUID());
    }

    static Path writePassphrase(Path file, String value) {
        try {
            Files.writeString(file, value + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_NAME", TestDatabase.NAME);
        env.put("DATABASE_HOST", TestDatabase.HOST);
        env.put("DATABASE_PORT", TestDatabase.PORT);
        env.put("BACKUP_DIR", dir.toString());
        env.put("BACKUP_PASSPHRASE_FILE", passphrase.toString());
        return env;
    }

    Commands.Result backup(Map<String, String> extra) {
        Map<String, String> env = env();
        env.putAll(extra);
        return Commands.run(DEADLINE, env, "scripts/db-backup.sh");
    }

    Commands.Result backup() {
        return backup(Map.of());
    }

    Commands.Result restore(String target, Map<String, String> extra) {
        Map<String, String> env = env();
        env.put("TARGET_DB", target);
        env.putAll(extra);
        return Commands.run(DEADLINE, env, "scripts/db-restore.sh");
    }

    /** File names in {@code data} or {@code keys}, sorted. */
    List<String> files(String kind) {
        try (Stream<Path> files = Files.list(dir.resolve(kind))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database whose artefacts are of this kind: the data database or its key store. */
    static String databaseOf(String kind) {
        return kind.equals("keys") ? TestDatabase.KEYS_NAME : TestDatabase.NAME;
    }

    /** The newest artefact (.dump.gpg) of a kind. */
    Path newest(String kind) {
        return files(kind).stream().filter(f -> f.startsWith(databaseOf(kind) + "-") && f.endsWith(".dump.gpg"))
                .reduce((a, b) -> b)
                .map(dir.resolve(kind)::resolve).orElseThrow(() -> new AssertionError("no " + kind + " backup in " + dir));
    }

    static String newTargetName() {
        return "hb_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "");
    }

    static String url(String database) {
        return "jdbc:postgresql://" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + database;
    }

    static boolean exists(String database) throws SQLException {
        try (Connection c = TestDatabase.admin(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_database where datname = '" + database + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    /** Drops a restored pair (data and key store). */
    static void drop(String target) throws SQLException {
        TestDatabase.dropPair(target);
    }

    /** Rows of every table (partitions included) of a database, read as the superuser. */
    static Map<String, Long> rowCounts(String database) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = superuser(database); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where n.nspname = 'public' and c.relkind in ('r', 'p')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select count(*) from \"" + table + "\"")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /**
     * What protects every table: owner, privileges, row-level security flags and policies. Equal
     * between a database and its restore when ownership, grants and RLS survived.
     */
    static List<String> securityOf(String database) throws SQLException {
        List<String> facts = new ArrayList<>();
        try (Connection c = superuser(database); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select c.relname, pg_get_userbyid(c.relowner), coalesce(c.relacl::text, ''),"
                    + " c.relrowsecurity, c.relforcerowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                    + " where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'S') order by 1")) {
                while (rs.next()) {
                    facts.add("table " + rs.getString(1) + " owner=" + rs.getString(2) + " acl=" + rs.getString(3)
                            + " rls=" + rs.getBoolean(4) + " force=" + rs.getBoolean(5));
                }
            }
            try (ResultSet rs = s.executeQuery("select tablename, policyname, permissive, roles::text, cmd,"
                    + " coalesce(qual, ''), coalesce(with_check, '') from pg_policies order by 1, 2")) {
                while (rs.next()) {
                    facts.add("policy " + rs.getString(1) + "." + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4) + " " + rs.getString(5) + " using(" + rs.getString(6) + ") check("
                            + rs.getString(7) + ")");
                }
            }
            try (ResultSet rs = s.executeQuery("select p.proname, pg_get_userbyid(p.proowner), p.prosecdef from pg_proc p"
                    + " join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public' order by 1, 2")) {
                while (rs.next()) {
                    facts.add("function " + rs.getString(1) + " owner=" + rs.getString(2) + " definer=" + rs.getBoolean(3));
                }
            }
        }
        return facts;
    }
}
