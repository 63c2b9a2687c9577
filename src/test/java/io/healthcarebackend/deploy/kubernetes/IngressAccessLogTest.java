package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ingress-nginx access log carries the path, never the query string or the Referer (both may
 * hold PHI): the shipped controller settings replace nginx's default line, which logs "$request".
 */
class IngressAccessLogTest {

    /** nginx variables that hold a query string or a whole URL with one. */
    private static final Pattern QUERY_VARIABLES = Pattern.compile(
            "\\$(request|request_uri|args|query_string|is_args|arg_\\w+|http_referer)\\b(?!_)");

    @Test
    void theControllerLogsThePathWithoutTheQueryString() {
        Rendered rendered = Rendered.directory("deploy/kubernetes/ingress-nginx");
        ConfigMap config = rendered.named(ConfigMap.class, "ingress-nginx-controller");

        assertThat(config.getMetadata().getNamespace()).isEqualTo("ingress-nginx");
        String format = config.getData().get("log-format-upstream");
        assertThat(format).contains("$uri").doesNotContainPattern(QUERY_VARIABLES);
        assertThat(config.getData()).doesNotContainKey("log-format-stream").doesNotContainKey("enable-opentelemetry");
    }

    @Test
    void theVariablePatternCatchesEveryFormOfTheQuery() {
        for (String leaky : new String[] {"\"$request\"", "$request_uri", "$args", "$arg_name", "$query_string",
                "$http_referer", "$uri$is_args"}) {
            assertThat(leaky).containsPattern(QUERY_VARIABLES);
        }
        assertThat("$request_method $request_time $request_length $uri").doesNotContainPattern(QUERY_VARIABLES);
    }

    @Test
    void noOverlayTurnsTheIngressLogBackToAFormatOfItsOwn() {
        for (String overlay : Rendered.OVERLAYS) {
            for (Ingress ingress : Rendered.overlay(overlay).all(Ingress.class)) {
                assertThat(ingress.getMetadata().getAnnotations()).as("%s %s", overlay, ingress.getMetadata())
                        .doesNotContainKey("nginx.ingress.kubernetes.io/configuration-snippet")
                        .doesNotContainKey("nginx.ingress.kubernetes.io/server-snippet");
            }
        }
    }
}
