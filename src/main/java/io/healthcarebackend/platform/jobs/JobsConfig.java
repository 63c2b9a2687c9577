package io.healthcarebackend.platform.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.boot.autoconfigure.Jackson3Serializer;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerStarter;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import io.healthcarebackend.platform.config.RuntimeSettings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * db-scheduler by role: every instance can enqueue (the scheduler's client works without the
 * scheduler running), but only workers ({@code APP_ROLE=worker} or {@code all}) poll and run jobs,
 * from the moment the application is ready. Task data is JSON (ids and times, readable on the
 * dashboard), not Java serialization.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfig {

    private static final Logger log = LoggerFactory.getLogger(JobsConfig.class);

    /** JSON, and no data (a task without any, e.g. a recurring one) stays null both ways. */
    @Bean
    Serializer jobDataSerializer() {
        Jackson3Serializer json = new Jackson3Serializer();
        return new Serializer() {
            @Override
            public byte[] serialize(Object data) {
                return data == null ? null : json.serialize(data);
            }

            @Override
            public <T> T deserialize(Class<T> type, byte[] bytes) {
                return bytes == null ? null : json.deserialize(type, bytes);
            }
        };
    }

    @Bean
    DbSchedulerCustomizer jsonTaskData(Serializer json) {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<Serializer> serializer() {
                return Optional.of(json);
            }
        };
    }

    @Bean
    DbSchedulerStarter dbSchedulerStarter(Scheduler scheduler, RuntimeSettings settings) {
        return new RoleStart(scheduler, settings);
    }

    /** Starts polling once the application is ready, on instances whose role runs jobs. */
    static final class RoleStart implements DbSchedulerStarter, ApplicationListener<ApplicationReadyEvent> {

        private final Scheduler scheduler;
        private final RuntimeSettings settings;

        RoleStart(Scheduler scheduler, RuntimeSettings settings) {
            this.scheduler = scheduler;
            this.settings = settings;
        }

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            doStart();
        }

        @Override
        public void doStart() {
            if (settings.role().runsJobs()) {
                scheduler.start();
            } else {
                log.info("APP_ROLE={}: jobs are enqueued here and run by workers", settings.role());
            }
        }
    }
}
