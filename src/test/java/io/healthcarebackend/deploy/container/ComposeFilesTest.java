package io.healthcarebackend.deploy.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.healthcarebackend.platform.config.ProductionSafetyCheck;
import io.healthcarebackend.support.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * compose.dev.yaml and compose.prod.yaml against the Compose Specification schema (no `docker
 * compose` here) and against what the deployment needs: services, health checks, restart
 * policies, limits, networks, replication, Redis durability, HAProxy, secrets.
 */
class ComposeFilesTest {

    private static final Path ROOT = Commands.root();
    private final JsonNode prod = ComposeFiles.read(Path.of("compose.prod.yaml"));
    private final JsonNode dev = ComposeFiles.read(Path.of("compose.dev.yaml"));

    @Test
    void bothComposeFilesFollowTheComposeSpecification() {
        assertThat(ComposeFiles.schemaErrors(prod)).as("compose.prod.yaml").isEmpty();
        assertThat(ComposeFiles.schemaErrors(dev)).as("compose.dev.yaml").isEmpty();
    }

    @Test
    void theSchemaRejectsAMisspelledKeyAndAWrongType() {
        JsonNode misspelled = ComposeFiles.parse("""
                services:
                  app:
                    image: healthcare-backend:local
                    healthchek:
                      test: ["CMD", "healthcheck"]
                """);
        JsonNode wrongType = ComposeFiles.parse("""
                services:
                  app:
                    image: healthcare-backend:local
                    read_only: "sometimes"
                    deploy:
                      replicas: three
                """);
        assertThat(ComposeFiles.schemaErrors(misspelled)).anySatisfy(e -> assertThat(e).contains("healthchek"));
        assertThat(ComposeFiles.schemaErrors(wrongType))
                .anySatisfy(e -> assertThat(e).contains("read_only"))
                .anySatisfy(e -> assertThat(e).contains("replicas"));
    }

    @Test
    void productionRunsThreeApisAWorkerAReplicatedDatabaseDurableRedisAndHaproxyWithLimitsAndHealthChecks() {
        assertThat(ComposePolicy.problems(prod, ROOT)).isEmpty();
    }

    @Test
    void thePolicyNamesEachRuleABrokenProductionFileBreaks() {
        ObjectNode broken = prod.deepCopy();
        ObjectNode services = (ObjectNode) broken.path("services");
        ((ObjectNode) services.path("api-2")).remove("healthcheck");
        ((ObjectNode) services.path("worker")).remove("restart");
        ((ObjectNode) services.path("api-3").path("deploy")).remove("resources");
        ((ObjectNode) services.path("redis")).putArray("networks").add("backend").add("frontend");
        ((ObjectNode) services.path("worker").path("environment")).put("APP_ROLE", "all");
        ((ObjectNode) services.path("api-1").path("environment")).put("DATABASE_PASSWORD", "s3cret");
        ((ObjectNode) services.path("haproxy")).put("image", "haproxy:latest");
        ((ObjectNode) services.path("postgres-replica").path("environment")).put("PRIMARY_HOST", "elsewhere");
        assertThat(ComposePolicy.problems(broken, ROOT)).containsExactlyInAnyOrder(
                "api-2: no health check",
                "worker: no restart policy (restart: always or unless-stopped)",
                "api-3: no cpu and memory limits",
                "api-3: no cpu and memory reservations",
                "redis: networks [backend, frontend], expected [backend]",
                "roles: APP_ROLE=api on [api-1, api-2, api-3], APP_ROLE=worker on []",
                "api-1: secret DATABASE_PASSWORD in the environment (use secrets:)",
                "haproxy: image not pinned to a release: haproxy:latest",
                "postgres-replica: does not follow postgres-primary (pg_basebackup -R from it)");
    }

    @Test
    void productionSuppliesEverySecretTheProductionSafetyCheckDemands() throws IOException {
        for (String api : List.of("api-1", "api-2", "api-3", "worker")) {
            JsonNode service = prod.path("services").path(api);
            StandardEnvironment env = new StandardEnvironment();
            env.setActiveProfiles("production");
            var sources = env.getPropertySources();
            YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
            yaml.load("production", new FileSystemResource("src/main/resources/application-production.yml")).forEach(sources::addLast);
            yaml.load("application", new FileSystemResource("src/main/resources/application.yml")).forEach(sources::addLast);
            java.util.Map<String, Object> compose = new java.util.HashMap<>();
            service.path("environment").fields().forEachRemaining(e -> compose.put(e.getKey(), e.getValue().asText()));
            // Spring's configtree import turns each mounted secret file into a property of its name.
            assertThat(service.path("environment").path("SPRING_CONFIG_IMPORT").asText()).isEqualTo("configtree:/run/secrets/");
            service.path("secrets").forEach(s -> compose.put(s.asText(), "placeholder-for-" + s.asText() + "-0123456789"));
            sources.addFirst(new MapPropertySource("compose", compose));
            assertThat(ProductionSafetyCheck.problems(env)).as(api).isEmpty();
        }
    }

    @Test
    void secretsAreFilesOutsideTheRepositoryAndTheTemplatesHoldPlaceholdersOnly() throws IOException {
        prod.path("secrets").fields().forEachRemaining(s ->
                assertThat(s.getValue().path("file").asText()).isEqualTo("./deploy/compose/secrets/" + s.getKey()));
        assertThat(Path.of("deploy/compose/secrets")).as("generated secrets are never committed").doesNotExist();
        String template = Files.readString(Path.of("deploy/compose/prod.env.example"));
        List<String> settings = template.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(settings).isNotEmpty().allSatisfy(line -> {
            assertThat(ComposePolicy.SECRET_NAME.matcher(line.substring(0, line.indexOf('='))).matches())
                    .as("a secret in the template: " + line).isFalse();
            assertThat(line).as("a placeholder").matches("[A-Z_]+=(\\d+|\\S*example\\.com\\S*)");
        });
        assertThat(template).containsPattern("(?m)^HB_IMAGE=\\S+:\\d+\\.\\d+\\.\\d+$");
    }

    @Test
    void developmentRunsTheCombinedRoleOnPostgresInitialisedByDbInitAndRedis() {
        JsonNode services = dev.path("services");
        assertThat(services.properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder("app", "postgres", "redis");
        services.properties().forEach(s -> {
            assertThat(s.getValue().path("healthcheck").path("test").isArray()).as(s.getKey() + " health check").isTrue();
            assertThat(s.getValue().path("restart").asText()).as(s.getKey() + " restart").isEqualTo("unless-stopped");
            assertThat(s.getValue().path("image").asText()).as(s.getKey() + " image").doesNotEndWith(":latest").contains(":");
        });
        JsonNode app = services.path("app");
        assertThat(app.path("environment").path("APP_ROLE").asText()).isEqualTo("all");
        assertThat(app.path("environment").path("APP_PROFILE").asText()).isEqualTo("development");
        assertThat(app.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(app.path("depends_on").path("redis").path("condition").asText()).isEqualTo("service_healthy");
        JsonNode postgres = services.path("postgres");
        assertThat(ComposePolicy.mountedFile(postgres, "/opt/healthcare/db-init.sh", ROOT))
                .isEqualTo(read("scripts/db-init.sh"));
        assertThat(ComposePolicy.mountedFile(postgres, "/docker-entrypoint-initdb.d/10-init-db.sh", ROOT))
                .contains("/opt/healthcare/db-init.sh");
    }

    @Test
    void haproxyBalancesTheThreeApisCheckedOnReadinessAndItsConfigurationIsValid() {
        String config = read("deploy/compose/haproxy/haproxy.cfg");
        Matcher backend = Pattern.compile("(?ms)^backend api\\n(.*?)(?=^\\S|\\z)").matcher(config);
        assertThat(backend.find()).as("backend api section").isTrue();
        String section = backend.group(1);
        assertThat(Pattern.compile("(?m)^\\s+server (\\S+) (\\S+)").matcher(section).results()
                .map(m -> m.group(1) + " " + m.group(2)).toList())
                .containsExactly("api-1 api-1:8088", "api-2 api-2:8088", "api-3 api-3:8088");
        assertThat(section).containsPattern("(?m)^\\s+default-server check .*inter \\d+s")
                .containsPattern("(?m)^\\s+http-check send meth GET uri /health/readiness ")
                .containsPattern("(?m)^\\s+http-check expect status 200$");
        assertThat(config).containsPattern("(?m)^\\s+option forwardfor$").containsPattern("(?m)^\\s+option redispatch");
        Commands.Result check = Commands.run(Duration.ofSeconds(15), "bash", "-c",
                "command -v haproxy >/dev/null || { echo 'haproxy is missing: apt-get install haproxy'; exit 127; }; "
                        + "haproxy -c -f deploy/compose/haproxy/haproxy.cfg");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("Configuration file is valid");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
