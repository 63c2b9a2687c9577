package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkTrafficTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    private static final Map<String, String> API = pod("api");
    private static final Map<String, String> WORKER = pod("worker");
    private static final Map<String, String> POSTGRESQL = pod("postgresql");
    private static final Map<String, String> REDIS = pod("redis");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyNamespaceDeniesAllTrafficByDefault(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Set<String> namespaces = rendered.objects().stream().map(o -> o.getMetadata().getNamespace())
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());

        assertThat(namespaces).isNotEmpty().allSatisfy(namespace -> assertThat(rendered.all(NetworkPolicy.class))
                .as("default-deny NetworkPolicy in " + namespace)
                .anyMatch(p -> namespace.equals(p.getMetadata().getNamespace()) && TrafficRules.isDefaultDeny(p)));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServiceReachesPostgresqlAndRedisAndNothingElseReachesThem(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(TrafficRules.allows(rendered, API, POSTGRESQL, 5432)).isTrue();
        assertThat(TrafficRules.allows(rendered, WORKER, POSTGRESQL, 5432)).isTrue();
        assertThat(TrafficRules.allows(rendered, API, REDIS, 6379)).isTrue();
        assertThat(TrafficRules.allows(rendered, WORKER, REDIS, 6379)).isTrue();
        assertThat(TrafficRules.allows(rendered, REDIS, POSTGRESQL, 5432)).isFalse();
        assertThat(TrafficRules.allows(rendered, POSTGRESQL, REDIS, 6379)).isFalse();
        assertThat(TrafficRules.allows(rendered, WORKER, API, 8088)).isFalse();
        assertThat(TrafficRules.allows(rendered, API, POSTGRESQL, 22)).isFalse();
    }

    /** The scheduled backup (deploy/postgres/kubernetes) is applied beside an overlay: it must get through both policies. */
    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theScheduledBackupReachesPostgresqlButNothingElseOfTheApplication(String overlay) {
        Rendered overlayObjects = Rendered.overlay(overlay);
        List<HasMetadata> together = new java.util.ArrayList<>(overlayObjects.objects());
        together.addAll(Rendered.directory("deploy/postgres/kubernetes").objects());
        Rendered withBackup = new Rendered(overlay + " + backup", together);
        Map<String, String> backup = pod("db-backup");

        assertThat(TrafficRules.allows(withBackup, backup, POSTGRESQL, 5432)).isTrue();
        assertThat(TrafficRules.allows(withBackup, backup, REDIS, 6379)).isFalse();
        assertThat(TrafficRules.allows(withBackup, backup, API, 8088)).isFalse();
        assertThat(TrafficRules.allows(overlayObjects, backup, POSTGRESQL, 5432))
                .as("without its own egress policy the job stays behind the default deny").isFalse();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void onlyTheIngressControllerReachesTheApiAndOnlyPrometheusTheMetrics(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(ingressSources(rendered, API, 8088)).containsExactlyInAnyOrder("ingress-nginx", "monitoring");
        assertThat(ingressSources(rendered, WORKER, 8088)).containsExactly("monitoring");
        assertThat(rendered.all(NetworkPolicy.class)).flatExtracting(TrafficRules::foreignPeers).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServiceSelectsRealPodsAndTheIngressServesTlsWithoutInternalPaths(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Ingress ingress = rendered.named(Ingress.class, "healthcare-backend");

        assertThat(TrafficRules.services(rendered)).isEmpty();
        assertThat(TrafficRules.ingress(rendered, ingress)).isEmpty();
        assertThat(ingress.getSpec().getTls()).isNotEmpty();
        assertThat(ingress.getMetadata().getAnnotations()).containsKeys("nginx.ingress.kubernetes.io/limit-rps",
                "nginx.ingress.kubernetes.io/limit-connections");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void releaseCertificatesComeFromCertManagerAndPrometheusScrapesTheMetricsPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.named(Ingress.class, "healthcare-backend").getMetadata().getAnnotations())
                .containsKey("cert-manager.io/cluster-issuer");
        for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
            List<Service> scraped = rendered.all(Service.class).stream()
                    .filter(s -> Selectors.matches(monitor.getSpec().getSelector(), s.getMetadata().getLabels())).toList();
            assertThat(scraped).as(monitor.getMetadata().getName()).isNotEmpty();
            monitor.getSpec().getEndpoints().forEach(endpoint -> {
                assertThat(endpoint.getPath()).isEqualTo("/metrics");
                assertThat(scraped).allSatisfy(s -> assertThat(s.getSpec().getPorts())
                        .anyMatch(p -> p.getName().equals(endpoint.getPort())));
            });
        }
        // The service answers /metrics only to METRICS_TOKEN: its scrapes carry it, from the Secret
        // the pods read it from (and that the template lists).
        ServiceMonitor service = rendered.named(ServiceMonitor.class, "healthcare-backend");
        assertThat(service.getSpec().getEndpoints()).isNotEmpty().allSatisfy(endpoint -> {
            assertThat(endpoint.getAuthorization()).as("scrape authorization").isNotNull();
            assertThat(endpoint.getAuthorization().getType()).isEqualTo("Bearer");
            assertThat(endpoint.getAuthorization().getCredentials().getName()).isEqualTo("healthcare-backend-secrets");
            assertThat(endpoint.getAuthorization().getCredentials().getKey()).isEqualTo("METRICS_TOKEN");
        });
        assertThat(rendered.workloads()).filteredOn(w -> w.name().startsWith("healthcare-backend-"))
                .isNotEmpty().allSatisfy(w -> assertThat(w.template().getSpec().getContainers().getFirst()
                        .getEnvFrom()).anyMatch(from -> from.getSecretRef() != null
                                && from.getSecretRef().getName().equals("healthcare-backend-secrets")));
        assertThat(readTemplate()).contains("  METRICS_TOKEN: REPLACE_ME");
    }

    private static String readTemplate() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("deploy/kubernetes/secrets/secrets.template.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void workloadsUseTheirOwnServiceAccountWithoutTokenOrAnyRole(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Set<String> accounts = rendered.all(ServiceAccount.class).stream()
                .filter(a -> Boolean.FALSE.equals(a.getAutomountServiceAccountToken()))
                .map(a -> a.getMetadata().getName()).collect(Collectors.toSet());

        assertThat(rendered.workloads()).allSatisfy(w -> assertThat(accounts).as(w.name())
                .contains(w.template().getSpec().getServiceAccountName()));
        assertThat(rendered.objects()).extracting(HasMetadata::getKind)
                .doesNotContain("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
    }

    @Test
    void aCatchAllPathAMissingCertificateAndAMistypedSelectorAreCaught() {
        Rendered production = Rendered.overlay("production");
        Ingress ingress = StrictParser.copy(production.named(Ingress.class, "healthcare-backend"));
        HTTPIngressPath catchAll = StrictParser.copy(ingress.getSpec().getRules().getFirst().getHttp().getPaths()
                .getFirst());
        catchAll.setPath("/");
        ingress.getSpec().getRules().getFirst().getHttp().getPaths().add(catchAll);
        ingress.getSpec().getTls().getFirst().setHosts(List.of("other.example.com"));
        Service service = StrictParser.copy(production.named(Service.class, "redis"));
        service.getSpec().getSelector().put("app.kubernetes.io/component", "rediss");

        assertThat(TrafficRules.ingress(production, ingress)).containsExactly(
                "Ingress healthcare-backend: host api.healthcare.example.com is served without TLS",
                "Ingress healthcare-backend: path / routes /metrics",
                "Ingress healthcare-backend: path / routes /health");
        assertThat(TrafficRules.services(production.replacing(service))).containsExactly(
                "Service redis selects no workload's pods (selector {app.kubernetes.io/component=rediss, "
                        + "app.kubernetes.io/name=healthcare-backend})");
        assertThat(TrafficRules.routes("/api", "Prefix", "/api-docs")).isFalse();
        assertThat(TrafficRules.routes("/metrics/", "Prefix", "/metrics")).isTrue();
    }

    @Test
    void aDefaultDenyThatAllowsSomethingAndAForeignPeerNarrowedToOurPodsAreCaught() {
        Rendered production = Rendered.overlay("production");
        NetworkPolicy deny = StrictParser.copy(production.named(NetworkPolicy.class, "default-deny-all"));
        deny.getSpec().setPolicyTypes(List.of("Ingress"));
        NetworkPolicy dns = StrictParser.copy(production.named(NetworkPolicy.class, "allow-dns"));
        dns.getSpec().getEgress().getFirst().getTo().getFirst().getPodSelector().getMatchLabels()
                .put("app.kubernetes.io/name", "healthcare-backend");

        assertThat(TrafficRules.isDefaultDeny(deny)).isFalse();
        assertThat(TrafficRules.foreignPeers(dns)).containsExactly("NetworkPolicy allow-dns: a peer in namespaces "
                + "{kubernetes.io/metadata.name=kube-system} is narrowed to this application's pod label");
        assertThat(TrafficRules.allows(production.replacing(removingEgress(production)), API, POSTGRESQL, 5432))
                .isFalse();
    }

    private static NetworkPolicy removingEgress(Rendered rendered) {
        NetworkPolicy policy = StrictParser.copy(rendered.named(NetworkPolicy.class, "app-to-datastores"));
        policy.getSpec().getEgress().removeFirst();
        return policy;
    }

    /** The namespaces whose pods some policy admits to pods labelled {@code to} on {@code port}. */
    private static Set<String> ingressSources(Rendered rendered, Map<String, String> to, int port) {
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> Selectors.matches(p.getSpec().getPodSelector(), to) && p.getSpec().getIngress() != null)
                .flatMap(p -> p.getSpec().getIngress().stream())
                .filter(r -> r.getPorts().stream().anyMatch(x -> x.getPort().getIntVal() == port))
                .flatMap(r -> r.getFrom().stream())
                .map(peer -> peer.getNamespaceSelector() == null ? "healthcare-backend"
                        : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                .collect(Collectors.toSet());
    }

    private static Map<String, String> pod(String component) {
        return Map.of("app.kubernetes.io/name", "healthcare-backend", "app.kubernetes.io/component", component);
    }
}
