package io.healthcarebackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Services, the Ingress and the NetworkPolicies, as lists of violations. */
final class TrafficRules {

    /** Paths the Ingress must never expose: Prometheus text and the operator's health view. */
    static final List<String> INTERNAL_PATHS = List.of("/metrics", "/health");

    private TrafficRules() {
    }

    /** A namespace-wide policy that selects every pod and allows nothing in or out. */
    static boolean isDefaultDeny(NetworkPolicy policy) {
        var spec = policy.getSpec();
        return Selectors.isEmpty(spec.getPodSelector()) && spec.getPolicyTypes() != null
                && spec.getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                && (spec.getIngress() == null || spec.getIngress().isEmpty())
                && (spec.getEgress() == null || spec.getEgress().isEmpty());
    }

    /** Each Service selects a workload's pods, and its target ports exist on their containers. */
    static List<String> services(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        for (Service service : rendered.all(Service.class)) {
            String name = service.getMetadata().getName();
            List<Rendered.Workload> backends = rendered.workloads().stream()
                    .filter(w -> Selectors.matches(service.getSpec().getSelector(), w.template().getMetadata().getLabels()))
                    .toList();
            if (backends.isEmpty()) {
                problems.add("Service " + name + " selects no workload's pods (selector "
                        + service.getSpec().getSelector() + ")");
                continue;
            }
            for (var port : service.getSpec().getPorts()) {
                var target = port.getTargetPort();
                boolean found = backends.stream().flatMap(w -> w.template().getSpec().getContainers().stream())
                        .map(Container::getPorts).filter(java.util.Objects::nonNull).flatMap(List::stream)
                        .anyMatch(p -> target == null ? p.getContainerPort().equals(port.getPort())
                                : target.getStrVal() != null ? target.getStrVal().equals(p.getName())
                                        : target.getIntVal().equals(p.getContainerPort()));
                if (!found) {
                    problems.add("Service " + name + " port " + port.getName() + " targets a port no selected container has");
                }
            }
        }
        return problems;
    }

    /** TLS for every host; backends that exist; nothing that reaches an internal path. */
    static List<String> ingress(Rendered rendered, Ingress ingress) {
        List<String> problems = new ArrayList<>();
        String name = ingress.getMetadata().getName();
        Set<String> tlsHosts = new java.util.HashSet<>();
        Optional.ofNullable(ingress.getSpec().getTls()).orElse(List.of()).forEach(t -> {
            if (t.getSecretName() == null || t.getSecretName().isBlank()) {
                problems.add("Ingress " + name + ": a TLS entry without secretName");
            }
            tlsHosts.addAll(t.getHosts());
        });
        for (var rule : ingress.getSpec().getRules()) {
            if (!tlsHosts.contains(rule.getHost())) {
                problems.add("Ingress " + name + ": host " + rule.getHost() + " is served without TLS");
            }
            for (var path : rule.getHttp().getPaths()) {
                String backend = path.getBackend().getService().getName();
                if (rendered.find(Service.class, backend).isEmpty()) {
                    problems.add("Ingress " + name + ": path " + path.getPath() + " goes to missing Service " + backend);
                }
                if (!"Prefix".equals(path.getPathType()) && !"Exact".equals(path.getPathType())) {
                    problems.add("Ingress " + name + ": path " + path.getPath() + " has pathType " + path.getPathType()
                            + " (only Prefix and Exact have portable meaning)");
                }
                for (String internal : INTERNAL_PATHS) {
                    if (routes(path.getPath(), path.getPathType(), internal)) {
                        problems.add("Ingress " + name + ": path " + path.getPath() + " routes " + internal);
                    }
                }
            }
        }
        return problems;
    }

    /** Whether an Ingress path matches a request path (Prefix matches whole path segments). */
    static boolean routes(String path, String pathType, String request) {
        if ("Exact".equals(pathType)) {
            return path.equals(request);
        }
        String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return prefix.isEmpty() || request.equals(prefix) || request.startsWith(prefix + "/");
    }

    /**
     * A peer in another namespace (namespaceSelector) must not be narrowed to this application's
     * own pod label: that is what Kustomize's includeSelectors does to kube-dns or ingress-nginx
     * peers, and it silently cuts DNS or the ingress off.
     */
    static List<String> foreignPeers(NetworkPolicy policy) {
        var spec = policy.getSpec();
        Stream<NetworkPolicyPeer> peers = Stream.concat(
                Optional.ofNullable(spec.getIngress()).orElse(List.of()).stream()
                        .flatMap(r -> Optional.ofNullable(r.getFrom()).orElse(List.of()).stream()),
                Optional.ofNullable(spec.getEgress()).orElse(List.of()).stream()
                        .flatMap(r -> Optional.ofNullable(r.getTo()).orElse(List.of()).stream()));
        return peers.filter(p -> p.getNamespaceSelector() != null && p.getPodSelector() != null
                && p.getPodSelector().getMatchLabels() != null
                && "healthcare-backend".equals(p.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")))
                .map(p -> "NetworkPolicy " + policy.getMetadata().getName() + ": a peer in namespaces "
                        + p.getNamespaceSelector().getMatchLabels() + " is narrowed to this application's pod label")
                .toList();
    }

    /** Whether some policy lets pods labelled {@code from} open connections to {@code to} on {@code port}. */
    static boolean allows(Rendered rendered, java.util.Map<String, String> from, java.util.Map<String, String> to,
            int port) {
        List<NetworkPolicy> policies = rendered.all(NetworkPolicy.class);
        boolean egress = policies.stream().filter(p -> Selectors.matches(p.getSpec().getPodSelector(), from))
                .flatMap(p -> Optional.ofNullable(p.getSpec().getEgress()).orElse(List.of()).stream())
                .anyMatch(r -> hasPort(r.getPorts(), port) && Optional.ofNullable(r.getTo()).orElse(List.of()).stream()
                        .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                && Selectors.matches(peer.getPodSelector(), to)));
        boolean ingress = policies.stream().filter(p -> Selectors.matches(p.getSpec().getPodSelector(), to))
                .flatMap(p -> Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of()).stream())
                .anyMatch(r -> hasPort(r.getPorts(), port) && Optional.ofNullable(r.getFrom()).orElse(List.of()).stream()
                        .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                && Selectors.matches(peer.getPodSelector(), from)));
        return egress && ingress;
    }

    private static boolean hasPort(List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort> ports,
            int port) {
        return ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> p.getPort() != null
                && Integer.valueOf(port).equals(p.getPort().getIntVal()));
    }

    static List<ContainerPort> ports(Rendered.Workload workload) {
        return workload.template().getSpec().getContainers().stream().map(Container::getPorts)
                .filter(java.util.Objects::nonNull).flatMap(List::stream).toList();
    }
}
