package io.healthcarebackend.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.WorkerTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The job engine: back-off, dead letters an operator can retry or discard, and workers that share a queue. */
@Import(JobEngineTest.TestTasks.class)
class JobEngineTest extends WorkerTest {

    /** What each test job does, by instance id; and every run, by instance id. */
    static final Map<String, String> BEHAVIOUR = new ConcurrentHashMap<>();
    static final Map<String, List<Instant>> RUNS = new ConcurrentHashMap<>();
    static final Map<String, Set<String>> RUN_BY = new ConcurrentHashMap<>();
    static final AtomicInteger CONCURRENT = new AtomicInteger();
    static final AtomicInteger MAX_CONCURRENT_SAME = new AtomicInteger();
    static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

    @TestConfiguration
    static class TestTasks {
        @Bean
        Task<String> testJob(JobSettings settings, MeterRegistry meters, org.springframework.core.env.Environment env) {
            String worker = env.getProperty("test.worker-name", "first");
            return Tasks.oneTime("test-job", String.class).onFailure(new RetryPolicy<>(settings, meters))
                    .execute((instance, context) -> run(instance.getId(), worker));
        }
    }

    static void run(String id, String worker) {
        RUNS.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(Instant.now());
        RUN_BY.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(worker);
        int same = RUNNING.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        MAX_CONCURRENT_SAME.accumulateAndGet(same, Math::max);
        try {
            switch (BEHAVIOUR.getOrDefault(id, "succeed")) {
                case "fail" -> throw new IllegalStateException("provider down");
                case "retry-later" -> {
                    BEHAVIOUR.put(id, "succeed");
                    throw new RetryLater("HTTP 429", Duration.ofSeconds(2));
                }
                case "slow" -> sleep(20);
                default -> {
                }
            }
        } finally {
            RUNNING.get(id).decrementAndGet();
        }
    }

    @Autowired
    Scheduler scheduler;
    @Autowired
    JobSettings settings;

    private void schedule(String id) {
        scheduler.schedule(new com.github.kagkarlsson.scheduler.task.TaskInstance<>("test-job", id, id), Instant.now());
    }

    private Optional<ScheduledExecution<Object>> execution(String id) {
        return scheduler.getScheduledExecution(TaskInstanceId.of("test-job", id));
    }

    @Test
    void aFailingJobBacksOffExponentiallyThenIsDeadLetteredAndAnOperatorCanRetryIt() {
        String id = "always-fails-" + UUID.randomUUID();
        BEHAVIOUR.put(id, "fail");
        schedule(id);
        await("the job is dead-lettered", Duration.ofSeconds(20),
                () -> execution(id).map(e -> DeadLetter.isDead(e.getExecutionTime())).orElse(false));
        List<Instant> runs = RUNS.get(id);
        assertThat(runs).hasSize(settings.maxAttempts());
        for (int n = 1; n < runs.size(); n++) {
            long minimum = (long) (settings.baseDelay().toMillis() * Math.pow(2, n - 1) * (1 - settings.jitter()));
            assertThat(Duration.between(runs.get(n - 1), runs.get(n)).toMillis())
                    .as("wait after attempt %d", n).isGreaterThanOrEqualTo(Math.min(minimum,
                            (long) (settings.maxDelay().toMillis() * (1 - settings.jitter()))));
        }
        assertThat(execution(id).orElseThrow().getConsecutiveFailures()).isEqualTo(settings.maxAttempts());
        String metrics = api.get("/metrics", null, Map.of("Accept", "text/plain")).raw().body();
        assertThat(metrics).contains("healthcare_job_failures_total{application=\"healthcare-backend\",task=\"test-job\"}")
                .contains("healthcare_job_dead_total{application=\"healthcare-backend\",task=\"test-job\"}")
                .containsPattern("healthcare_job_duration_seconds_count\\{.*outcome=\"failure\",task=\"test-job\"}");
        sleep(1000);
        assertThat(RUNS.get(id)).as("a dead job is never polled again").hasSize(settings.maxAttempts());

        BEHAVIOUR.put(id, "succeed");
        scheduler.reschedule(TaskInstanceId.of("test-job", id), Instant.now());
        await("the retried job ran and is gone", Duration.ofSeconds(10), () -> execution(id).isEmpty());
        assertThat(RUNS.get(id)).hasSize(settings.maxAttempts() + 1);
    }

    @Test
    void anOperatorCanDiscardADeadJob() {
        String id = "discarded-" + UUID.randomUUID();
        BEHAVIOUR.put(id, "fail");
        schedule(id);
        await("the job is dead-lettered", Duration.ofSeconds(20),
                () -> execution(id).map(e -> DeadLetter.isDead(e.getExecutionTime())).orElse(false));
        scheduler.cancel(TaskInstanceId.of("test-job", id));
        assertThat(execution(id)).isEmpty();
    }

    @Test
    void aProvidersRetryAfterIsRespected() {
        String id = "retry-after-" + UUID.randomUUID();
        BEHAVIOUR.put(id, "retry-later");
        schedule(id);
        await("the job ran twice", Duration.ofSeconds(15), () -> RUNS.getOrDefault(id, List.of()).size() == 2);
        List<Instant> runs = RUNS.get(id);
        assertThat(Duration.between(runs.get(0), runs.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Autowired
    JobQueue queue;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Test
    void higherPriorityJobsGoFirstWhenWorkersAreBehind() {
        String run = UUID.randomUUID().toString();
        List<JobQueue.Job> jobs = new ArrayList<>();
        Instant due = Instant.now();
        for (int i = 0; i < 100; i++) {
            String id = "bulk-" + i + "-" + run;
            BEHAVIOUR.put(id, "slow");
            jobs.add(new JobQueue.Job("test-job", id, id, due, 0));
        }
        for (int i = 0; i < 5; i++) {
            String id = "urgent-" + i + "-" + run;
            BEHAVIOUR.put(id, "slow");
            jobs.add(new JobQueue.Job("test-job", id, id, due, 100));
        }
        // All at once, the urgent ones last: a worker must not take them in the order they were queued.
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(
                status -> queue.enqueue(jobs));
        await("every job ran", Duration.ofSeconds(60), () -> jobs.stream().allMatch(j -> RUNS.containsKey(j.instance())));

        List<String> order = jobs.stream().map(JobQueue.Job::instance)
                .sorted(java.util.Comparator.comparing(id -> RUNS.get(id).getFirst())).toList();
        List<Integer> urgentRanks = new ArrayList<>();
        for (int rank = 0; rank < order.size(); rank++) {
            if (order.get(rank).startsWith("urgent-")) {
                urgentRanks.add(rank);
            }
        }
        // A worker claims up to 3 × its 10 threads per poll, highest priority first: the urgent jobs
        // are in the first claim, ahead of the 70 bulk jobs claimed later.
        assertThat(urgentRanks).hasSize(5).allMatch(rank -> rank < 30);
    }

    @Test
    void workersShareTheQueueAndNeverRunAJobTwice() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "shared-" + i + "-" + UUID.randomUUID();
            BEHAVIOUR.put(id, "slow");
            ids.add(id);
        }
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(HealthcareBackendApplication.class,
                TestTasks.class).run("--server.port=0", "--app.role=worker", "--test.worker-name=second",
                        "--db-scheduler.polling-interval=200ms")) {
            ids.forEach(this::schedule);
            await("every job ran", Duration.ofSeconds(60),
                    () -> ids.stream().allMatch(id -> RUNS.containsKey(id) && execution(id).isEmpty()));
        }
        assertThat(ids).allSatisfy(id -> assertThat(RUNS.get(id)).as(id).hasSize(1));
        assertThat(MAX_CONCURRENT_SAME.get()).isEqualTo(1);
        assertThat(ids.stream().flatMap(id -> RUN_BY.get(id).stream()).distinct())
                .as("both workers took part").containsExactlyInAnyOrder("first", "second");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
