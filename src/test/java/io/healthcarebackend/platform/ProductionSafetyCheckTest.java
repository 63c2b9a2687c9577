package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.platform.config.ProductionSafetyCheck;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

class ProductionSafetyCheckTest {

    private static MockEnvironment production() {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles("production");
        return env;
    }

    private static MockEnvironment safeProduction() {
        return production()
                .withProperty("app.jwt.signing-key", "{\"kty\":\"EC\"}")
                .withProperty("app.audit.signing-key", "cHJpdmF0ZQ:cHVibGlj")
                .withProperty("app.phi.index-key", "cHJvZHVjdGlvbi1rZXktb2YtYXQtbGVhc3QtMzItYnl0ZXMtbG9uZw")
                .withProperty("app.phi.master-keyset", "eyJwcmltYXJ5S2V5SWQiOjF9")
                .withProperty("app.mfa.secret-keyset", "eyJwcmltYXJ5S2V5SWQiOjJ9")
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/healthcare")
                .withProperty("app.phi.keystore.url", "jdbc:postgresql://keys/healthcare_keys")
                .withProperty("spring.datasource.password", "s3cret-app-password")
                .withProperty("spring.flyway.password", "s3cret-owner-password")
                .withProperty("app.sessions.data-key", "cHJvZHVjdGlvbi1zZXNzaW9uLWtleS1vZi10aGlydHktdHdvLWJ5dGVz")
                .withProperty("app.metrics.token", "f3a1c9e07b5d42e88c6a0d1f9e2b7c4a");
    }

    @Test
    void productionWithoutSecretsNamesEveryMissingOne() {
        assertThat(ProductionSafetyCheck.problems(production())).containsExactlyInAnyOrder(
                "JWT_SIGNING_KEY is missing", "AUDIT_SIGNING_KEY is missing", "PHI_INDEX_KEY is missing",
                "PHI_MASTER_KEYSET is missing", "MFA_SECRET_KEYSET is missing", "DATABASE_PASSWORD is missing",
                "DATABASE_MIGRATION_PASSWORD is missing", "SESSION_DATA_KEY is missing", "METRICS_TOKEN is missing");
    }

    @Test
    void productionRefusesAShortMetricsToken() {
        assertThat(ProductionSafetyCheck.problems(safeProduction().withProperty("app.metrics.token", "prometheus")))
                .containsExactly("METRICS_TOKEN is shorter than 32 characters");
        assertThat(ProductionSafetyCheck.problems(safeProduction().withProperty("app.metrics.token", "changeme")))
                .contains("METRICS_TOKEN is a development default");
    }

    @Test
    void productionRefusesDemoUsersAndDevelopmentDefaults() {
        MockEnvironment env = safeProduction()
                .withProperty("app.demo.enabled", "true")
                .withProperty("app.audit.generate-if-missing", "true")
                .withProperty("spring.datasource.password", "hb_app_dev")
                .withProperty("app.sessions.data-key", "ZGV2ZWxvcG1lbnQtb25seS1zZXNzaW9uLWRhdGEta2V5LTMyYnl0ZXMh")
                .withProperty("app.bootstrap.admin-password", "demo-password-123");
        assertThat(ProductionSafetyCheck.problems(env)).containsExactlyInAnyOrder(
                "demo users are enabled (DEMO_ENABLED must be false)",
                "app.audit.generate-if-missing is on: the audit key must come from AUDIT_SIGNING_KEY",
                "DATABASE_PASSWORD is a development default",
                "SESSION_DATA_KEY is a development default",
                "BOOTSTRAP_ADMIN_PASSWORD is a default or shorter than 12 characters");
    }

    @Test
    void productionRefusesAGeneratedMasterKeyAndKeysBesideTheData() {
        MockEnvironment env = safeProduction()
                .withProperty("app.phi.generate-master-keyset-if-missing", "true")
                .withProperty("app.phi.keystore.url", "jdbc:postgresql://db/healthcare");
        assertThat(ProductionSafetyCheck.problems(env)).containsExactlyInAnyOrder(
                "app.phi.generate-master-keyset-if-missing is on: the PHI master key must come from PHI_MASTER_KEYSET",
                "PHI_KEYSTORE_URL names the data database: patient keys must live in a database of their own");
    }

    @Test
    void productionRefusesAGeneratedKeyForTheTotpKeys() {
        MockEnvironment env = safeProduction().withProperty("app.mfa.generate-keyset-if-missing", "true");
        assertThat(ProductionSafetyCheck.problems(env)).containsExactly(
                "app.mfa.generate-keyset-if-missing is on: the TOTP key encryption key must come from MFA_SECRET_KEYSET");
    }

    @Test
    void aSafeProductionConfigurationPasses() {
        assertThat(ProductionSafetyCheck.problems(safeProduction())).isEmpty();
    }

    @Test
    void developmentIsNotGuarded() {
        MockEnvironment env = new MockEnvironment().withProperty("app.demo.enabled", "true");
        env.setActiveProfiles("development");
        assertThat(ProductionSafetyCheck.problems(env)).isEmpty();
    }

    @Test
    void theApplicationRefusesToStartInProductionWithoutKeys() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(HealthcareBackendApplication.class)
                .listeners(new ProductionSafetyCheck())
                .profiles("production")
                .properties("app.jwt.signing-key=", "server.port=0");
        assertThatThrownBy(app::run)
                .hasMessageContaining("Refusing to start")
                .hasMessageContaining("JWT_SIGNING_KEY is missing");
    }
}
