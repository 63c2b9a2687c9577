package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class PodSecurityTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    private static final Set<String> SERVICE = Set.of("healthcare-backend-api", "healthcare-backend-worker");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyContainerRunsAsNonRootReadOnlyUnprivilegedAndBounded(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.workloads()).extracting(Rendered.Workload::name)
                .contains("healthcare-backend-api", "healthcare-backend-worker", "postgresql", "redis");
        assertThat(rendered.workloads()).flatExtracting(ContainerRules::security).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyContainerIsProbedAndTheServiceAlsoHasAStartupProbe(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.workloads())
                .flatExtracting(w -> ContainerRules.probes(w, SERVICE.contains(w.name()))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theServiceOutlastsItsPreStopPauseAndItsDrainBeforeBeingKilled(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        long drain = Duration.parse("PT" + rendered.configMap("healthcare-backend-config").getData()
                .get("SHUTDOWN_TIMEOUT").toUpperCase()).toSeconds();

        assertThat(drain).isEqualTo(30);
        assertThat(rendered.workloads()).filteredOn(w -> SERVICE.contains(w.name()))
                .hasSize(2).flatExtracting(w -> ContainerRules.gracefulStop(w, drain)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void releaseOverlaysPullOnlyPinnedImages(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);

        assertThat(rendered.workloads()).flatExtracting(ContainerRules::pinnedImages).isEmpty();
        assertThat(app(rendered, "healthcare-backend-api").getImage())
                .matches("registry\\.example\\.com/healthcare-backend:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void theLocalOverlayRunsTheLocallyBuiltImage() {
        Container api = app(Rendered.overlay("local"), "healthcare-backend-api");

        assertThat(api.getImage()).isEqualTo("healthcare-backend:local");
        assertThat(api.getImagePullPolicy()).isEqualTo("IfNotPresent");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void apiAndWorkerRunOneImageInTwoRolesWithTheJvmSizedByTheContainer(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Container api = app(rendered, "healthcare-backend-api");
        Container worker = app(rendered, "healthcare-backend-worker");

        assertThat(worker.getImage()).isEqualTo(api.getImage());
        assertThat(env(api, "APP_ROLE")).isEqualTo("api");
        assertThat(env(worker, "APP_ROLE")).isEqualTo("worker");
        assertThat(rendered.configMap("healthcare-backend-config").getData().get("JDK_JAVA_OPTIONS"))
                .contains("-XX:MaxRAMPercentage=").doesNotContain("-Xmx");
        assertThat(rendered.configMap("healthcare-backend-config").getData()).doesNotContainKey("JAVA_TOOL_OPTIONS");
        assertThat(List.of(api, worker)).allSatisfy(c -> assertThat(c.getPorts())
                .anySatisfy(p -> assertThat(p.getContainerPort()).isEqualTo(8088)));
    }

    @Test
    void aRootOrWritableOrUnboundedContainerIsCaught() {
        Rendered.Workload api = doctored("healthcare-backend-api");
        Container app = api.template().getSpec().getContainers().getFirst();
        app.getSecurityContext().setRunAsNonRoot(false);
        api.template().getSpec().getSecurityContext().setRunAsNonRoot(false);
        app.getSecurityContext().setReadOnlyRootFilesystem(false);
        app.getSecurityContext().getCapabilities().setDrop(List.of("NET_RAW"));
        app.getResources().getLimits().remove("memory");

        assertThat(ContainerRules.security(api)).containsExactlyInAnyOrder(
                "healthcare-backend-api/app: runAsNonRoot is not true",
                "healthcare-backend-api/app: root filesystem is writable",
                "healthcare-backend-api/app: capabilities not dropped (drop: [ALL])",
                "healthcare-backend-api/app: no memory limit");
    }

    @Test
    void anInitContainerIsHeldToTheSameRules() {
        Rendered.Workload api = doctored("healthcare-backend-api");
        api.template().getSpec().setInitContainers(List.of(new Container()));
        api.template().getSpec().getInitContainers().getFirst().setName("migrate");

        assertThat(ContainerRules.security(api)).contains("healthcare-backend-api/migrate: root filesystem is writable",
                "healthcare-backend-api/migrate: no cpu request");
    }

    @Test
    void aMissingStartupProbeATooShortGraceAndALatestImageAreCaught() {
        Rendered.Workload api = doctored("healthcare-backend-api");
        Container app = api.template().getSpec().getContainers().getFirst();
        app.setStartupProbe(null);
        api.template().getSpec().setTerminationGracePeriodSeconds(40L);
        app.setImage("registry.example.com/healthcare-backend:latest");

        assertThat(ContainerRules.probes(api, true)).containsExactly("healthcare-backend-api/app: no startup probe");
        assertThat(ContainerRules.gracefulStop(api, 30)).containsExactly(
                "healthcare-backend-api/app: terminationGracePeriodSeconds 40 is not more than preStop 10 s + drain 30 s");
        assertThat(ContainerRules.pinnedImages(api)).containsExactly(
                "healthcare-backend-api/app: image registry.example.com/healthcare-backend:latest is not pinned to a version");
        app.setImage("registry.example.com:5000/healthcare-backend");
        assertThat(ContainerRules.pinnedImages(api)).hasSize(1);
    }

    private static Rendered.Workload doctored(String name) {
        Deployment copy = StrictParser.copy(Rendered.overlay("production").named(Deployment.class, name));
        return new Rendered.Workload("Deployment", name, copy.getSpec().getReplicas(), copy.getSpec().getTemplate());
    }

    private static Container app(Rendered rendered, String deployment) {
        return rendered.named(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow();
    }
}
