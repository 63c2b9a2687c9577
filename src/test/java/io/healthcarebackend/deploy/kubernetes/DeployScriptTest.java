package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.healthcarebackend.support.Commands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * scripts/k8s-deploy.sh (what the deploy workflow and the deploy runbook run) applies exactly the
 * overlay with the image it was given: the API and worker run that image, PostgreSQL, Redis and the
 * exporter keep theirs, and a mutable "latest" never reaches staging or production.
 */
class DeployScriptTest {

    private static Commands.Result render(String overlay, String image) {
        return Commands.run(Duration.ofSeconds(60), "scripts/k8s-deploy.sh", "--render", overlay, image);
    }

    private static Map<String, String> imagesByContainer(Rendered rendered) {
        return rendered.workloads().stream()
                .flatMap(w -> w.template().getSpec().getContainers().stream()
                        .map(c -> Map.entry(w.name() + "/" + c.getName(), c.getImage())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theReleaseImageReplacesOnlyTheApplicationsImage(String overlay) {
        String image = "registry.example.com/healthcare-backend:9.8.7";
        Rendered deployed = new Rendered("k8s-deploy " + overlay, StrictParser.parse(render(overlay, image).orFail().output()));
        Map<String, String> before = imagesByContainer(Rendered.overlay(overlay));
        Map<String, String> after = imagesByContainer(deployed);

        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after).containsEntry("healthcare-backend-api/app", image)
                .containsEntry("healthcare-backend-worker/app", image);
        before.forEach((container, previous) -> {
            if (!container.startsWith("healthcare-backend-")) {
                assertThat(after.get(container)).as(container + " keeps its image").isEqualTo(previous);
            }
        });
        assertThat(deployed.objects()).hasSameSizeAs(Rendered.overlay(overlay).objects());
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void aMutableOrMissingTagIsRefused(String overlay) {
        for (String image : List.of("registry.example.com/healthcare-backend:latest", "registry.example.com/healthcare-backend")) {
            Commands.Result refused = render(overlay, image);
            assertThat(refused.exitCode()).as(image).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"production"})
    void aDigestPinsTheImage(String overlay) {
        String image = "registry.example.com/healthcare-backend@sha256:" + "ab".repeat(32);
        Rendered deployed = new Rendered("k8s-deploy " + overlay, StrictParser.parse(render(overlay, image).orFail().output()));
        List<String> appImages = deployed.workloads().stream().filter(w -> w.name().startsWith("healthcare-backend-"))
                .flatMap(w -> w.template().getSpec().getContainers().stream()).map(Container::getImage).toList();
        assertThat(appImages).hasSize(2).allMatch(image::equals);
    }
}
