package io.healthcarebackend.platform.jobs;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.healthcarebackend.platform.tracing.JobSpans;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.IncompleteEventPublications;

/**
 * Domain events whose listeners did not finish (the instance crashed after the commit, a listener
 * threw) stay incomplete in the event publication registry. Besides the resubmission on start
 * ({@code spring.modulith.events.republish-outstanding-events-on-restart}), this job — one worker
 * at a time, cluster-wide — resubmits those older than {@code app.jobs.event-redelivery-after}.
 * Listeners are idempotent, since an event may thus arrive more than once. Each run is a trace of its
 * own when tracing is on.
 */
@Configuration(proxyBeanMethods = false)
class EventRedelivery {

    static final String TASK = "event-redelivery";
    private static final Logger log = LoggerFactory.getLogger(EventRedelivery.class);

    @Bean
    Task<Void> eventRedeliveryTask(IncompleteEventPublications incomplete,
            @Value("${app.jobs.event-redelivery-interval:PT1M}") Duration interval,
            @Value("${app.jobs.event-redelivery-after:PT1M}") Duration after, JobSpans spans) {
        return Tasks.recurring(TASK, FixedDelay.of(interval)).execute((instance, context) ->
                spans.run(TASK, null, () -> {
                    log.debug("Resubmitting event publications incomplete for more than {}", after);
                    incomplete.resubmitIncompletePublicationsOlderThan(after);
                }));
    }
}
