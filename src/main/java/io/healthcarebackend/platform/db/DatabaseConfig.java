package io.healthcarebackend.platform.db;

import io.healthcarebackend.platform.tracing.TracingSwitch;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource, Environment environment,
            ObjectProvider<ObservationRegistry> observations, ObjectProvider<Tracer> tracer) {
        TransactionSpans spans = TracingSwitch.enabled(environment)
                ? new TransactionSpans(observations.getObject(), tracer.getObject()) : null;
        return new TenantTransactionManager(dataSource, spans);
    }

    /**
     * Wraps the application's pool ({@code dataSource}) so its statements are observed
     * ({@link QueryObserver}), unless there is nothing to observe (no slow-query threshold, no tracing).
     */
    @Bean
    static BeanPostProcessor timedDataSource(ObjectProvider<QueryObserver> observer, Environment environment) {
        boolean wanted = QueryObserver.wanted(environment);
        Supplier<QueryObserver> lazily = new Supplier<>() {
            private volatile QueryObserver resolved;

            @Override
            public QueryObserver get() {
                QueryObserver current = resolved;
                if (current == null) {
                    try {
                        current = observer.getIfAvailable();
                    } catch (BeansException e) {
                        // Still being created (a statement run while the context starts): unobserved.
                        return null;
                    }
                    resolved = current;
                }
                return current;
            }
        };
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (wanted && "dataSource".equals(name) && bean instanceof DataSource pool
                        && !(bean instanceof TimedDataSource)) {
                    return new TimedDataSource(pool, lazily);
                }
                return bean;
            }
        };
    }
}
