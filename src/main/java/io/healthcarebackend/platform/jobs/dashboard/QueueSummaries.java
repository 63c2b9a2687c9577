package io.healthcarebackend.platform.jobs.dashboard;

import com.github.kagkarlsson.scheduler.task.Task;
import io.healthcarebackend.platform.jobs.DeadLetter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the queue summary straight from {@code scheduled_tasks} (not through the scheduler, which
 * skips rows of tasks it does not know). The table holds pending executions only — a finished
 * one-time execution is deleted — so counting it in one grouped pass stays small; the dead list
 * is a range of {@code scheduled_tasks_by_time}.
 */
@Component
class QueueSummaries {

    static final int DEAD_SHOWN = 100;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ObjectProvider<Task<?>> tasks;

    QueueSummaries(JdbcClient jdbc, Clock clock, ObjectProvider<Task<?>> tasks) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tasks = tasks;
    }

    QueueSummary summary() {
        Instant now = clock.instant();
        OffsetDateTime at = utc(now);
        OffsetDateTime parked = utc(DeadLetter.PARKED_UNTIL);
        Map<String, QueueSummary.Queue> queues = new TreeMap<>();
        tasks.orderedStream().forEach(t -> queues.put(t.getName(),
                new QueueSummary.Queue(t.getName(), true, 0, null, 0, 0, 0, 0)));
        jdbc.sql("""
                select task_name,
                       count(*) filter (where picked) as running,
                       count(*) filter (where not picked and coalesce(consecutive_failures, 0) = 0) as scheduled,
                       count(*) filter (where not picked and consecutive_failures > 0
                                          and execution_time < :parked) as failed,
                       count(*) filter (where not picked and consecutive_failures > 0
                                          and execution_time >= :parked) as dead,
                       count(*) filter (where not picked and execution_time <= :now) as due,
                       min(execution_time) filter (where not picked and execution_time <= :now) as oldest_due
                  from scheduled_tasks
                 group by task_name
                """)
                .param("parked", parked).param("now", at)
                .query((rs, n) -> queue(rs, now, queues.containsKey(rs.getString("task_name"))))
                .list().forEach(q -> queues.put(q.task(), q));
        List<QueueSummary.Queue> list = new ArrayList<>(queues.values());
        QueueSummary.Totals totals = new QueueSummary.Totals(
                list.stream().mapToLong(QueueSummary.Queue::due).sum(),
                list.stream().mapToLong(QueueSummary.Queue::scheduled).sum(),
                list.stream().mapToLong(QueueSummary.Queue::running).sum(),
                list.stream().mapToLong(QueueSummary.Queue::failed).sum(),
                list.stream().mapToLong(QueueSummary.Queue::dead).sum());
        List<QueueSummary.DeadJob> dead = jdbc.sql("""
                select task_name, task_instance, consecutive_failures, last_failure, last_success
                  from scheduled_tasks
                 where execution_time >= :parked and not picked and consecutive_failures > 0
                 order by last_failure desc nulls last, task_name, task_instance
                 limit :limit
                """)
                .param("parked", parked).param("limit", DEAD_SHOWN)
                .query((rs, n) -> new QueueSummary.DeadJob(rs.getString("task_name"), rs.getString("task_instance"),
                        rs.getInt("consecutive_failures"), instant(rs, "last_failure"), instant(rs, "last_success")))
                .list();
        return new QueueSummary(now, list, totals, dead, dead.size());
    }

    private static QueueSummary.Queue queue(ResultSet rs, Instant now, boolean known) throws SQLException {
        Instant oldestDue = instant(rs, "oldest_due");
        return new QueueSummary.Queue(rs.getString("task_name"), known, rs.getLong("due"),
                oldestDue == null ? null : Math.max(0, now.getEpochSecond() - oldestDue.getEpochSecond()),
                rs.getLong("scheduled"), rs.getLong("running"), rs.getLong("failed"), rs.getLong("dead"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
