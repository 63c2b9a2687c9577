package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KustomizeRenderingTest {

    private static final Set<String> CORE_KINDS = Set.of("Namespace", "ServiceAccount", "ConfigMap", "Service",
            "Deployment", "StatefulSet", "PersistentVolumeClaim", "Ingress", "NetworkPolicy", "PodDisruptionBudget",
            "ResourceQuota", "LimitRange");
    private static final Set<String> CLUSTER_ADDONS = Set.of("HorizontalPodAutoscaler", "VerticalPodAutoscaler",
            "ServiceMonitor", "PrometheusRule");

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void releaseOverlaysRenderEveryKindStrictlyParsedIntoTheNamespace(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(kinds(rendered)).containsAll(CORE_KINDS).containsAll(CLUSTER_ADDONS);
        assertNamespaced(rendered);
    }

    @Test
    void theLocalOverlayLeavesOutWhatAFreshLocalClusterCannotServe() {
        Rendered rendered = Rendered.overlay("local");

        assertThat(kinds(rendered)).containsAll(CORE_KINDS).doesNotContainAnyElementsOf(CLUSTER_ADDONS);
        assertNamespaced(rendered);
    }

    @Test
    void thePrometheusAdapterRulesRenderIntoTheMonitoringNamespace() {
        Rendered adapter = Rendered.directory("deploy/kubernetes/monitoring/prometheus-adapter");

        assertThat(adapter.objects()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("ConfigMap");
            assertThat(o.getMetadata().getName()).isEqualTo("prometheus-adapter-healthcare");
            assertThat(o.getMetadata().getNamespace()).isEqualTo("monitoring");
        });
    }

    @Test
    void aMisspelledFieldIsRejectedWhereverItSits() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: app
                          image: i:1
                          securityContext: {readOnlyRootFilesytem: true}
                """;
        String vpa = """
                apiVersion: autoscaling.k8s.io/v1
                kind: VerticalPodAutoscaler
                metadata: {name: x}
                spec:
                  targetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
                  updatePolicy: {updateMod: "Off"}
                """;
        String serviceMonitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  endpoints: [{port: http, pathh: /metrics}]
                """;
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: x}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
                  maxReplicas: 3
                  behavior: {scaleUp: {stabilisationWindowSeconds: 30}}
                """;

        assertThatThrownBy(() -> StrictParser.parse(deployment)).hasMessageContaining(
                "Deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem");
        assertThatThrownBy(() -> StrictParser.parse(vpa)).hasMessageContaining("updatePolicy.updateMod");
        assertThatThrownBy(() -> StrictParser.parse(serviceMonitor)).hasMessageContaining("endpoints[0].pathh");
        assertThatThrownBy(() -> StrictParser.parse(hpa)).hasMessageContaining(
                "scaleUp.stabilisationWindowSeconds");
    }

    @Test
    void theSameObjectsSpelledRightAreAccepted() {
        String vpa = """
                apiVersion: autoscaling.k8s.io/v1
                kind: VerticalPodAutoscaler
                metadata: {name: x}
                spec:
                  targetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
                  updatePolicy: {updateMode: "Off"}
                """;

        assertThat(StrictParser.parse(vpa)).singleElement().extracting(HasMetadata::getKind)
                .isEqualTo("VerticalPodAutoscaler");
    }

    @Test
    void anUnknownKindOrApiVersionIsRejected() {
        assertThatThrownBy(() -> StrictParser.parse("apiVersion: apps/v1beta9\nkind: Deployment\nmetadata: {name: x}\n"))
                .hasMessageContaining("unknown kind apps/v1beta9 Deployment");
        assertThatThrownBy(() -> StrictParser.parse("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n"))
                .hasMessageContaining("unknown kind example.com/v1 Widget");
    }

    @Test
    void aValueOfTheWrongTypeIsRejected() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replicas: two}
                """;

        assertThatThrownBy(() -> StrictParser.parse(deployment)).hasMessageContaining("does not fit the Kubernetes model");
    }

    private static Set<String> kinds(Rendered rendered) {
        return rendered.objects().stream().map(HasMetadata::getKind).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertNamespaced(Rendered rendered) {
        assertThat(rendered.all(Namespace.class)).singleElement().extracting(n -> n.getMetadata().getName())
                .isEqualTo("healthcare-backend");
        assertThat(rendered.objects()).filteredOn(o -> !(o instanceof Namespace))
                .filteredOn(o -> !"healthcare-backend".equals(o.getMetadata().getNamespace()))
                .extracting(o -> o.getKind() + " " + o.getMetadata().getName()).as("objects outside the namespace")
                .isEmpty();
    }
}
