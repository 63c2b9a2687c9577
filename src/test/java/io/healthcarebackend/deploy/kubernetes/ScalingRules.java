package io.healthcarebackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Autoscaling, disruption budgets and the namespace's capacity, as lists of violations. */
final class ScalingRules {

    private ScalingRules() {
    }

    /** The replica range a workload can be at: its HPA's bounds, or its fixed replica count. */
    record Range(int min, int max) {
    }

    static Range range(Rendered rendered, Rendered.Workload workload) {
        return rendered.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getKind().equals(workload.kind())
                        && h.getSpec().getScaleTargetRef().getName().equals(workload.name()))
                .findFirst()
                .map(h -> new Range(Optional.ofNullable(h.getSpec().getMinReplicas()).orElse(1),
                        h.getSpec().getMaxReplicas()))
                .orElse(new Range(workload.replicas(), workload.replicas()));
    }

    /** The HPA behaviour of requirement K2: up fast (30 s, +5 pods or +100 %), down slowly (300 s, -50 % or -2 pods). */
    static List<String> behaviour(HorizontalPodAutoscaler hpa) {
        List<String> problems = new ArrayList<>();
        String name = hpa.getMetadata().getName();
        var behavior = hpa.getSpec().getBehavior();
        if (behavior == null || behavior.getScaleUp() == null || behavior.getScaleDown() == null) {
            return List.of(name + ": no scale-up/scale-down behaviour");
        }
        expect(problems, name + " scaleUp", behavior.getScaleUp(), 30, "Max", Map.of("Pods", 5, "Percent", 100));
        expect(problems, name + " scaleDown", behavior.getScaleDown(), 300, "Min", Map.of("Percent", 50, "Pods", 2));
        return problems;
    }

    private static void expect(List<String> problems, String where, HPAScalingRules rules, int window, String select,
            Map<String, Integer> policies) {
        if (!Integer.valueOf(window).equals(rules.getStabilizationWindowSeconds())) {
            problems.add(where + ": stabilizationWindowSeconds " + rules.getStabilizationWindowSeconds() + ", want "
                    + window);
        }
        if (!select.equals(rules.getSelectPolicy())) {
            problems.add(where + ": selectPolicy " + rules.getSelectPolicy() + ", want " + select);
        }
        Map<String, Integer> actual = new TreeMap<>();
        Optional.ofNullable(rules.getPolicies()).orElse(List.of()).forEach(p -> actual.put(p.getType(), p.getValue()));
        if (!actual.equals(new TreeMap<>(policies))) {
            problems.add(where + ": policies " + actual + ", want " + new TreeMap<>(policies));
        }
    }

    /**
     * A PDB must select the pods of a workload, and allow at least one eviction at the workload's
     * smallest replica count (else node drains hang); with more than one replica it must also keep
     * at least one pod running (else it protects nothing). A single replica cannot have both: the
     * drain wins.
     */
    static List<String> disruptionBudget(Rendered rendered, PodDisruptionBudget pdb) {
        String name = pdb.getMetadata().getName();
        List<Rendered.Workload> selected = rendered.workloads().stream()
                .filter(w -> Selectors.matches(pdb.getSpec().getSelector(), w.template().getMetadata().getLabels()))
                .toList();
        if (Selectors.isEmpty(pdb.getSpec().getSelector()) || selected.isEmpty()) {
            return List.of(name + ": selects no workload's pods");
        }
        List<String> problems = new ArrayList<>();
        for (Rendered.Workload workload : selected) {
            int replicas = range(rendered, workload).min();
            int available = pdb.getSpec().getMinAvailable() != null
                    ? replicas - resolve(pdb.getSpec().getMinAvailable(), replicas)
                    : resolve(pdb.getSpec().getMaxUnavailable(), replicas);
            if (available < 1) {
                problems.add(name + ": allows no eviction at " + replicas + " replicas of " + workload.name());
            }
            if (replicas > 1 && available >= replicas) {
                problems.add(name + ": lets every one of " + replicas + " pods of " + workload.name() + " go at once");
            }
        }
        return problems;
    }

    /** An int, or a percentage of {@code total} rounded up (as the disruption controller does). */
    static int resolve(IntOrString value, int total) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String percent = value.getStrVal();
        if (!percent.endsWith("%")) {
            throw new AssertionError("not an int or a percentage: " + percent);
        }
        return (int) Math.ceil(Integer.parseInt(percent.substring(0, percent.length() - 1)) * total / 100.0);
    }

    /** The most pods a workload can have at once: its maximum plus the rolling update's surge. */
    static int peakPods(Rendered rendered, Rendered.Workload workload) {
        int max = range(rendered, workload).max();
        if (!workload.kind().equals("Deployment")) {
            return max;
        }
        var strategy = rendered.named(Deployment.class, workload.name()).getSpec().getStrategy();
        IntOrString surge = strategy == null || strategy.getRollingUpdate() == null ? new IntOrString("25%")
                : strategy.getRollingUpdate().getMaxSurge();
        return max + resolve(surge, max);
    }

    /**
     * The ResourceQuota must hold every workload at its peak (HPA maximum plus surge) and every
     * volume claim, or the autoscaler's last steps and rollouts at scale would be refused.
     */
    static List<String> quotaCoversPeak(Rendered rendered) {
        List<ResourceQuota> quotas = rendered.all(ResourceQuota.class);
        if (quotas.isEmpty()) {
            return List.of(rendered.directory() + ": no ResourceQuota");
        }
        Map<String, BigDecimal> need = new TreeMap<>();
        for (Rendered.Workload workload : rendered.workloads()) {
            int pods = peakPods(rendered, workload);
            need.merge("pods", BigDecimal.valueOf(pods), BigDecimal::add);
            for (Container c : workload.template().getSpec().getContainers()) {
                for (String kind : List.of("requests", "limits")) {
                    Map<String, Quantity> values = kind.equals("requests") ? c.getResources().getRequests()
                            : c.getResources().getLimits();
                    values.forEach((resource, q) -> need.merge(kind + "." + resource,
                            Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(pods)), BigDecimal::add));
                }
            }
        }
        List<Quantity> claims = new ArrayList<>();
        rendered.all(PersistentVolumeClaim.class).forEach(p -> claims.add(p.getSpec().getResources().getRequests()
                .get("storage")));
        for (StatefulSet s : rendered.all(StatefulSet.class)) {
            for (var template : Optional.ofNullable(s.getSpec().getVolumeClaimTemplates()).orElse(List.of())) {
                for (int i = 0; i < s.getSpec().getReplicas(); i++) {
                    claims.add(template.getSpec().getResources().getRequests().get("storage"));
                }
            }
        }
        need.put("persistentvolumeclaims", BigDecimal.valueOf(claims.size()));
        need.put("requests.storage", claims.stream().map(Quantity::getAmountInBytes).reduce(BigDecimal.ZERO,
                BigDecimal::add));
        List<String> problems = new ArrayList<>();
        Map<String, Quantity> hard = quotas.getFirst().getSpec().getHard();
        need.forEach((resource, amount) -> {
            Quantity limit = hard.get(resource);
            if (limit == null) {
                problems.add("quota does not bound " + resource);
            } else if (Quantity.getAmountInBytes(limit).compareTo(amount) < 0) {
                problems.add("quota " + resource + " = " + limit + " is below the peak need " + amount.stripTrailingZeros()
                        .toPlainString());
            }
        });
        return problems;
    }

    /**
     * PostgreSQL's max_connections must cover every pool of every API and worker pod at their
     * peak, plus the reserved superuser slots and a few for the exporter and operators.
     */
    static List<String> connectionBudget(Rendered rendered) {
        Map<String, String> app = rendered.configMap("healthcare-backend-config").getData();
        int perPod = Integer.parseInt(app.getOrDefault("DB_POOL_MAX", "20"))
                + Integer.parseInt(app.getOrDefault("PHI_KEYSTORE_POOL_MAX", "8"));
        int pods = rendered.workloads().stream().filter(w -> w.kind().equals("Deployment"))
                .mapToInt(w -> peakPods(rendered, w)).sum();
        Map<String, String> settings = postgresqlSettings(rendered.configMap("postgresql-config"));
        int maxConnections = Integer.parseInt(settings.get("max_connections"));
        int reserved = Integer.parseInt(settings.getOrDefault("superuser_reserved_connections", "3")) + 5;
        int need = pods * perPod + reserved;
        return need <= maxConnections ? List.of()
                : List.of("max_connections " + maxConnections + " < " + pods + " pods x " + perPod + " connections + "
                        + reserved + " reserved = " + need);
    }

    static Map<String, String> postgresqlSettings(ConfigMap config) {
        Map<String, String> settings = new TreeMap<>();
        config.getData().get("postgresql.conf").lines().map(l -> l.replaceAll("#.*", "").strip())
                .filter(l -> !l.isEmpty()).forEach(l -> {
                    String[] pair = l.split("=", 2);
                    settings.put(pair[0].strip(), pair[1].strip().replaceAll("^'|'$", ""));
                });
        return settings;
    }
}
