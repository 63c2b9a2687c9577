package io.healthcarebackend.platform.crypto;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.healthcarebackend.platform.ClinicId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The key store in a PostgreSQL database of its own. It keeps its own small connection pool (not
 * a DataSource bean, which would displace the main one) and migrates its own schema from
 * {@code db/keystore} as the migration role.
 */
final class PostgresPatientKeyStore implements PatientKeyStore, DisposableBean {

    record Settings(String url, String user, String password, String migrationUser, String migrationPassword,
            String appRole, int poolMax, int poolMin, boolean migrate) {
    }

    private final HikariDataSource pool;
    final JdbcClient jdbc;
    final TransactionTemplate tx;

    PostgresPatientKeyStore(Settings settings) {
        if (settings.migrate()) {
            Flyway.configure().dataSource(settings.url(), settings.migrationUser(), settings.migrationPassword())
                    .locations("classpath:db/keystore").placeholders(Map.of("appRole", settings.appRole()))
                    .load().migrate();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolMax());
        config.setMinimumIdle(settings.poolMin());
        config.setConnectionTimeout(5000);
        config.setPoolName("hb-keystore");
        config.addDataSourceProperty("ApplicationName", "healthcare-backend-keystore");
        this.pool = new HikariDataSource(config);
        this.jdbc = JdbcClient.create(pool);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(pool));
    }

    @Override
    public Optional<byte[]> clinicKey(ClinicId clinic) {
        return guarded(() -> jdbc.sql("select wrapped_keyset from clinic_keys where clinic_id = ?")
                .param(clinic.value()).query(byte[].class).optional());
    }

    @Override
    public byte[] clinicKeyIfAbsent(ClinicId clinic, byte[] wrapped) {
        return guarded(() -> {
            jdbc.sql("insert into clinic_keys (clinic_id, wrapped_keyset) values (?, ?) on conflict do nothing")
                    .params(clinic.value(), wrapped).update();
            return jdbc.sql("select wrapped_keyset from clinic_keys where clinic_id = ?").param(clinic.value())
                    .query(byte[].class).single();
        });
    }

    @Override
    public void putPatientKey(ClinicId clinic, UUID patient, byte[] wrapped) {
        guarded(() -> jdbc.sql("insert into patient_keys (patient_id, clinic_id, wrapped_keyset) values (?, ?, ?)")
                .params(patient, clinic.value(), wrapped).update());
    }

    @Override
    public Map<UUID, byte[]> patientKeys(ClinicId clinic, Collection<UUID> patients) {
        Map<UUID, byte[]> keys = new HashMap<>();
        if (patients.isEmpty()) {
            return keys;
        }
        guarded(() -> jdbc.sql("select patient_id, wrapped_keyset from patient_keys "
                        + "where clinic_id = ? and patient_id = any(cast(? as uuid[]))")
                .params(clinic.value(), patients.stream().map(UUID::toString).toArray(String[]::new))
                .query(rs -> {
                    keys.put(rs.getObject(1, UUID.class), rs.getBytes(2));
                }));
        return keys;
    }

    @Override
    public boolean deletePatientKey(ClinicId clinic, UUID patient) {
        return guarded(() -> jdbc.sql("delete from patient_keys where clinic_id = ? and patient_id = ?")
                .params(clinic.value(), patient).update() == 1);
    }

    @Override
    public void destroy() {
        pool.close();
    }

    private static <T> T guarded(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            throw new KeyStoreUnavailable();
        }
    }

    private static void guarded(Runnable work) {
        guarded(() -> {
            work.run();
            return null;
        });
    }
}
