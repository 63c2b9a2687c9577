-- Durable jobs (db-scheduler 16). One row per pending execution; a worker claims a row by
-- flipping `picked` under optimistic locking (`version`), so any number of workers share the
-- table without running one execution twice at a time. Not tenant-scoped: task data holds ids
-- only (never PHI), and the job itself sets the clinic before it touches tenant rows.
CREATE TABLE scheduled_tasks (
    task_name            text        NOT NULL,
    task_instance        text        NOT NULL,
    task_data            bytea,
    execution_time       timestamptz NOT NULL,
    picked               boolean     NOT NULL,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures int,
    last_heartbeat       timestamptz,
    version              bigint      NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);

-- Due work in priority order (confirmations before bulk reminders), then dead executions.
CREATE INDEX scheduled_tasks_due ON scheduled_tasks (priority DESC, execution_time ASC);
CREATE INDEX scheduled_tasks_by_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_by_heartbeat ON scheduled_tasks (last_heartbeat);

GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_tasks TO ${appRole};
