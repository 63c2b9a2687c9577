package io.healthcarebackend.platform.jobs;

import java.util.Collection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * Withdraws jobs that have not started, in the caller's transaction (a cancelled appointment's
 * reminders go with the cancellation, or not at all). A job already running is left to finish;
 * jobs check on their own that their cause still holds.
 */
@Component
public class PendingJobs {

    private final JdbcClient jdbc;

    PendingJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Returns how many were withdrawn. */
    public int cancel(Collection<String> taskNames, Collection<String> instanceIds) {
        if (taskNames.isEmpty() || instanceIds.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                delete from scheduled_tasks
                 where task_name = any(:tasks) and task_instance = any(:instances) and not picked""")
                .param("tasks", new SqlArrayValue("text", taskNames.toArray()))
                .param("instances", new SqlArrayValue("text", instanceIds.toArray()))
                .update();
    }
}
