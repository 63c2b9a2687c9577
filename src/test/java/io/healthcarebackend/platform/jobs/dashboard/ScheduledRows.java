package io.healthcarebackend.platform.jobs.dashboard;

import io.healthcarebackend.platform.jobs.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Executions written straight into {@code scheduled_tasks}, in each state the dashboard tells apart. */
final class ScheduledRows {

    record Row(Instant executionTime, boolean picked, int failures) {
    }

    private final JdbcClient jdbc;

    ScheduledRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void clear(String task) {
        jdbc.sql("delete from scheduled_tasks where task_name = ?").param(task).update();
    }

    /** Picked by a worker that is alive (its heartbeat is fresh). */
    void running(String task, String instance) {
        insert(task, instance, Instant.now().minus(Duration.ofMinutes(1)), true, 0);
    }

    void scheduled(String task, String instance, Instant at) {
        insert(task, instance, at, false, 0);
    }

    /** Failed {@code failures} times and waits for its next attempt in an hour. */
    void failed(String task, String instance, int failures) {
        insert(task, instance, Instant.now().plus(Duration.ofHours(1)), false, failures);
    }

    void dead(String task, String instance, int failures) {
        insert(task, instance, DeadLetter.PARKED_UNTIL, false, failures);
    }

    Optional<Row> find(String task, String instance) {
        return jdbc.sql("""
                select execution_time, picked, coalesce(consecutive_failures, 0) as failures
                  from scheduled_tasks where task_name = ? and task_instance = ?
                """).param(task).param(instance)
                .query((rs, n) -> new Row(rs.getObject("execution_time", OffsetDateTime.class).toInstant(),
                        rs.getBoolean("picked"), rs.getInt("failures")))
                .optional();
    }

    private void insert(String task, String instance, Instant at, boolean picked, int failures) {
        Instant now = Instant.now();
        jdbc.sql("""
                insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, picked_by,
                                             last_success, last_failure, consecutive_failures, last_heartbeat,
                                             version, priority)
                values (?, ?, null, ?, ?, ?, null, ?, ?, ?, 1, 0)
                """)
                .param(task).param(instance).param(utc(at)).param(picked).param(picked ? "test-worker" : null)
                .param(failures > 0 ? utc(now.minus(Duration.ofMinutes(failures))) : null).param(failures)
                .param(picked ? utc(now) : null)
                .update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
