package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The job table as an operator sees it (superuser, no tenant): an appointment's queued messages. */
final class JobRows {

    record Row(String task, String instance, Instant at, int priority, boolean picked, int failures) {
    }

    private JobRows() {
    }

    static List<Row> of(String appointmentId) {
        return query("select task_name, task_instance, execution_time, priority, picked, "
                + "coalesce(consecutive_failures, 0) from scheduled_tasks where task_instance like ? "
                + "order by execution_time", appointmentId + ".%");
    }

    /** Makes an appointment's queued messages due now (what "Run now" on the dashboard does). */
    static int dueNow(String appointmentId) {
        return update("update scheduled_tasks set execution_time = now() where task_instance like ?",
                appointmentId + ".%");
    }

    private static List<Row> query(String sql, String param) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getInt(4),
                            rs.getBoolean(5), rs.getInt(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static int update(String sql, String param) {
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
