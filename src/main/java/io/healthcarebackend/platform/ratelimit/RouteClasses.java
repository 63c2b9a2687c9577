package io.healthcarebackend.platform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Sorts a request into its route class by method and path, the way Spring MVC picks a handler:
 * the most specific matching pattern wins ({@code GET /api/v1/patients} before
 * {@code GET /api/v1/**}), and a pattern with a method before the same pattern with {@code *}.
 * Paths are matched decoded, as MVC matches them, so {@code /api/v1/auth/%6Cogin} is a login.
 */
final class RouteClasses {

    record RouteClass(String name, int weight) {
    }

    private record Route(String method, PathPattern pattern, RouteClass target) {
        boolean matches(String requestMethod, PathContainer path) {
            return (method == null || method.equals(requestMethod)) && pattern.matches(path);
        }
    }

    /** Spring MVC answers HEAD with the GET handler (the work is done, the body dropped): it costs what GET costs. */
    private static String asRouted(String method) {
        return "HEAD".equals(method) ? "GET" : method;
    }

    private static final String ATTRIBUTE = RouteClasses.class.getName();
    private static final RouteClass NONE = new RouteClass("", 0);

    private final List<Route> routes;

    RouteClasses(Map<String, RateLimitSettings.RouteClassSettings> classes) {
        PathPatternParser parser = new PathPatternParser();
        List<Route> all = new ArrayList<>();
        classes.forEach((name, settings) -> {
            if (settings.weight() < 1) {
                throw new IllegalArgumentException("rate-limit route class " + name + ": weight must be at least 1");
            }
            RouteClass target = new RouteClass(name, settings.weight());
            for (String route : settings.routes() == null ? List.<String>of() : settings.routes()) {
                String[] parts = route.strip().split("\\s+");
                if (parts.length != 2 || !parts[1].startsWith("/")) {
                    throw new IllegalArgumentException("rate-limit route class " + name
                            + ": a route is 'METHOD /path/pattern', not '" + route + "'");
                }
                String method = parts[0].equals("*") ? null : parts[0].toUpperCase(java.util.Locale.ROOT);
                all.add(new Route(method, parser.parse(parts[1]), target));
            }
        });
        all.sort(Comparator.comparing(Route::pattern, PathPattern.SPECIFICITY_COMPARATOR)
                .thenComparing(r -> r.method() == null));
        this.routes = List.copyOf(all);
    }

    /** The request's class, or null when no rule-bearing route matches (probes, static pages). */
    RouteClass classify(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof RouteClass known) {
            return known == NONE ? null : known;
        }
        PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
                .pathWithinApplication();
        RouteClass found = NONE;
        for (Route route : routes) {
            if (route.matches(asRouted(request.getMethod()), path)) {
                found = route.target();
                break;
            }
        }
        request.setAttribute(ATTRIBUTE, found);
        return found == NONE ? null : found;
    }

    int weight(String name) {
        return routes.stream().filter(r -> r.target().name().equals(name)).mapToInt(r -> r.target().weight())
                .findFirst().orElse(0);
    }

    /** What a request of each class costs. */
    Map<String, Integer> weights() {
        Map<String, Integer> weights = new java.util.TreeMap<>();
        routes.forEach(r -> weights.put(r.target().name(), r.target().weight()));
        return weights;
    }

    boolean exists(String name) {
        return routes.stream().anyMatch(r -> r.target().name().equals(name));
    }
}
