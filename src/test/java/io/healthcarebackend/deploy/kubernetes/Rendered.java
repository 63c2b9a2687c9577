package io.healthcarebackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.healthcarebackend.support.Commands;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One Kustomize directory rendered by {@code kubectl kustomize} (as {@code make k8s-render} and
 * the deploy workflow do) and parsed strictly. Renders are cached per directory for the test run.
 */
record Rendered(String directory, List<HasMetadata> objects) {

    static final List<String> OVERLAYS = List.of("local", "staging", "production");
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    /** A workload's pod template with the replica count it starts at. */
    record Workload(String kind, String name, int replicas, PodTemplateSpec template) {
    }

    static Rendered overlay(String name) {
        return directory("deploy/kubernetes/overlays/" + name);
    }

    static Rendered directory(String directory) {
        return CACHE.computeIfAbsent(directory, d -> new Rendered(d, StrictParser.parse(kustomize(d))));
    }

    private static String kustomize(String directory) {
        boolean installed = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> new File(dir, "kubectl").canExecute());
        if (!installed) {
            throw new AssertionError("kubectl is needed to render the Kustomize overlays and is not on the PATH. "
                    + "Install it (it bundles kustomize): https://kubernetes.io/docs/tasks/tools/ - on Debian/Ubuntu "
                    + "from the Kubernetes apt repository (apt-get install kubectl), or download the binary to "
                    + "/usr/local/bin/kubectl.");
        }
        return Commands.run(Duration.ofSeconds(60), "kubectl", "kustomize", directory).orFail().output();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(directory + " has no " + type.getSimpleName()
                + " " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    /** A generated ConfigMap by the name before Kustomize's hash suffix. */
    ConfigMap configMap(String generatorName) {
        return all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().matches(java.util.regex.Pattern.quote(generatorName)
                        + "(-[a-z0-9]{10})?"))
                .findFirst().orElseThrow(() -> new AssertionError(directory + " has no ConfigMap " + generatorName));
    }

    /** The same objects with one replaced by a doctored copy (same kind and name), to prove a check fails. */
    Rendered replacing(HasMetadata replacement) {
        List<HasMetadata> replaced = new java.util.ArrayList<>(objects);
        replaced.replaceAll(o -> o.getKind().equals(replacement.getKind())
                && o.getMetadata().getName().equals(replacement.getMetadata().getName()) ? replacement : o);
        return new Rendered(directory + " (doctored)", replaced);
    }

    List<Workload> workloads() {
        Stream<Workload> deployments = all(Deployment.class).stream().map(d -> new Workload("Deployment",
                d.getMetadata().getName(), d.getSpec().getReplicas(), d.getSpec().getTemplate()));
        Stream<Workload> statefulSets = all(StatefulSet.class).stream().map(s -> new Workload("StatefulSet",
                s.getMetadata().getName(), s.getSpec().getReplicas(), s.getSpec().getTemplate()));
        return Stream.concat(deployments, statefulSets).toList();
    }
}
