package db.migration;

import io.healthcarebackend.platform.EmailAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue #13, items 5 and 8.
 *
 * <p>Staff e-mail addresses in their one normal form ({@link EmailAddress}: NFKC and a
 * locale-independent case fold). SQL cannot compute that form exactly ({@code lower()} depends on
 * the database's collation and knows no full case folding), so this migration is Java and uses
 * the very function the service uses. Afterwards the unique index and the login lookup compare
 * stored values exactly, so every spelling of an address finds one account, or none. Two existing
 * accounts whose addresses are one address once normalised stop the migration (nothing is
 * changed): an operator decides which keeps it, the service does not guess.
 *
 * <p>Sessions remember the hashes of the refresh tokens they retired and when they last rotated:
 * a duplicate of the token just rotated away (two tabs, a retry) is then told apart from the reuse
 * of a stolen one, and a token never issued for the session from both.
 */
public class V18__staff_email_normal_form_and_refresh_history extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            // The migration owns the table: with RLS not forced for this transaction it sees every clinic's staff.
            statement.execute("ALTER TABLE staff_users NO FORCE ROW LEVEL SECURITY");
            Map<UUID, String> changed = normalisedAddresses(connection);
            statement.execute("DROP INDEX staff_users_email_key");
            statement.execute("DROP INDEX IF EXISTS staff_users_by_email");
            update(connection, changed);
            // Unique per clinic (V17: no answer may confirm another clinic's staff); platform
            // administrators, clinic NULL, form one scope. Sign-in belongs to the oldest holder.
            statement.execute("CREATE UNIQUE INDEX staff_users_email_key ON staff_users (clinic_id, email) NULLS NOT DISTINCT");
            statement.execute("CREATE INDEX staff_users_by_email ON staff_users (email, created_at, id)");
            statement.execute("ALTER TABLE staff_users FORCE ROW LEVEL SECURITY");
            statement.execute("""
                    CREATE OR REPLACE FUNCTION auth_find_user_by_email(p_email text)
                        RETURNS TABLE (id uuid, clinic_id uuid, role text, password_hash text, active boolean)
                        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
                    AS $$ SELECT u.id, u.clinic_id, u.role, u.password_hash, u.active
                          FROM staff_users u WHERE u.email = p_email
                          ORDER BY u.created_at, u.id LIMIT 1 $$""");
            statement.execute("""
                    ALTER TABLE auth_sessions
                        ADD COLUMN retired_hashes bytea[] NOT NULL DEFAULT '{}',
                        ADD COLUMN rotated_at timestamptz""");
        }
    }

    /** The rows whose stored address is not in normal form, with that form; refuses collisions. */
    private static Map<UUID, String> normalisedAddresses(Connection connection) throws SQLException {
        Map<String, UUID> owners = new HashMap<>(); // per clinic: "clinic|address"
        Map<UUID, String> changed = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, clinic_id, email FROM staff_users ORDER BY created_at, id")) {
            while (rows.next()) {
                UUID id = rows.getObject("id", UUID.class);
                String stored = rows.getString("email");
                String normal = EmailAddress.of(stored).value();
                UUID other = owners.putIfAbsent(rows.getObject("clinic_id", UUID.class) + "|" + normal, id);
                if (other != null) {
                    throw new IllegalStateException("Staff users " + other + " and " + id + " have the same e-mail "
                            + "address once normalised (issue #13, item 5). Give one of them another address "
                            + "(UPDATE staff_users SET email = ... WHERE id = ...) or remove it, then start again.");
                }
                if (!normal.equals(stored)) {
                    changed.put(id, normal);
                }
            }
        }
        return changed;
    }

    private static void update(Connection connection, Map<UUID, String> changed) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE staff_users SET email = ? WHERE id = ?")) {
            for (Map.Entry<UUID, String> row : changed.entrySet()) {
                update.setString(1, row.getValue());
                update.setObject(2, row.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
