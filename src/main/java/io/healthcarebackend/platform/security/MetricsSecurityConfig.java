package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /metrics} for Prometheus only: when {@code app.metrics.token} (METRICS_TOKEN) is set, a
 * scrape must carry {@code Authorization: Bearer <that token>} (compared in constant time);
 * anything else, a staff access token included, is a 401 problem. Unset, the endpoint is open,
 * which ProductionSafetyCheck allows only outside staging and production. A chain of its own,
 * ahead of the API's, so the metrics token is never mistaken for a malformed access token.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class MetricsSecurityConfig {

    static final String PATH = "/metrics";
    private static final String PREFIX = "Bearer ";

    @Bean
    @Order(1)
    SecurityFilterChain metrics(HttpSecurity http, @Value("${app.metrics.token:}") String token) throws Exception {
        byte[] expected = (PREFIX + token.strip()).getBytes(StandardCharsets.UTF_8);
        boolean open = token.isBlank();
        http.securityMatcher(PATH)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(auth -> auth.anyRequest().access((authentication, context) ->
                        new AuthorizationDecision(open || presented(context.getRequest(), expected))))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"metrics\"");
                            Problems.write(request, response, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED",
                                    "The metrics token is required");
                        })
                        .accessDeniedHandler((request, response, e) -> Problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "The metrics token is required")));
        return http.build();
    }

    private static boolean presented(HttpServletRequest request, byte[] expected) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected);
    }
}
