package io.healthcarebackend.platform.jobs.dashboard;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A task of the dashboard tests' own, so the scheduler (and db-scheduler-ui, which lists only
 * executions of tasks it knows) knows the rows the tests insert. Running one only notes it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DashboardTestJobs {

    static final String TASK = "queue-dashboard-test";
    static final Set<String> RAN = ConcurrentHashMap.newKeySet();

    @Bean
    OneTimeTask<Void> queueDashboardTestTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> RAN.add(instance.getId()));
    }
}
