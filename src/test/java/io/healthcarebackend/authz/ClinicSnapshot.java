package io.healthcarebackend.authz;

import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A fingerprint of every row one clinic owns, table by table, read as the database superuser
 * (past row-level security): comparing two shows whether anything of the clinic changed.
 */
final class ClinicSnapshot {

    /** Tenant tables and the column naming the owning clinic. */
    private static final Map<String, String> TABLES = Map.ofEntries(
            Map.entry("clinics", "id"), Map.entry("staff_users", "clinic_id"), Map.entry("patients", "clinic_id"),
            Map.entry("practitioners", "clinic_id"), Map.entry("practitioner_hours", "clinic_id"),
            Map.entry("practitioner_exceptions", "clinic_id"), Map.entry("appointments", "clinic_id"),
            Map.entry("idempotency_keys", "clinic_id"), Map.entry("emergency_grants", "clinic_id"),
            Map.entry("support_grants", "clinic_id"),
            Map.entry("audit_events", "clinic_id"));

    private ClinicSnapshot() {
    }

    static Map<String, String> of(String clinic) {
        Map<String, String> fingerprints = new LinkedHashMap<>();
        try (Connection db = TestDatabase.superuserOnTestDb()) {
            for (Map.Entry<String, String> table : new java.util.TreeMap<>(TABLES).entrySet()) {
                String sql = "select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                        + "from " + table.getKey() + " t where " + table.getValue() + " = ?";
                try (PreparedStatement query = db.prepareStatement(sql)) {
                    query.setObject(1, UUID.fromString(clinic));
                    try (ResultSet rs = query.executeQuery()) {
                        rs.next();
                        fingerprints.put(table.getKey(), rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return fingerprints;
    }
}
