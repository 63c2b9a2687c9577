package io.healthcarebackend.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Migration V18 (issue #13, item 5) on a database of its own, filled as an older release left it:
 * stored addresses become their normal form, the login lookup then finds them exactly, and two
 * accounts that turn out to share one address stop the migration without changing anything.
 */
class StaffEmailMigrationTest {

    @Test
    void storedAddressesAreRewrittenInTheirNormalForm() throws Exception {
        String db = "hb_v18_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TestDatabase.createPair(db);
        try {
            flyway(db, previousVersion()).migrate();
            UUID clinic = clinic(db);
            UUID fullWidth = user(db, clinic, "\uFF2B\uFF29\uFF22-one@Tests.Invalid");
            UUID sharpS = user(db, clinic, "stra\u00DFe@tests.invalid");
            UUID plain = user(db, clinic, "plain@tests.invalid");

            flyway(db, "latest").migrate();

            assertThat(email(db, fullWidth)).isEqualTo("kib-one@tests.invalid");
            assertThat(email(db, sharpS)).isEqualTo("strasse@tests.invalid");
            assertThat(email(db, plain)).isEqualTo("plain@tests.invalid");
            assertThat(loginLookup(db, "kib-one@tests.invalid")).containsExactly(fullWidth);
            assertThat(loginLookup(db, "KIB-one@tests.invalid")).as("exact match only: callers normalise").isEmpty();
        } finally {
            TestDatabase.dropPair(db);
        }
    }

    @Test
    void twoAccountsWithOneAddressStopTheMigrationAndNothingChanges() throws Exception {
        String db = "hb_v18_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TestDatabase.createPair(db);
        try {
            String previous = previousVersion();
            flyway(db, previous).migrate();
            UUID clinic = clinic(db);
            UUID first = user(db, clinic, "kib@tests.invalid");
            UUID second = user(db, clinic, "\uFF2B\uFF29\uFF22@tests.invalid");

            assertThatThrownBy(() -> flyway(db, "latest").migrate())
                    .hasStackTraceContaining(first.toString()).hasStackTraceContaining(second.toString())
                    .hasStackTraceContaining("same e-mail address once normalised");

            assertThat(email(db, second)).isEqualTo("\uFF2B\uFF29\uFF22@tests.invalid");
            assertThat(flyway(db, "latest").info().current().getVersion().getVersion()).isEqualTo(previous);
        } finally {
            TestDatabase.dropPair(db);
        }
    }

    /** The newest migration before V18 (other migrations may sit between this branch's and V18). */
    private static String previousVersion() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                    .filter(v -> v < 18).max().orElseThrow());
        }
    }

    private static Flyway flyway(String db, String target) {
        return Flyway.configure()
                .dataSource(url(db), "hb_owner", "hb_owner_dev")
                .placeholders(Map.of("appRole", "hb_app", "definerRole", "hb_definer"))
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    private static String url(String db) {
        return "jdbc:postgresql://" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + db;
    }

    private static Connection superuser(String db) throws SQLException {
        return DriverManager.getConnection(url(db), "postgres", "");
    }

    private static UUID clinic(String db) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = superuser(db);
                PreparedStatement s = c.prepareStatement("insert into clinics (id, name, time_zone) values (?, 'C', 'UTC')")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
        return id;
    }

    private static UUID user(String db, UUID clinic, String email) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = superuser(db); PreparedStatement s = c.prepareStatement(
                "insert into staff_users (id, clinic_id, email, name, role, password_hash) "
                        + "values (?, ?, ?, 'U', 'RECEPTIONIST', 'x')")) {
            s.setObject(1, id);
            s.setObject(2, clinic);
            s.setString(3, email);
            s.executeUpdate();
        }
        return id;
    }

    private static String email(String db, UUID user) throws SQLException {
        try (Connection c = superuser(db);
                PreparedStatement s = c.prepareStatement("select email from staff_users where id = ?")) {
            s.setObject(1, user);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<UUID> loginLookup(String db, String email) throws SQLException {
        try (Connection c = superuser(db);
                PreparedStatement s = c.prepareStatement("select id from auth_find_users_by_email(?)")) {
            s.setString(1, email);
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }
}
