package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the tenancy rules of the schema itself, so a future migration cannot quietly add a
 * tenant table without forced row-level security, or hand the application role a table.
 */
class SchemaGuardTest extends ApiTest {

    @Test
    void everyTenantOwnedTableHasForcedRowLevelSecurityWithAPolicy() throws Exception {
        List<String> unprotected = new ArrayList<>();
        List<String> tenantTables = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        select t.relname, t.relrowsecurity, t.relforcerowsecurity,
                               exists (select 1 from pg_policy p where p.polrelid = t.oid) as has_policy
                          from pg_class t join pg_namespace n on n.oid = t.relnamespace
                         where n.nspname = 'public' and t.relkind in ('r', 'p') and not t.relispartition
                           and (t.relname = 'clinics' or exists (select 1 from pg_attribute a
                                where a.attrelid = t.oid and a.attname = 'clinic_id' and not a.attisdropped))""")) {
            while (rs.next()) {
                tenantTables.add(rs.getString(1));
                if (!rs.getBoolean(2) || !rs.getBoolean(3) || !rs.getBoolean(4)) {
                    unprotected.add(rs.getString(1));
                }
            }
        }
        assertThat(tenantTables).contains("clinics", "staff_users", "patients", "practitioners", "appointments");
        assertThat(unprotected).as("tenant tables without forced RLS and a policy").isEmpty();
    }

    /** A partition is not filtered by its parent's policies, so the service must reach it only through the parent. */
    @Test
    void theApplicationRoleHasNoPrivilegeOnAnyPartition() throws Exception {
        List<String> reachable = new ArrayList<>();
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select t.relname from pg_class t join pg_namespace n on n.oid = t.relnamespace"
                        + " where n.nspname = 'public' and t.relispartition"
                        + " and has_table_privilege('hb_app', t.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE')")) {
            while (rs.next()) {
                reachable.add(rs.getString(1));
            }
        }
        assertThat(reachable).as("partitions the application role can touch directly").isEmpty();
    }

    @Test
    void theApplicationRoleOwnsNothingAndCannotBypassRowSecurity() throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from pg_class t join pg_roles r on r.oid = t.relowner "
                    + "where r.rolname = 'hb_app'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = s.executeQuery(
                    "select rolbypassrls, rolsuper from pg_roles where rolname = 'hb_app'")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isFalse();
                assertThat(rs.getBoolean(2)).isFalse();
            }
        }
    }
}
