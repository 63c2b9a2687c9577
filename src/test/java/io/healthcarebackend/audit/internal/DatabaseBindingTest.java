package io.healthcarebackend.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import io.healthcarebackend.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two databases started from one checkout (both with the same platform chain id, as two copies of
 * the demo data share the demo clinic's) keep their audit checkpoints and development keys apart:
 * by default each database gets its own, and both chains verify; a store or key file of the other
 * database, configured explicitly, is refused at start naming the setting, never mixed in (the
 * other's checkpoints would fail this chain's verification: a false tamper alarm).
 */
class DatabaseBindingTest {

    private static final String A = TestDatabase.NAME + "_bind_a";
    private static final String B = TestDatabase.NAME + "_bind_b";

    @TempDir
    static Path root;

    @BeforeAll
    static void createPairs() {
        TestDatabase.createPair(A);
        TestDatabase.createPair(B);
    }

    @AfterAll
    static void dropPairs() throws Exception {
        TestDatabase.dropPair(A);
        TestDatabase.dropPair(B);
    }

    @Test
    void twoDatabasesOfOneCheckoutKeepTheirOwnFilesAndAnotherDatabasesFileIsRefused() throws Exception {
        Map<String, String> perDatabase = Map.of(
                "app.audit.checkpoint-dir", root.resolve("{database-id}/audit-checkpoints").toString(),
                "app.audit.export-dir", root.resolve("{database-id}/audit-exports").toString(),
                "app.audit.dev-key-file", root.resolve("{database-id}/audit-signing-key").toString(),
                "app.jwt.dev-key-file", root.resolve("{database-id}/jwt-signing-key.json").toString(),
                "app.phi.dev-master-keyset-file", root.resolve("{database-id}/phi-master-keyset.json").toString());
        Path ofA;
        try (ConfigurableApplicationContext a = start(A, perDatabase); ConfigurableApplicationContext b = start(B, perDatabase)) {
            checkpointAPlatformEvent(a);
            checkpointAPlatformEvent(b);

            assertThat(verify(a)).contains("VALID   chain=platform").doesNotContain("INVALID");
            assertThat(verify(b)).contains("VALID   chain=platform").doesNotContain("INVALID");
            ofA = root.resolve(a.getBean(DatabaseIdentity.class).id().toString());
            Path ofB = root.resolve(b.getBean(DatabaseIdentity.class).id().toString());
            assertThat(ofA).isNotEqualTo(ofB);
            for (Path dir : List.of(ofA, ofB)) {
                assertThat(dir.resolve("audit-checkpoints/checkpoints.ndjson")).isNotEmptyFile();
                assertThat(dir.resolve("audit-checkpoints/database-id")).hasContent(dir.getFileName().toString());
                assertThat(dir.resolve("audit-exports/database-id")).hasContent(dir.getFileName().toString());
                assertThat(dir.resolve("jwt-signing-key.json")).content().contains(dir.getFileName().toString());
            }
        }

        // Database B pointed explicitly at a file or store of database A: refused, whichever it is.
        Map<String, String> variables = Map.of("app.audit.checkpoint-dir", "AUDIT_CHECKPOINT_DIR",
                "app.audit.export-dir", "AUDIT_EXPORT_DIR",
                "app.audit.dev-key-file", "AUDIT_DEV_KEY_FILE", "app.jwt.dev-key-file", "JWT_DEV_KEY_FILE",
                "app.phi.dev-master-keyset-file", "PHI_DEV_MASTER_KEYSET_FILE");
        List<String> checkpointsOfA = Files.readAllLines(ofA.resolve("audit-checkpoints/checkpoints.ndjson"));
        for (Map.Entry<String, String> setting : perDatabase.entrySet()) {
            Path ofAExplicitly = Path.of(setting.getValue().replace("{database-id}", ofA.getFileName().toString()));
            Map<String, String> shared = new HashMap<>(perDatabase);
            shared.put(setting.getKey(), ofAExplicitly.toString());
            assertThatThrownBy(() -> start(B, shared).close()).as(setting.getKey()).rootCause()
                    .hasMessageContaining(variables.get(setting.getKey()) + " points at " + ofAExplicitly)
                    .hasMessageContaining("belongs to another database (database id " + ofA.getFileName() + ")")
                    .hasMessageContaining("this service's database is '" + B + "'");
        }
        assertThat(Files.readAllLines(ofA.resolve("audit-checkpoints/checkpoints.ndjson")))
                .as("A's store is untouched").isEqualTo(checkpointsOfA);
        assertThat(ofA.resolve("audit-checkpoints/database-id")).hasContent(ofA.getFileName().toString());
    }

    private static void checkpointAPlatformEvent(ConfigurableApplicationContext app) {
        app.getBean(AuditTrail.class).recordDurably(AuditEvent.anonymous(null, AuditAction.LOGIN_FAILED,
                AuditOutcome.FAILURE));
        app.getBean(AuditSealer.class).seal(AuditSealer.Wait.WAIT, true);
    }

    private static String verify(ConfigurableApplicationContext app) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        app.getBean(AuditVerifyCommand.class).verifyAll(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The service on one database pair, without its web server, as a command runs it. */
    private static ConfigurableApplicationContext start(String database, Map<String, String> files) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + url(database),
                "--app.phi.keystore.url=" + url(database + "_keys"),
                "--app.redis.key-prefix=" + TestDatabase.REDIS_PREFIX + database + ":",
                // Checkpoints only when the test asks for them (AuditSealer.seal).
                "--app.audit.checkpoint-interval=1h", "--app.audit.seal-interval=1h",
                "--spring.datasource.hikari.maximum-pool-size=4"));
        files.forEach((property, value) -> args.add("--" + property + "=" + value));
        return new SpringApplicationBuilder(HealthcareBackendApplication.class).web(WebApplicationType.NONE)
                .logStartupInfo(false).run(args.toArray(String[]::new));
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + database;
    }
}
