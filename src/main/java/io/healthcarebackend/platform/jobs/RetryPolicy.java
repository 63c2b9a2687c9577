package io.healthcarebackend.platform.jobs;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exponential back-off with jitter, a maximum number of attempts, then the dead-letter state. A
 * {@link RetryLater} from the job (a provider's Retry-After) pushes the next attempt out further.
 * Logs name the task and instance only (ids, never PHI).
 */
public final class RetryPolicy<T> implements FailureHandler<T> {

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

    private final JobSettings settings;
    private final MeterRegistry meters;

    public RetryPolicy(JobSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void onFailure(ExecutionComplete complete, ExecutionOperations<T> operations) {
        int attempts = complete.getExecution().consecutiveFailures + 1;
        String task = complete.getExecution().getTaskName();
        if (attempts >= settings.maxAttempts()) {
            log.warn("Job {}/{} dead after {} attempts; retry or discard it on /queue-dashboard", task,
                    complete.getExecution().getId(), attempts);
            meters.counter("healthcare_job_dead_total", "task", task).increment();
            operations.reschedule(complete, DeadLetter.PARKED_UNTIL);
            return;
        }
        Duration wait = delayAfter(attempts);
        Duration notBefore = complete.getCause().filter(RetryLater.class::isInstance).map(RetryLater.class::cast)
                .map(RetryLater::notBefore).orElse(Duration.ZERO);
        if (notBefore.compareTo(wait) > 0) {
            wait = notBefore;
        }
        operations.reschedule(complete, complete.getTimeDone().plus(wait));
    }

    /** The wait after the n-th failed attempt, jittered. */
    Duration delayAfter(int attempts) {
        long base = settings.baseDelay().toMillis();
        long capped = Math.min(settings.maxDelay().toMillis(),
                base * (1L << Math.min(attempts - 1, 30)));
        double spread = settings.jitter() == 0 ? 0
                : ThreadLocalRandom.current().nextDouble(-settings.jitter(), settings.jitter());
        return Duration.ofMillis(Math.max(0, Math.round(capped * (1 + spread))));
    }
}
