package io.healthcarebackend.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** For tests: seal (and checkpoint) until every event of the clinic is chained. */
final class Sealing {

    private Sealing() {
    }

    /** A running transaction elsewhere can hold the horizon back for a moment, so this retries for 15 s. */
    static void sealAll(AuditSealer sealer, UUID clinic) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            sealer.seal(AuditSealer.Wait.WAIT, true);
            try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                    "select (select count(*) from audit_events where clinic_id = ?) "
                            + "- (select count(*) from audit_chain where chain_id = ?)")) {
                s.setObject(1, clinic);
                s.setObject(2, clinic);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("all events sealed in time").isLessThan(deadline);
                Thread.sleep(100);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
