package io.healthcarebackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What every pod of the deployment must satisfy, as a list of violations (empty = fine), so the
 * tests can assert it on the rendered overlays and on doctored objects alike.
 */
final class ContainerRules {

    private ContainerRules() {
    }

    /** Every container, init containers included: non-root, read-only, unprivileged, bounded. */
    static List<String> security(Rendered.Workload workload) {
        PodSpec pod = workload.template().getSpec();
        PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
        List<String> problems = new ArrayList<>();
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            problems.add(workload.name() + ": automountServiceAccountToken is not false");
        }
        for (Container c : containers(pod)) {
            String where = workload.name() + "/" + c.getName();
            SecurityContext context = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
            Boolean nonRoot = first(context.getRunAsNonRoot(), podContext.getRunAsNonRoot());
            Long user = first(context.getRunAsUser(), podContext.getRunAsUser());
            if (!Boolean.TRUE.equals(nonRoot)) {
                problems.add(where + ": runAsNonRoot is not true");
            }
            if (user == null || user == 0) {
                problems.add(where + ": no numeric non-root runAsUser");
            }
            if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
                problems.add(where + ": root filesystem is writable");
            }
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                problems.add(where + ": allowPrivilegeEscalation is not false");
            }
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                problems.add(where + ": privileged");
            }
            var capabilities = context.getCapabilities();
            if (capabilities == null || capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
                problems.add(where + ": capabilities not dropped (drop: [ALL])");
            } else if (capabilities.getAdd() != null && !capabilities.getAdd().isEmpty()) {
                problems.add(where + ": adds capabilities " + capabilities.getAdd());
            }
            String seccomp = first(context.getSeccompProfile(), podContext.getSeccompProfile()) == null ? null
                    : first(context.getSeccompProfile(), podContext.getSeccompProfile()).getType();
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                problems.add(where + ": no seccomp profile");
            }
            problems.addAll(resources(where, c));
        }
        return problems;
    }

    /** Requests and limits for CPU and memory; a memory request no larger than its limit. */
    static List<String> resources(String where, Container c) {
        List<String> problems = new ArrayList<>();
        var resources = c.getResources();
        Map<String, Quantity> requests = resources == null || resources.getRequests() == null ? Map.of()
                : resources.getRequests();
        Map<String, Quantity> limits = resources == null || resources.getLimits() == null ? Map.of()
                : resources.getLimits();
        for (String resource : List.of("cpu", "memory")) {
            if (!requests.containsKey(resource)) {
                problems.add(where + ": no " + resource + " request");
            }
            if (!limits.containsKey(resource)) {
                problems.add(where + ": no " + resource + " limit");
            }
            if (requests.containsKey(resource) && limits.containsKey(resource) && Quantity.getAmountInBytes(
                    requests.get(resource)).compareTo(Quantity.getAmountInBytes(limits.get(resource))) > 0) {
                problems.add(where + ": " + resource + " request above its limit");
            }
        }
        return problems;
    }

    /** Every long-running container is probed; the service's own containers also have a startup probe. */
    static List<String> probes(Rendered.Workload workload, boolean serviceContainer) {
        List<String> problems = new ArrayList<>();
        for (Container c : workload.template().getSpec().getContainers()) {
            String where = workload.name() + "/" + c.getName();
            if (c.getLivenessProbe() == null) {
                problems.add(where + ": no liveness probe");
            }
            if (c.getReadinessProbe() == null) {
                problems.add(where + ": no readiness probe");
            }
            if (serviceContainer && c.getStartupProbe() == null) {
                problems.add(where + ": no startup probe");
            }
        }
        return problems;
    }

    /**
     * The service's graceful stop: a preStop sleep while endpoints are removed, then the drain; the
     * kubelet must not kill the pod before both are over.
     */
    static List<String> gracefulStop(Rendered.Workload workload, long drainSeconds) {
        PodSpec pod = workload.template().getSpec();
        List<String> problems = new ArrayList<>();
        long grace = Optional.ofNullable(pod.getTerminationGracePeriodSeconds()).orElse(30L);
        for (Container c : pod.getContainers()) {
            String where = workload.name() + "/" + c.getName();
            Long sleep = c.getLifecycle() == null || c.getLifecycle().getPreStop() == null
                    || c.getLifecycle().getPreStop().getSleep() == null ? null
                            : c.getLifecycle().getPreStop().getSleep().getSeconds();
            if (sleep == null || sleep <= 0) {
                problems.add(where + ": no preStop sleep");
            } else if (grace <= sleep + drainSeconds) {
                problems.add(where + ": terminationGracePeriodSeconds " + grace + " is not more than preStop " + sleep
                        + " s + drain " + drainSeconds + " s");
            }
            boolean tmp = Optional.ofNullable(c.getVolumeMounts()).orElse(List.of()).stream()
                    .map(VolumeMount::getMountPath).anyMatch("/tmp"::equals);
            if (!tmp) {
                problems.add(where + ": no writable /tmp volume (the root filesystem is read-only)");
            }
        }
        return problems;
    }

    /** Release overlays pull a fixed version: a tag other than "latest", or a digest. */
    static List<String> pinnedImages(Rendered.Workload workload) {
        List<String> problems = new ArrayList<>();
        for (Container c : containers(workload.template().getSpec())) {
            String image = c.getImage();
            String lastSegment = image.substring(image.lastIndexOf('/') + 1);
            boolean digest = image.contains("@sha256:");
            int colon = lastSegment.indexOf(':');
            String tag = colon < 0 ? null : lastSegment.substring(colon + 1);
            if (!digest && (tag == null || tag.isBlank() || tag.equals("latest"))) {
                problems.add(workload.name() + "/" + c.getName() + ": image " + image + " is not pinned to a version");
            }
        }
        return problems;
    }

    static List<Container> containers(PodSpec pod) {
        return Stream.concat(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()).stream(),
                pod.getContainers().stream()).toList();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        return Stream.of(values).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
