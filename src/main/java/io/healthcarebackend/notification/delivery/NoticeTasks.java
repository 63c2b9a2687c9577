package io.healthcarebackend.notification.delivery;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.healthcarebackend.platform.jobs.JobSettings;
import io.healthcarebackend.platform.jobs.RetryPolicy;
import io.healthcarebackend.platform.tracing.JobSpans;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two job types: confirmations (high priority) and reminders. Separate task names give each
 * its own queue depth on /metrics and the dashboard; both send through {@link NoticeSender}, in a span
 * continuing the trace of the booking that planned the message ({@link JobSpans}; tracing on only).
 */
@Configuration(proxyBeanMethods = false)
class NoticeTasks {

    @Bean
    Task<Notice> confirmationTask(NoticeSender sender, JobSettings settings, MeterRegistry meters, JobSpans spans) {
        return task(Kind.CONFIRMATION, sender, settings, meters, spans);
    }

    @Bean
    Task<Notice> reminderTask(NoticeSender sender, JobSettings settings, MeterRegistry meters, JobSpans spans) {
        return task(Kind.REMINDER, sender, settings, meters, spans);
    }

    private static Task<Notice> task(Kind kind, NoticeSender sender, JobSettings settings, MeterRegistry meters,
            JobSpans spans) {
        return Tasks.oneTime(kind.task, Notice.class)
                .onFailure(new RetryPolicy<>(settings, meters))
                .execute((instance, context) -> {
                    Notice notice = instance.getData();
                    spans.run(kind.task, notice.trace(), () -> sender.send(notice));
                });
    }
}
