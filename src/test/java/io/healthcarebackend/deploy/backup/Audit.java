package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A clinic's audit trail in this run's database, read as the superuser. */
final class Audit {

    private Audit() {
    }

    /** Events recorded for the clinic. */
    static long events(String clinic) throws SQLException {
        return count("select count(*) from audit_events where clinic_id = cast(? as uuid)", clinic);
    }

    /** Waits (at most 15 s) until the service's sealer has chained every event of the clinic. */
    static void awaitSealed(String clinic) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (events(clinic) != count("select count(*) from audit_chain where chain_id = cast(? as uuid)", clinic)) {
            assertThat(System.nanoTime()).as("the clinic's audit events are sealed in time").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long count(String sql, String clinic) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, clinic);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
