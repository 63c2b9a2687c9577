package io.healthcarebackend.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Ports;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import jakarta.servlet.ServletException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The outage classification behind every 503: errors PostgreSQL really raises (each SQLSTATE class
 * raised by the server itself, translated by Spring as in the service) and Redis failures, wrapped
 * at several depths, are outages with the right code; faults of the request are not.
 */
class OutagesTest {

    @ParameterizedTest(name = "SQLSTATE {0} -> {1}")
    @CsvSource({
            "connection_failure, 08006, SERVICE_UNAVAILABLE",
            "admin_shutdown, 57P01, SERVICE_UNAVAILABLE",
            "crash_shutdown, 57P02, SERVICE_UNAVAILABLE",
            "cannot_connect_now, 57P03, SERVICE_UNAVAILABLE",
            "too_many_connections, 53300, SERVICE_UNAVAILABLE",
            "disk_full, 53100, SERVICE_UNAVAILABLE",
            "io_error, 58030, SERVICE_UNAVAILABLE",
            "query_canceled, 57014, REQUEST_TIMEOUT",
            "serialization_failure, 40001, TRANSIENT_CONFLICT",
            "deadlock_detected, 40P01, TRANSIENT_CONFLICT",
            "lock_not_available, 55P03, TRANSIENT_CONFLICT",
            "unique_violation, 23505, NONE",
            "invalid_text_representation, 22P02, NONE",
            "raise_exception, P0001, NONE"})
    void serverErrorsAreClassifiedBySqlStateAtAnyDepth(String condition, String sqlState, String code)
            throws Exception {
        SQLException raised = raise(condition);
        assertThat(raised.getSQLState()).isEqualTo(sqlState);
        DataAccessException translated = new SQLErrorCodeSQLExceptionTranslator("PostgreSQL").translate("test", null,
                raised);

        for (Throwable failure : wrappings(translated == null ? raised : translated)) {
            assertThat(code(Outages.of(failure))).as("%s wrapped as %s", sqlState, failure.getClass().getSimpleName())
                    .isEqualTo(code);
        }
    }

    @Test
    void aStatementTimeoutAndALockTimeoutRaisedForRealAreRetryableOutages() throws Exception {
        try (Connection holder = TestDatabase.superuserOnTestDb(); Connection waiter = TestDatabase.superuserOnTestDb();
                Statement h = holder.createStatement(); Statement w = waiter.createStatement()) {
            w.execute("set statement_timeout = '50ms'");
            SQLException timedOut = failure(w, "select pg_sleep(2)");
            w.execute("set statement_timeout = 0");
            holder.setAutoCommit(false);
            long lock = System.nanoTime();
            h.execute("select pg_advisory_xact_lock(" + lock + ")");
            waiter.setAutoCommit(false);
            w.execute("set local lock_timeout = '50ms'");
            SQLException lockTimeout = failure(w, "select pg_advisory_xact_lock(" + lock + ")");
            waiter.rollback();
            holder.rollback();

            assertThat(code(Outages.of(new RuntimeException(timedOut)))).isEqualTo("REQUEST_TIMEOUT");
            assertThat(code(Outages.of(new ServletException(lockTimeout)))).isEqualTo("TRANSIENT_CONFLICT");
        }
    }

    @Test
    void redisFailuresAreOutagesButCommandErrorsAreNot() {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(Ports.free())
                .withTimeout(Duration.ofMillis(500)).build());
        RuntimeException refused;
        try {
            client.connect().sync().ping();
            throw new AssertionError("nothing listens there");
        } catch (RedisException e) {
            refused = e;
        } finally {
            client.shutdown();
        }
        for (Throwable failure : wrappings(refused)) {
            assertThat(code(Outages.of(failure))).isEqualTo("SERVICE_UNAVAILABLE");
        }
        assertThat(code(Outages.of(new RedisSystemException("x",
                new RedisException("Currently not connected. Commands are rejected."))))).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(code(Outages.of(new RedisSystemException("x", new RedisCommandTimeoutException("timed out")))))
                .isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(code(Outages.of(new RedisSystemException("x",
                new RedisCommandExecutionException("LOADING Redis is loading the dataset in memory")))))
                .isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(code(Outages.of(new RedisSystemException("x",
                new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind")))))
                .isEqualTo("NONE");
    }

    @Test
    void poolAndTransactionFailuresAreOutagesAndBugsAreNot() {
        assertThat(code(Outages.of(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("hb-primary - Connection is not available"))))).isEqualTo(
                        "SERVICE_UNAVAILABLE");
        assertThat(code(Outages.of(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"))))).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(code(Outages.of(new IllegalStateException("a bug")))).isEqualTo("NONE");
        assertThat(code(Outages.of(new NullPointerException()))).isEqualTo("NONE");
        assertThat(code(Outages.of(null))).isEqualTo("NONE");
    }

    private static Throwable[] wrappings(Throwable failure) {
        return new Throwable[] {failure, new RuntimeException(failure),
                new ServletException(new CompletionException(new IllegalStateException(failure)))};
    }

    private static String code(Optional<Outages.Outage> outage) {
        return outage.map(Outages.Outage::code).orElse("NONE");
    }

    /** The server raises the condition itself, so the exception is exactly what the driver delivers. */
    private static SQLException raise(String condition) throws SQLException {
        try (Connection c = TestDatabase.superuserOnTestDb(); Statement s = c.createStatement()) {
            return failure(s, "do $$ begin raise exception 'probe' using errcode = '" + condition + "'; end $$");
        }
    }

    private static SQLException failure(Statement s, String sql) {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("no error from " + sql);
    }
}
