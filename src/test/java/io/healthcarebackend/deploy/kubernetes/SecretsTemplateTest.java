package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.healthcarebackend.platform.config.ProductionSafetyCheck;
import io.healthcarebackend.support.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.springframework.core.env.StandardEnvironment;

class SecretsTemplateTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    private static final String TEMPLATE = "deploy/kubernetes/secrets/secrets.template.yaml";

    @Test
    void theTemplateHoldsOnlyPlaceholders() throws IOException {
        String text = Files.readString(Commands.root().resolve(TEMPLATE));
        List<Secret> secrets = template();

        assertThat(secrets).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("healthcare-backend-secrets", "postgresql-auth", "redis-auth");
        assertThat(secrets).allSatisfy(s -> {
            assertThat(s.getData()).as("base64 data in " + s.getMetadata().getName()).isNullOrEmpty();
            assertThat(s.getStringData().values()).as(s.getMetadata().getName()).containsOnly("REPLACE_ME");
        });
        assertThat(text.lines().filter(SecretScan::looksLikeKeyMaterial).toList()).isEmpty();
    }

    @Test
    void theTemplateNamesEverySecretProductionRefusesToStartWithout() {
        StandardEnvironment production = new StandardEnvironment();
        production.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        production.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        production.setActiveProfiles("production");
        Set<String> required = new TreeSet<>();
        for (String problem : ProductionSafetyCheck.problems(production)) {
            Matcher missing = Pattern.compile("^([A-Z_]+) is missing$").matcher(problem);
            if (missing.matches()) {
                required.add(missing.group(1));
            }
        }

        assertThat(required).contains("JWT_SIGNING_KEY", "PHI_MASTER_KEYSET", "DATABASE_PASSWORD");
        assertThat(secret("healthcare-backend-secrets").getStringData()).containsKeys(required.toArray(String[]::new));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everySecretAWorkloadReadsIsInTheTemplateAndNoneIsRendered(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.all(Secret.class)).as("Secrets are created out of band, never rendered").isEmpty();
        for (Rendered.Workload workload : rendered.workloads()) {
            for (Container c : ContainerRules.containers(workload.template().getSpec())) {
                Optional.ofNullable(c.getEnvFrom()).orElse(List.of()).stream().map(EnvFromSource::getSecretRef)
                        .filter(java.util.Objects::nonNull)
                        .forEach(ref -> assertThat(secret(ref.getName())).as(ref.getName()).isNotNull());
                Optional.ofNullable(c.getEnv()).orElse(List.of()).stream().map(EnvVar::getValueFrom)
                        .filter(v -> v != null && v.getSecretKeyRef() != null).map(v -> v.getSecretKeyRef())
                        .forEach(ref -> assertThat(secret(ref.getName()).getStringData())
                                .as(workload.name() + "/" + c.getName()).containsKey(ref.getKey()));
            }
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void noConfigMapCarriesKeyMaterialAndReleasesRefuseDemoData(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.all(ConfigMap.class)).flatExtracting(c -> c.getData().entrySet().stream()
                .filter(e -> SecretScan.looksLikeKeyMaterial(e.getValue()))
                .map(e -> c.getMetadata().getName() + "/" + e.getKey()).toList()).isEmpty();
        Map<String, String> config = rendered.configMap("healthcare-backend-config").getData();
        assertThat(config).doesNotContainKeys("DATABASE_PASSWORD", "REDIS_URL", "JWT_SIGNING_KEY", "DEMO_ENABLED");
        assertThat(config.get("APP_PROFILE")).isEqualTo(overlay.equals("local") ? "development" : overlay);
    }

    @Test
    void theScanRecognisesKeysAndPasswordsButNotPlaceholdersPathsOrNames() {
        assertThat(List.of("-----BEGIN PRIVATE KEY-----", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"d\":\"x\"}",
                "CiQAk3Jm0vQ9kYlS3qD4t7oPj2bN8cXw1ZrUeHfKgA6sLmTyVdE=",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .allMatch(SecretScan::looksLikeKeyMaterial);
        assertThat(List.of("REPLACE_ME", "/var/lib/healthcare-backend/audit/checkpoints",
                "healthcare-backend-worker-to-notification-providers", "-XX:MaxRAMPercentage=60", "10.0.0.0/8"))
                .noneMatch(SecretScan::looksLikeKeyMaterial);
    }

    private static List<Secret> template() {
        try {
            return StrictParser.parse(Files.readString(Commands.root().resolve(TEMPLATE))).stream()
                    .map(Secret.class::cast).collect(Collectors.toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Secret secret(String name) {
        return template().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the secrets template has no Secret " + name));
    }
}
