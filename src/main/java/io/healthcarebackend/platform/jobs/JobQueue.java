package io.healthcarebackend.platform.jobs;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Enqueues jobs in the caller's transaction — they exist exactly when the change that caused them
 * commits — with one multi-row INSERT, in the row format db-scheduler reads (JSON task data).
 * A job whose task and instance id are already queued is left as it is, so enqueueing is
 * idempotent and a duplicate never aborts the caller's transaction.
 */
@Component
public class JobQueue {

    private final JdbcClient jdbc;
    private final Serializer serializer;

    JobQueue(JdbcClient jdbc, Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** A job: task name, instance id (unique per task), data (ids and times only), when, priority (higher first). */
    public record Job(String task, String instance, Object data, Instant at, int priority) {
    }

    public void enqueue(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        StringJoiner rows = new StringJoiner(", ");
        List<Object> params = new ArrayList<>(jobs.size() * 5);
        for (Job job : jobs) {
            rows.add("(?, ?, ?, ?, false, 1, ?)");
            params.add(job.task());
            params.add(job.instance());
            params.add(serializer.serialize(job.data()));
            params.add(Timestamp.from(job.at()));
            params.add((short) job.priority());
        }
        jdbc.sql("insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, "
                + "priority) values " + rows + " on conflict (task_name, task_instance) do nothing")
                .params(params).update();
    }
}
