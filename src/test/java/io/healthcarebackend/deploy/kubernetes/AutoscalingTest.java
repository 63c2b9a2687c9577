package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

class AutoscalingTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;

    static Stream<Arguments> bounds() {
        return Stream.of(Arguments.of("staging", 2, 10, 1, 5), Arguments.of("production", 10, 200, 5, 50));
    }

    @ParameterizedTest
    @MethodSource("bounds")
    void eachReleaseOverlayScalesApiAndWorkersWithinItsBounds(String overlay, int apiMin, int apiMax, int workerMin,
            int workerMax) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(range(rendered, "healthcare-backend-api")).isEqualTo(new ScalingRules.Range(apiMin, apiMax));
        assertThat(range(rendered, "healthcare-backend-worker")).isEqualTo(new ScalingRules.Range(workerMin, workerMax));
        assertThat(rendered.named(Deployment.class, "healthcare-backend-api").getSpec().getReplicas())
                .isBetween(apiMin, apiMax);
    }

    @Test
    void theLocalOverlayRunsOneApiAndOneWorkerWithoutAutoscalers() {
        Rendered local = Rendered.overlay("local");

        assertThat(local.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(range(local, "healthcare-backend-api")).isEqualTo(new ScalingRules.Range(1, 1));
        assertThat(range(local, "healthcare-backend-worker")).isEqualTo(new ScalingRules.Range(1, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theApiScalesOnCpuMemoryRequestRateAndActiveAppointmentsTheWorkerOnQueueDepth(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        HorizontalPodAutoscaler api = rendered.named(HorizontalPodAutoscaler.class, "healthcare-backend-api");
        HorizontalPodAutoscaler worker = rendered.named(HorizontalPodAutoscaler.class, "healthcare-backend-worker");

        assertThat(api.getSpec().getMetrics()).extracting(AutoscalingTest::describe).containsExactlyInAnyOrder(
                "Resource cpu 70%", "Resource memory 80%", "Pods http_requests_per_second", "Pods healthcare_appointments_active");
        assertThat(worker.getSpec().getMetrics()).extracting(AutoscalingTest::describe)
                .containsExactly("External healthcare_queue_depth");
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).flatExtracting(ScalingRules::behaviour).isEmpty();
    }

    @Test
    void theAdapterRulesProduceEveryCustomAndExternalMetricTheAutoscalersUse() {
        Map<String, Object> config = new Yaml().load(Rendered.directory("deploy/kubernetes/monitoring/prometheus-adapter")
                .all(ConfigMap.class).getFirst().getData().get("config.yaml"));
        List<String> served = names(config.get("rules"));
        List<String> external = names(config.get("externalRules"));

        for (HorizontalPodAutoscaler hpa : Rendered.overlay("production").all(HorizontalPodAutoscaler.class)) {
            for (MetricSpec metric : hpa.getSpec().getMetrics()) {
                switch (metric.getType()) {
                    case "Pods" -> assertThat(served).contains(metric.getPods().getMetric().getName());
                    case "External" -> assertThat(external).contains(metric.getExternal().getMetric().getName());
                    case "Resource" -> assertThat(metric.getResource().getName()).isIn("cpu", "memory");
                    default -> throw new AssertionError("unexpected metric type " + metric.getType());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theApiVpaOnlyRecommendsAndNoVpaCanRaiseRequestsPastTheDeclaredLimits(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.named(VerticalPodAutoscaler.class, "healthcare-backend-api").getSpec().getUpdatePolicy()
                .getUpdateMode()).isEqualTo("Off");
        List<String> problems = new ArrayList<>();
        for (VerticalPodAutoscaler vpa : rendered.all(VerticalPodAutoscaler.class)) {
            if ("Off".equals(vpa.getSpec().getUpdatePolicy().getUpdateMode())) {
                continue;
            }
            var target = rendered.workloads().stream().filter(w -> w.name().equals(vpa.getSpec().getTargetRef().getName()))
                    .findFirst().orElseThrow();
            for (var policy : vpa.getSpec().getResourcePolicy().getContainerPolicies()) {
                var container = target.template().getSpec().getContainers().stream()
                        .filter(c -> c.getName().equals(policy.getContainerName())).findFirst().orElseThrow();
                policy.getMaxAllowed().forEach((resource, max) -> {
                    if (Quantity.getAmountInBytes(max).compareTo(Quantity.getAmountInBytes(
                            container.getResources().getLimits().get(resource))) > 0) {
                        problems.add(vpa.getMetadata().getName() + " may raise " + resource + " to " + max);
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void disruptionBudgetsSelectRealPodsAndCanBeSatisfiedAtTheSmallestReplicaCount(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.all(PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("healthcare-backend-api", "healthcare-backend-worker");
        assertThat(rendered.all(PodDisruptionBudget.class))
                .flatExtracting(p -> ScalingRules.disruptionBudget(rendered, p)).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theQuotaHoldsEveryWorkloadAtItsPeakAndPostgresqlEveryPool(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(ScalingRules.quotaCoversPeak(rendered)).isEmpty();
        assertThat(ScalingRules.connectionBudget(rendered)).isEmpty();
    }

    @Test
    void aWrongBehaviourAnUnsatisfiableBudgetAndAShortQuotaAreCaught() {
        Rendered production = Rendered.overlay("production");
        HorizontalPodAutoscaler hpa = StrictParser.copy(production.named(HorizontalPodAutoscaler.class,
                "healthcare-backend-api"));
        hpa.getSpec().getBehavior().getScaleDown().setStabilizationWindowSeconds(60);
        hpa.getSpec().getBehavior().getScaleUp().getPolicies().removeFirst();
        PodDisruptionBudget everyPod = StrictParser.copy(production.named(PodDisruptionBudget.class,
                "healthcare-backend-api"));
        everyPod.getSpec().setMaxUnavailable(null);
        everyPod.getSpec().setMinAvailable(new IntOrString(10));
        PodDisruptionBudget allAtOnce = StrictParser.copy(production.named(PodDisruptionBudget.class,
                "healthcare-backend-api"));
        allAtOnce.getSpec().setMaxUnavailable(new IntOrString("100%"));
        PodDisruptionBudget nobody = StrictParser.copy(everyPod);
        nobody.getSpec().getSelector().getMatchLabels().put("app.kubernetes.io/component", "apii");
        ResourceQuota quota = StrictParser.copy(production.all(ResourceQuota.class).getFirst());
        quota.getSpec().getHard().put("requests.cpu", new Quantity("200"));

        assertThat(ScalingRules.behaviour(hpa)).containsExactly(
                "healthcare-backend-api scaleUp: policies {Percent=100}, want {Percent=100, Pods=5}",
                "healthcare-backend-api scaleDown: stabilizationWindowSeconds 60, want 300");
        assertThat(ScalingRules.disruptionBudget(production, everyPod)).containsExactly(
                "healthcare-backend-api: allows no eviction at 10 replicas of healthcare-backend-api");
        assertThat(ScalingRules.disruptionBudget(production, allAtOnce)).containsExactly(
                "healthcare-backend-api: lets every one of 10 pods of healthcare-backend-api go at once");
        assertThat(ScalingRules.disruptionBudget(production, nobody)).containsExactly(
                "healthcare-backend-api: selects no workload's pods");
        assertThat(ScalingRules.quotaCoversPeak(production.replacing(quota))).singleElement().asString()
                .startsWith("quota requests.cpu = 200 is below the peak need 290.");
    }

    @Test
    void tooFewDatabaseConnectionsForThePeakAreCaught() {
        Rendered production = Rendered.overlay("production");
        ConfigMap config = StrictParser.copy(production.configMap("healthcare-backend-config"));
        config.getData().put("DB_POOL_MAX", "10");

        assertThat(ScalingRules.connectionBudget(production.replacing(config))).containsExactly(
                "max_connections 2400 < 313 pods x 12 connections + 10 reserved = 3766");
    }

    private static ScalingRules.Range range(Rendered rendered, String name) {
        return ScalingRules.range(rendered, rendered.workloads().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow());
    }

    private static String describe(MetricSpec metric) {
        return switch (metric.getType()) {
            case "Resource" -> "Resource " + metric.getResource().getName() + " "
                    + metric.getResource().getTarget().getAverageUtilization() + "%";
            case "Pods" -> "Pods " + metric.getPods().getMetric().getName();
            case "External" -> "External " + metric.getExternal().getMetric().getName();
            default -> metric.getType();
        };
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Object rules) {
        return ((List<Map<String, Object>>) rules).stream()
                .map(r -> (String) ((Map<String, Object>) r.get("name")).get("as")).toList();
    }
}
