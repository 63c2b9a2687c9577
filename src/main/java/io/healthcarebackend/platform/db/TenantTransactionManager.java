package io.healthcarebackend.platform.db;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Tenancy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Starts every transaction with the current clinic handed to PostgreSQL
 * ({@code set_config('app.clinic_id', …, true)}), so row-level security filters each statement
 * even if an application query forgot its {@code clinic_id} predicate. The setting is
 * transaction-local: a pooled connection never carries one clinic's id into another's request.
 * Without a bound clinic nothing is set and every tenant-owned table reads as empty.
 */
class TenantTransactionManager extends JdbcTransactionManager {

    TenantTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        Optional<ClinicId> clinic = Tenancy.currentClinic();
        if (clinic.isPresent()) {
            try (PreparedStatement statement =
                    connection.prepareStatement("select set_config('app.clinic_id', ?, true)")) {
                statement.setString(1, clinic.get().toString());
                statement.execute();
            }
        }
    }
}
