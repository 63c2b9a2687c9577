package io.healthcarebackend.platform.db;

import io.micrometer.tracing.Span;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's data source with every statement's execution observed ({@link QueryObserver}:
 * slow-query detection, SQL spans). Connections and statements are thin JDK proxies: each
 * {@code execute*} call is timed (two {@code nanoTime} reads), every other call goes straight through;
 * bound values are never looked at. Not installed at all when neither a slow-query threshold nor
 * tracing is configured. {@code unwrap} reaches the pool (HikariCP) underneath, as Spring Boot's pool
 * metrics and data-source derivation expect.
 */
final class TimedDataSource extends DelegatingDataSource {

    private final Supplier<QueryObserver> observer;

    TimedDataSource(DataSource pool, Supplier<QueryObserver> observer) {
        super(pool);
        this.observer = observer;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connection(obtainTargetDataSource().getConnection(username, password));
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        DataSource target = obtainTargetDataSource();
        return type.isInstance(target) ? type.cast(target) : target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        DataSource target = obtainTargetDataSource();
        return type.isInstance(target) || target.isWrapperFor(type);
    }

    private Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(TimedDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(target));
    }

    private final class ConnectionHandler implements InvocationHandler {

        private final Connection target;

        ConnectionHandler(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "Timed[" + target + "]";
                default:
                    break;
            }
            Object result = call(target, method, args);
            if (result instanceof Statement statement) {
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                return Proxy.newProxyInstance(TimedDataSource.class.getClassLoader(), new Class<?>[] {type},
                        new StatementHandler(statement, sql, (Connection) proxy));
            }
            return result;
        }
    }

    private final class StatementHandler implements InvocationHandler {

        private final Statement target;
        /** The prepared statement's text; null for a plain statement (its text comes with each execute). */
        private final String prepared;
        private final Connection connection;

        StatementHandler(Statement target, String prepared, Connection connection) {
            this.target = target;
            this.prepared = prepared;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return target.toString();
                case "getConnection":
                    return connection;
                default:
                    break;
            }
            if (!name.startsWith("execute")) {
                return call(target, method, args);
            }
            String sql = prepared != null ? prepared
                    : args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            QueryObserver watcher = observer.get();
            Span span = watcher == null ? null : watcher.started(sql);
            long started = System.nanoTime();
            Throwable failure = null;
            try {
                return call(target, method, args);
            } catch (Throwable e) {
                failure = e;
                throw e;
            } finally {
                if (watcher != null) {
                    watcher.finished(sql, System.nanoTime() - started, span, failure);
                }
            }
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
