package io.healthcarebackend.platform.crypto;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PHI key beans. A plain configuration (no component scan needed), so the {@code rotate-keys}
 * command can start just these beans without the web server or the rest of the service.
 */
@Configuration(proxyBeanMethods = false)
public class CryptoConfig {

    @Bean
    MasterKeyProvider masterKeyProvider(@Value("${app.phi.master-keyset:}") String keyset,
            @Value("${app.phi.generate-master-keyset-if-missing:false}") boolean generate,
            @Value("${app.phi.dev-master-keyset-file:var/dev-phi-master-keyset.json}") String devFile) {
        return new ConfiguredMasterKey(keyset, generate, devFile);
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
