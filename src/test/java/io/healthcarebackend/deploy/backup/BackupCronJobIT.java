package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Commands;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The scheduled backup for Kubernetes (deploy/postgres/kubernetes), rendered with kubectl kustomize:
 * it runs scripts/db-backup.sh with variables that script reads, its passphrases from a mounted
 * Secret, hardened like the service's pods, and the Secret template holds placeholders only.
 */
class BackupCronJobIT {

    /** Variables the job may set besides the ones scripts/db-backup.sh documents: libpq's and the aws CLI's. */
    private static final Set<String> STANDARD = Set.of("PGPASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_DEFAULT_REGION", "TMPDIR");

    @Test
    @SuppressWarnings("unchecked")
    void theCronJobRunsTheBackupScriptWithItsOwnVariablesAndSecretsAndNoRealSecretIsCommitted() throws Exception {
        Commands.Result rendered = Commands.run(Duration.ofSeconds(30), "kubectl", "kustomize", "deploy/postgres/kubernetes")
                .orFail();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered.output())) {
            objects.add((Map<String, Object>) document);
        }
        assertThat(objects).extracting(o -> o.get("kind"))
                .containsExactlyInAnyOrder("CronJob", "NetworkPolicy", "PersistentVolumeClaim", "Secret");

        Map<String, Object> cronJob = only(objects, "CronJob");
        Map<String, Object> spec = map(cronJob, "spec");
        assertThat(spec).containsEntry("concurrencyPolicy", "Forbid").containsEntry("timeZone", "Etc/UTC");
        Map<String, Object> pod = map(map(map(map(spec, "jobTemplate"), "spec"), "template"), "spec");
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).getFirst();
        assertThat((String) container.get("image")).doesNotEndWith(":latest").contains(":");
        assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(map(map(container, "resources"), "limits")).containsKeys("cpu", "memory");

        String script = Files.readString(Commands.root().resolve("scripts/db-backup.sh"));
        List<Map<String, Object>> env = (List<Map<String, Object>>) container.get("env");
        for (Map<String, Object> variable : env) {
            String name = (String) variable.get("name");
            assertThat(STANDARD.contains(name) || script.contains(name)).as("%s is read by scripts/db-backup.sh", name).isTrue();
        }
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) container.get("volumeMounts");
        Map<String, Object> secretMount = mounts.stream().filter(m -> "passphrases".equals(m.get("name"))).findFirst().orElseThrow();
        for (String passphrase : List.of("BACKUP_PASSPHRASE_FILE", "BACKUP_KEYS_PASSPHRASE_FILE")) {
            assertThat(value(env, passphrase)).startsWith(secretMount.get("mountPath") + "/");
        }
        assertThat(value(env, "BACKUP_KEYS_PASSPHRASE_FILE")).isNotEqualTo(value(env, "BACKUP_PASSPHRASE_FILE"));

        Map<String, Object> secret = only(objects, "Secret");
        assertThat(map(secret, "stringData").values()).isNotEmpty()
                .allSatisfy(v -> assertThat((String) v).as("placeholder only").startsWith("REPLACE_WITH_"));
    }

    private static Map<String, Object> only(List<Map<String, Object>> objects, String kind) {
        List<Map<String, Object>> found = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        assertThat(found).hasSize(1);
        return found.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    private static String value(List<Map<String, Object>> env, String name) {
        return env.stream().filter(v -> name.equals(v.get("name"))).map(v -> (String) v.get("value")).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not set"));
    }
}
