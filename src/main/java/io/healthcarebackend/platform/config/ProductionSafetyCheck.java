package io.healthcarebackend.platform.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Refuses to start staging or production with demo users, development defaults or missing keys,
 * and names every offending setting at once (not one per restart). Runs before any bean is
 * created, so nothing touches the database with a bad configuration.
 */
public final class ProductionSafetyCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Set<String> GUARDED = Set.of("production", "staging");
    private static final Set<String> DEV_SECRETS = Set.of("hb_app_dev", "hb_owner_dev", "demo-password-123",
            "ZGV2ZWxvcG1lbnQtb25seS1waGktaW5kZXgta2V5LTMyYg", "ZGV2ZWxvcG1lbnQtb25seS1zZXNzaW9uLWRhdGEta2V5LTMyYnl0ZXMh",
            "changeme", "password");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        List<String> problems = problems(event.getEnvironment());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Refusing to start with an unsafe configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** The list of unsafe settings for a guarded profile; empty when the environment is fine. */
    public static List<String> problems(Environment env) {
        List<String> problems = new ArrayList<>();
        boolean guarded = Arrays.stream(env.getActiveProfiles()).anyMatch(GUARDED::contains);
        if (!guarded) {
            return problems;
        }
        if (Arrays.asList(env.getActiveProfiles()).contains("development")) {
            problems.add("the development profile is active together with staging/production");
        }
        if (env.getProperty("app.demo.enabled", Boolean.class, false)) {
            problems.add("demo users are enabled (DEMO_ENABLED must be false)");
        }
        if (env.getProperty("app.jwt.generate-if-missing", Boolean.class, false)) {
            problems.add("app.jwt.generate-if-missing is on: signing keys must come from JWT_SIGNING_KEY");
        }
        if (env.getProperty("app.audit.generate-if-missing", Boolean.class, false)) {
            problems.add("app.audit.generate-if-missing is on: the audit key must come from AUDIT_SIGNING_KEY");
        }
        requireSecret(env, problems, "app.jwt.signing-key", "JWT_SIGNING_KEY");
        requireSecret(env, problems, "app.audit.signing-key", "AUDIT_SIGNING_KEY");
        if (env.getProperty("app.phi.generate-master-keyset-if-missing", Boolean.class, false)) {
            problems.add("app.phi.generate-master-keyset-if-missing is on: the PHI master key must come from "
                    + "PHI_MASTER_KEYSET");
        }
        requireSecret(env, problems, "app.phi.master-keyset", "PHI_MASTER_KEYSET");
        if (env.getProperty("app.mfa.generate-keyset-if-missing", Boolean.class, false)) {
            problems.add("app.mfa.generate-keyset-if-missing is on: the TOTP key encryption key must come from "
                    + "MFA_SECRET_KEYSET");
        }
        requireSecret(env, problems, "app.mfa.secret-keyset", "MFA_SECRET_KEYSET");
        String keyStore = env.getProperty("app.phi.keystore.url", "");
        if (!keyStore.isBlank() && keyStore.equals(env.getProperty("spring.datasource.url", ""))) {
            // Keys beside the ciphertext would put both into every backup: erasure could not work.
            problems.add("PHI_KEYSTORE_URL names the data database: patient keys must live in a database of their own");
        }
        requireSecret(env, problems, "app.phi.index-key", "PHI_INDEX_KEY");
        requireSecret(env, problems, "app.sessions.data-key", "SESSION_DATA_KEY");
        requireSecret(env, problems, "app.metrics.token", "METRICS_TOKEN");
        int metricsToken = env.getProperty("app.metrics.token", "").strip().length();
        if (metricsToken > 0 && metricsToken < 32) {
            problems.add("METRICS_TOKEN is shorter than 32 characters");
        }
        requireSecret(env, problems, "spring.datasource.password", "DATABASE_PASSWORD");
        requireSecret(env, problems, "spring.flyway.password", "DATABASE_MIGRATION_PASSWORD");
        String adminPassword = env.getProperty("app.bootstrap.admin-password", "");
        if (!adminPassword.isEmpty() && (DEV_SECRETS.contains(adminPassword) || adminPassword.length() < 12)) {
            problems.add("BOOTSTRAP_ADMIN_PASSWORD is a default or shorter than 12 characters");
        }
        return problems;
    }

    private static void requireSecret(Environment env, List<String> problems, String property, String variable) {
        String value = env.getProperty(property, "");
        if (value.isBlank()) {
            problems.add(variable + " is missing");
        } else if (DEV_SECRETS.contains(value)) {
            problems.add(variable + " is a development default");
        }
    }
}
