package io.healthcarebackend.platform.jobs;

import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The event publication registry's table, read as an operator would. */
final class Publications {

    private Publications() {
    }

    /** Incomplete publications of the flaky listener for this appointment. */
    static int incomplete(String appointmentId) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(
                "select count(*) from event_publication where completion_date is null "
                        + "and listener_id like '%FlakyListener%' and serialized_event like ?")) {
            s.setString(1, "%" + appointmentId + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
