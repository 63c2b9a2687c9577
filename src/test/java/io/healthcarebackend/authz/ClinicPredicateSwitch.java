package io.healthcarebackend.authz;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Test-only switch that takes the application's own clinic filter out of its SQL, so that
 * PostgreSQL row-level security is the only thing keeping clinics apart. While {@link #off()} is in
 * effect, every statement the service sends through its main DataSource has each clinic predicate
 * ({@code clinic_id = ?}, {@code clinic_id is not distinct from cast(? as uuid)}, {@code … ?::uuid})
 * replaced by {@code (cast(? as text) is null or true)}: the same parameters in the same order, and
 * no filtering at all. It is a bean post-processor wrapping the {@code dataSource} bean, present only
 * in the context of the test that imports it; no production code knows about it. It counts and
 * keeps what it rewrote, so a test can show that the rewrite happened and that the rewritten
 * statements would have leaked without row-level security.
 */
class ClinicPredicateSwitch implements BeanPostProcessor {

    static final Pattern CLINIC_PREDICATE = Pattern.compile(
            "(?i)\\b(?:\\w+\\.)?clinic_id\\s*(?:=|is\\s+not\\s+distinct\\s+from)\\s*"
                    + "(?:cast\\(\\s*\\?\\s+as\\s+uuid\\s*\\)|\\?(?:::uuid)?)");
    static final String NO_FILTER = "(cast(? as text) is null or true)";

    private final AtomicBoolean filterOff = new AtomicBoolean();
    private final AtomicLong rewritten = new AtomicLong();
    private final Set<String> rewrittenSql = ConcurrentHashMap.newKeySet();

    /** Wraps the service's main DataSource (not the key store's pool, which is no bean). */
    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof DataSource ds && name.equals("dataSource") ? new Stripping(ds) : bean;
    }

    /** Turns the application's clinic predicates off until the returned handle is closed. */
    AutoCloseable off() {
        filterOff.set(true);
        return () -> filterOff.set(false);
    }

    long rewrittenCount() {
        return rewritten.get();
    }

    Set<String> rewrittenStatements() {
        return Set.copyOf(rewrittenSql);
    }

    static String strip(String sql) {
        return CLINIC_PREDICATE.matcher(sql).replaceAll(java.util.regex.Matcher.quoteReplacement(NO_FILTER));
    }

    private String rewrite(String sql) {
        if (!filterOff.get()) {
            return sql;
        }
        String stripped = strip(sql);
        if (!stripped.equals(sql)) {
            rewritten.incrementAndGet();
            rewrittenSql.add(stripped);
        }
        return stripped;
    }

    /** The DataSource the service gets: connections whose SQL passes {@link #rewrite}; closes the pool it wraps. */
    final class Stripping extends DelegatingDataSource implements AutoCloseable {

        Stripping(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return proxy(Connection.class, super.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return proxy(Connection.class, super.getConnection(user, password));
        }

        /**
         * Unwrapping to a plain DataSource yields the pool itself: Flyway derives its migration
         * DataSource (as the owner role) from the pool's settings that way.
         */
        @Override
        @SuppressWarnings("unchecked")
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type == DataSource.class ? (T) getTargetDataSource() : super.unwrap(type);
        }

        @Override
        public void close() throws Exception {
            if (getTargetDataSource() instanceof AutoCloseable pool) {
                pool.close();
            }
        }
    }

    /** A proxy that rewrites the SQL text given to prepare, execute and addBatch calls; identity equality. */
    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, T target) {
        InvocationHandler handler = (self, method, args) -> {
            switch (method.getName()) {
                case "equals":
                    return self == args[0];
                case "hashCode":
                    return System.identityHashCode(self);
                default:
                    break;
            }
            Object[] actual = args;
            if (args != null && args.length > 0 && args[0] instanceof String sql && sendsSql(method)) {
                actual = args.clone();
                actual[0] = rewrite(sql);
            }
            try {
                Object result = method.invoke(target, actual);
                return method.getName().equals("createStatement") ? proxy(Statement.class, (Statement) result)
                        : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(ClinicPredicateSwitch.class.getClassLoader(), new Class<?>[] {type},
                handler);
    }

    private static boolean sendsSql(Method method) {
        String name = method.getName();
        return name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch")
                || name.equals("nativeSQL");
    }
}
