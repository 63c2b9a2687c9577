package io.healthcarebackend.platform.db;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Tenancy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * Starts every transaction with the current clinic handed to PostgreSQL
 * ({@code set_config('app.clinic_id', …, true)}), so row-level security filters each statement
 * even if an application query forgot its {@code clinic_id} predicate. The setting is
 * transaction-local: a pooled connection never carries one clinic's id into another's request.
 * Without a bound clinic nothing is set and every tenant-owned table reads as empty.
 *
 * <p>Inside a request the same statement sets {@code statement_timeout} to what is left of the
 * request's budget ({@link RequestDeadline}), also transaction-local.
 *
 * <p>A commit that fails because the connection broke has an unknown outcome (the server may have
 * committed before the connection went): it is raised as {@link CommitOutcomeUnknown}. A commit
 * the server refused (a deferred constraint, a serialization failure) keeps its own error: that
 * transaction was rolled back.
 */
class TenantTransactionManager extends JdbcTransactionManager {

    /** Null when tracing is off. */
    private final TransactionSpans spans;

    TenantTransactionManager(DataSource dataSource, TransactionSpans spans) {
        super(dataSource);
        this.spans = spans;
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        if (spans == null) {
            super.doBegin(transaction, definition);
            return;
        }
        spans.begin(definition);
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            spans.end(e);
            throw e;
        }
    }

    @Override
    protected void doRollback(DefaultTransactionStatus status) {
        if (spans != null) {
            spans.rolledBack();
        }
        super.doRollback(status);
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        try {
            super.doCleanupAfterCompletion(transaction);
        } finally {
            if (spans != null) {
                spans.end(null);
            }
        }
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        Optional<ClinicId> clinic = Tenancy.currentClinic();
        Optional<Duration> budget = RequestDeadline.remaining();
        if (budget.isPresent() && budget.get().toMillis() < 1) {
            throw RequestDeadline.timedOut();
        }
        String timeout = budget.map(left -> left.toMillis() + "ms").orElse(null);
        if (clinic.isPresent() && timeout != null) {
            run(connection, "select set_config('app.clinic_id', ?, true), set_config('statement_timeout', ?, true)",
                    clinic.get().toString(), timeout);
        } else if (clinic.isPresent()) {
            run(connection, "select set_config('app.clinic_id', ?, true)", clinic.get().toString());
        } else if (timeout != null) {
            run(connection, "select set_config('statement_timeout', ?, true)", timeout);
        }
    }

    @Override
    protected void doCommit(DefaultTransactionStatus status) {
        try {
            super.doCommit(status);
        } catch (RuntimeException e) {
            if (PgErrors.connectionLost(e)) {
                throw new CommitOutcomeUnknown(e);
            }
            throw e;
        }
    }

    private static void run(Connection connection, String sql, String... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            statement.execute();
        }
    }
}
