package io.healthcarebackend.platform.jobs;

import com.github.kagkarlsson.scheduler.event.ExecutionChain;
import com.github.kagkarlsson.scheduler.event.ExecutionInterceptor;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Duration of every job run by task and outcome ({@code healthcare_job_duration_seconds}) and
 * failures by task ({@code healthcare_job_failures_total}); dead letters are counted by
 * {@link RetryPolicy}, queue depths by {@link QueueDepth}.
 */
@Component
class JobMetrics implements ExecutionInterceptor {

    private final MeterRegistry meters;

    JobMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public CompletionHandler<?> execute(TaskInstance<?> instance, ExecutionContext context, ExecutionChain chain) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "success";
        try {
            return chain.proceed(instance, context);
        } catch (RuntimeException | Error e) {
            outcome = "failure";
            meters.counter("healthcare_job_failures_total", "task", instance.getTaskName()).increment();
            throw e;
        } finally {
            sample.stop(Timer.builder("healthcare_job_duration").tag("task", instance.getTaskName())
                    .tag("outcome", outcome).register(meters));
        }
    }
}
