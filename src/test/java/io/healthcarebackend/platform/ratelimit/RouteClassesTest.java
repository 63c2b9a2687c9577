package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which route class a request falls in, and configuration mistakes that must stop the start. */
class RouteClassesTest {

    private final RouteClasses classes = new RouteClasses(Map.of(
            "login", new RateLimitSettings.RouteClassSettings(1, List.of("POST /api/v1/auth/login")),
            "mfa", new RateLimitSettings.RouteClassSettings(1, List.of("* /api/v1/auth/mfa/**")),
            "read", new RateLimitSettings.RouteClassSettings(1, List.of("GET /api/v1/**")),
            "search", new RateLimitSettings.RouteClassSettings(3, List.of("GET /api/v1/patients",
                    "GET /api/v1/practitioners/*/availability")),
            "write", new RateLimitSettings.RouteClassSettings(5, List.of("POST /api/v1/**", "DELETE /api/v1/**"))));

    @Test
    void theMostSpecificRouteWinsLikeSpringMvcChoosesAHandler() {
        assertThat(classify("POST", "/api/v1/auth/login")).isEqualTo("login");
        assertThat(classify("POST", "/api/v1/auth/mfa/verify")).isEqualTo("mfa");
        assertThat(classify("DELETE", "/api/v1/auth/mfa/enrollment")).isEqualTo("mfa");
        assertThat(classify("GET", "/api/v1/auth/mfa")).isEqualTo("mfa");
        assertThat(classify("POST", "/api/v1/patients")).isEqualTo("write");
        assertThat(classify("GET", "/api/v1/patients")).isEqualTo("search");
        assertThat(classify("GET", "/api/v1/patients/0190b0c4-0000-7000-8000-000000000000")).isEqualTo("read");
        assertThat(classify("GET", "/api/v1/practitioners/x/availability")).isEqualTo("search");
        assertThat(classify("HEAD", "/api/v1/patients")).isEqualTo("search");
        assertThat(classify("GET", "/health")).isNull();
        assertThat(classify("OPTIONS", "/api/v1/patients")).isNull();
    }

    @Test
    void pathsAreMatchedDecodedSoEncodingDoesNotChangeTheClass() {
        assertThat(classify("POST", "/api/v1/auth/%6Cogin")).isEqualTo("login");
    }

    @Test
    void aRuleNamingAnUnknownRouteClassStopsTheStart() {
        assertThatThrownBy(() -> new RuleBook(Map.of("r", rule("reads", 10)), classes))
                .hasMessageContaining("route class 'reads'");
    }

    @Test
    void aRouteClassCostingMoreThanARulesWholeLimitStopsTheStart() {
        assertThatThrownBy(() -> new RuleBook(Map.of("r", rule("write", 4)), classes))
                .hasMessageContaining("costs more than the whole limit");
    }

    @Test
    void aMalformedRouteStopsTheStart() {
        Map<String, RateLimitSettings.RouteClassSettings> bad = new LinkedHashMap<>();
        bad.put("read", new RateLimitSettings.RouteClassSettings(1, List.of("/api/v1/**")));
        assertThatThrownBy(() -> new RouteClasses(bad)).hasMessageContaining("'METHOD /path/pattern'");
    }

    private static RateLimitSettings.RuleSettings rule(String routeClass, long limit) {
        return new RateLimitSettings.RuleSettings(KeyKind.IP, List.of(routeClass), Algorithm.FIXED_WINDOW, limit,
                Duration.ofMinutes(1), false);
    }

    private String classify(String method, String uri) {
        RouteClasses.RouteClass found = classes.classify(new MockHttpServletRequest(method, uri));
        return found == null ? null : found.name();
    }
}
