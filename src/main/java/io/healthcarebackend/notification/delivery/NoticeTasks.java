package io.healthcarebackend.notification.delivery;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.healthcarebackend.platform.jobs.JobSettings;
import io.healthcarebackend.platform.jobs.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two job types: confirmations (high priority) and reminders. Separate task names give each
 * its own queue depth on /metrics and the dashboard; both send through {@link NoticeSender}.
 */
@Configuration(proxyBeanMethods = false)
class NoticeTasks {

    @Bean
    Task<Notice> confirmationTask(NoticeSender sender, JobSettings settings, MeterRegistry meters) {
        return task(Kind.CONFIRMATION, sender, settings, meters);
    }

    @Bean
    Task<Notice> reminderTask(NoticeSender sender, JobSettings settings, MeterRegistry meters) {
        return task(Kind.REMINDER, sender, settings, meters);
    }

    private static Task<Notice> task(Kind kind, NoticeSender sender, JobSettings settings, MeterRegistry meters) {
        return Tasks.oneTime(kind.task, Notice.class)
                .onFailure(new RetryPolicy<>(settings, meters))
                .execute((instance, context) -> sender.send(instance.getData()));
    }
}
