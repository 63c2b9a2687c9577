package io.healthcarebackend.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The GitHub Actions workflows do what the project's CI does and what the release process
 * promises: the test job runs .ci/run against real PostgreSQL and Redis, static checks and an image
 * scan gate the build, and a deploy waits for health, rolls back on failure and needs approval for
 * production.
 */
class WorkflowsTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> workflow(String name) throws IOException {
        return new Yaml().load(Files.readString(Path.of(".github/workflows", name)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> job(Map<String, Object> workflow, String name) {
        Map<String, Object> jobs = (Map<String, Object>) workflow.get("jobs");
        assertThat(jobs).as("jobs").containsKey(name);
        return (Map<String, Object>) jobs.get(name);
    }

    @SuppressWarnings("unchecked")
    private static String runs(Map<String, Object> job) {
        StringBuilder all = new StringBuilder();
        for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
            all.append(step.getOrDefault("run", "")).append('\n').append(step.getOrDefault("uses", "")).append('\n');
        }
        return all.toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCiTestJobRunsTheProjectsOwnCiScriptWithRealServices() throws IOException {
        Map<String, Object> test = job(workflow("ci.yml"), "test");
        Map<String, Object> services = (Map<String, Object>) test.get("services");
        assertThat(services).containsKeys("postgres", "redis");
        assertThat(runs(test)).contains("bash .ci/run").contains("actions/setup-java").doesNotContain("skipTests");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("make lint").contains("make test");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClusterDrillThatMakeTestLeavesOutRunsOnAScheduleAndOnDemand() throws IOException {
        Map<String, Object> drill = workflow("cluster-drill.yml");
        // YAML 1.1 reads the key "on" as the boolean true.
        Map<String, Object> triggers = (Map<String, Object>) drill.getOrDefault("on", drill.get(true));
        assertThat(triggers).containsKeys("schedule", "workflow_dispatch");
        Map<String, Object> job = job(drill, "cluster-drill");
        assertThat((Map<String, Object>) job.get("services")).containsKeys("postgres", "redis");
        assertThat(runs(job)).contains("make cluster-drill").contains("actions/setup-java");
        assertThat(Files.readString(Path.of("make/cluster.mk"))).containsPattern("(?m)^cluster-drill:.*## ");
    }

    @Test
    void theCiWorkflowChecksStaticallyBuildsTheImageAndScansIt() throws IOException {
        Map<String, Object> ci = workflow("ci.yml");
        assertThat(runs(job(ci, "static-checks"))).contains("make lint").contains("hadolint").contains("make k8s-render");
        String image = runs(job(ci, "image"));
        assertThat(image).contains("docker/build-push-action").contains("trivy-action");
        assertThat(Files.readString(Path.of(".github/workflows/ci.yml"))).contains("exit-code: \"1\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void deployingChecksHealthRollsBackOnFailureAndWaitsForApprovalInProduction() throws IOException {
        Map<String, Object> deploy = workflow("deploy.yml");
        Map<String, Object> staging = job(deploy, "staging");
        Map<String, Object> production = job(deploy, "production");
        assertThat(staging.get("environment")).isEqualTo("staging");
        assertThat(production.get("environment")).as("the approval gate").isEqualTo("production");
        assertThat((List<String>) production.get("needs")).contains("staging");
        assertThat(runs(staging)).contains("make k8s-deploy OVERLAY=staging");
        assertThat(runs(production)).contains("make k8s-deploy OVERLAY=production");
        String script = Files.readString(Path.of("scripts/k8s-deploy.sh"));
        assertThat(script).contains("rollout status").contains("rollout undo").contains("/health");
    }
}
