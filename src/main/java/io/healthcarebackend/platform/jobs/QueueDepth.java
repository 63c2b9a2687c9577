package io.healthcarebackend.platform.jobs;

import com.github.kagkarlsson.scheduler.task.Task;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Queue gauges per task type, refreshed every {@code app.jobs.queue-metrics-interval}:
 * {@code healthcare_queue_depth} (due and waiting for a worker — what the worker autoscaler
 * scales on), {@code healthcare_queue_running} and {@code healthcare_queue_dead}. Only due and
 * parked rows are counted, through the execution-time index: future reminders (possibly millions)
 * are never scanned.
 */
@Component
class QueueDepth {

    private static final Logger log = LoggerFactory.getLogger(QueueDepth.class);

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    QueueDepth(JdbcClient jdbc, MeterRegistry meters, List<Task<?>> tasks) {
        this.jdbc = jdbc;
        this.meters = meters;
        // Every task's gauges exist (at 0) from start-up, before it has ever been queued.
        tasks.forEach(task -> {
            gauge("healthcare_queue_depth", task.getName());
            gauge("healthcare_queue_running", task.getName());
            gauge("healthcare_queue_dead", task.getName());
        });
    }

    record Count(String task, long due, long running, long dead) {
    }

    @Scheduled(fixedDelayString = "${app.jobs.queue-metrics-interval:PT15S}", initialDelay = 0)
    void refresh() {
        try {
            List<Count> counts = jdbc.sql("""
                    SELECT task_name,
                           count(*) FILTER (WHERE NOT picked AND execution_time < :parked) AS due,
                           count(*) FILTER (WHERE picked) AS running,
                           count(*) FILTER (WHERE execution_time >= :parked) AS dead
                      FROM scheduled_tasks
                     WHERE execution_time <= now() OR execution_time >= :parked
                     GROUP BY task_name""")
                    .param("parked", Timestamp.from(DeadLetter.PARKED_UNTIL))
                    .query((rs, n) -> new Count(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                    .list();
            gauges.values().forEach(g -> g.set(0));
            for (Count c : counts) {
                gauge("healthcare_queue_depth", c.task()).set(c.due());
                gauge("healthcare_queue_running", c.task()).set(c.running());
                gauge("healthcare_queue_dead", c.task()).set(c.dead());
            }
        } catch (RuntimeException e) {
            log.warn("Queue depth not refreshed: {}", e.getClass().getSimpleName());
        }
    }

    private AtomicLong gauge(String name, String task) {
        return gauges.computeIfAbsent(name + "|" + task, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag("task", task).register(meters);
            return value;
        });
    }
}
