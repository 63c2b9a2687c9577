package io.healthcarebackend.platform.crypto;

import java.sql.DriverManager;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PHI key beans. A plain configuration (no component scan needed), so the {@code rotate-keys}
 * command can start just these beans without the web server or the rest of the service.
 */
@Configuration(proxyBeanMethods = false)
public class CryptoConfig {

    static final String DEFAULT_DEV_FILE = "var/databases/" + DevKeyFile.DATABASE_ID + "/phi-master-keyset.json";
    /** The default before development keys were bound to their database; adopted once (DevKeyFile). */
    static final String LEGACY_DEV_FILE = "var/dev-phi-master-keyset.json";

    /**
     * The data database's identity. Read through the service's DataSource after its migrations
     * ran; without one (the {@code rotate-keys} command starts only these beans) with a connection
     * of its own.
     */
    @Bean
    @DependsOnDatabaseInitialization
    DatabaseIdentity databaseIdentity(ObjectProvider<DataSource> dataSource,
            @Value("${spring.datasource.url}") String url, @Value("${spring.datasource.username:}") String user,
            @Value("${spring.datasource.password:}") String password) {
        return new DatabaseIdentity(() -> {
            DataSource source = dataSource.getIfAvailable();
            return source != null ? source.getConnection() : DriverManager.getConnection(url, user, password);
        });
    }

    @Bean
    MasterKeyProvider masterKeyProvider(@Value("${app.phi.master-keyset:}") String keyset,
            @Value("${app.phi.generate-master-keyset-if-missing:false}") boolean generate,
            @Value("${app.phi.dev-master-keyset-file:" + DEFAULT_DEV_FILE + "}") String devFile,
            DatabaseIdentity database) {
        return new ConfiguredMasterKey(keyset, generate ? DevKeyFile.of(ConfiguredMasterKey.DEV_FILE_VARIABLE,
                devFile, LEGACY_DEV_FILE, DevKeyFile.Format.JSON, database) : null);
    }

    /** Refuses to start when the master key does not open the key store's clinic keys. */
    @Bean
    MasterKeyCheck masterKeyCheck(MasterKeyProvider master, PostgresPatientKeyStore store,
            @Value("${app.phi.keystore.url}") String url) {
        return new MasterKeyCheck(master, store, databaseName(url));
    }

    static String databaseName(String jdbcUrl) {
        String path = jdbcUrl.replaceFirst("\\?.*$", "");
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Bean
    PostgresPatientKeyStore patientKeyStore(@Value("${app.phi.keystore.url}") String url,
            @Value("${app.phi.keystore.username}") String user, @Value("${app.phi.keystore.password}") String password,
            @Value("${app.phi.keystore.migration-username}") String migrationUser,
            @Value("${app.phi.keystore.migration-password}") String migrationPassword,
            @Value("${spring.flyway.placeholders.appRole:hb_app}") String appRole,
            @Value("${app.phi.keystore.pool-max:8}") int poolMax,
            @Value("${app.phi.keystore.pool-min:1}") int poolMin,
            @Value("${spring.flyway.enabled:true}") boolean migrate) {
        return new PostgresPatientKeyStore(new PostgresPatientKeyStore.Settings(url, user, password, migrationUser,
                migrationPassword, appRole, poolMax, poolMin, migrate));
    }

    @Bean
    PhiKeys phiKeys(MasterKeyProvider master, PatientKeyStore store,
            @Value("${app.phi.key-cache-ttl:5m}") Duration ttl,
            @Value("${app.phi.key-cache-size:100000}") long size) {
        return new PhiKeys(master, store, ttl, size);
    }

    @Bean
    KeyRotation keyRotation(MasterKeyProvider master, PostgresPatientKeyStore store) {
        return new KeyRotation(master, store);
    }
}
