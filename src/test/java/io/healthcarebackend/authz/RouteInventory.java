package io.healthcarebackend.authz;

import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every route the running application answers, as {@code METHOD pattern}, read from Spring MVC
 * itself: the handler methods of every request-mapping handler mapping (our controllers, springdoc,
 * the Actuator endpoints such as {@code /metrics}) and the URL patterns of the other mappings
 * (static resources, Swagger UI files). A mapping without methods answers any method: {@code ANY}.
 * URL-pattern handlers (resource handlers) serve GET.
 */
final class RouteInventory {

    private RouteInventory() {
    }

    static Set<String> of(ApplicationContext context) {
        Set<String> routes = new TreeSet<>();
        for (HandlerMapping mapping : context.getBeansOfType(HandlerMapping.class).values()) {
            if (mapping instanceof RequestMappingInfoHandlerMapping handlers) {
                handlers.getHandlerMethods().keySet().forEach(info -> add(routes, info));
            } else if (mapping instanceof AbstractUrlHandlerMapping urls) {
                urls.getHandlerMap().keySet().forEach(p -> routes.add(AuthorizationMatrix.Row.key("GET", p)));
            }
        }
        return routes;
    }

    private static void add(Set<String> routes, RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        for (String pattern : info.getPatternValues()) {
            if (methods.isEmpty()) {
                routes.add(AuthorizationMatrix.Row.key(AuthorizationMatrix.ANY_METHOD, pattern));
            }
            methods.forEach(m -> routes.add(AuthorizationMatrix.Row.key(m.name(), pattern)));
        }
    }
}
