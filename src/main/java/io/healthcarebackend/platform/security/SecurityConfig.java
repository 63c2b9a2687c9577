package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import io.healthcarebackend.platform.ratelimit.ClientIp;
import io.healthcarebackend.platform.ratelimit.RateLimits;
import io.healthcarebackend.platform.web.Problems;
import java.util.UUID;
import java.util.function.Predicate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * Bearer-token security for the API: stateless (no HTTP session, no saved requests), every route
 * authenticated except login, refresh, key discovery, probes, metrics, API docs and the
 * (data-free) {@code /logger} and {@code /queue-dashboard} pages. Roles are checked per endpoint with
 * method security (under /queue-dashboard by an MVC interceptor); 401 and 403 are problem+json like
 * every other error, and a 403 is reported for auditing ({@link AuditedRequests}) like one raised
 * in a controller.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@EnableMethodSecurity
class SecurityConfig {

    /** What an API response may do in a browser: nothing (it is data), and never be framed. */
    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

    @Bean
    SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, SessionLiveness sessions, AuditedRequests denied,
            RateLimits rateLimits, ClientIp clientIp,
            @Value("${app.http.cors-allowed-origins:}") List<String> corsOrigins)
            throws Exception {
        AccessDeniedHandler forbidden = (request, response, e) -> {
            try {
                denied.denied(request);
            } catch (ApiException unaudited) {
                Problems.write(request, response, unaudited.status(), unaudited.code(), unaudited.getMessage());
                return;
            }
            Problems.write(request, response, HttpStatus.FORBIDDEN, "FORBIDDEN", "Not allowed for this role");
        };
        http.csrf(csrf -> csrf.disable())
                .cors(cors -> cors.configurationSource(cors(corsOrigins)))
                // Spring's defaults stay (nosniff, X-Frame-Options DENY, Cache-Control no-store on every
                // response, so no PHI lands in a browser or proxy cache); a page that sets its own
                // Content-Security-Policy (the /logger page) keeps it.
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(API_CSP))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true)
                                .maxAgeInSeconds(31_536_000).requestMatcher(AnyRequestMatcher.INSTANCE)))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/health", "/health/**", "/metrics", "/error",
                                "/.well-known/jwks.json", "/api/v1/auth/login", "/api/v1/auth/refresh",
                                // also open to the holder of an MFA enrollment token (checked there)
                                "/api/v1/auth/mfa/enrollment", "/api/v1/auth/mfa/enrollment/confirm",
                                "/api/v1/auth/oidc/providers", "/api/v1/auth/oidc/*/start",
                                "/api/v1/auth/oidc/*/callback",
                                "/api-docs", "/api-docs/**", "/swagger-ui", "/swagger-ui/**", "/swagger-ui.html")
                        .permitAll()
                        // The /logger page and its script and style hold no data (a browser navigation
                        // cannot carry a bearer token); its APIs under /logger/api/** stay protected.
                        .requestMatchers("/logger", "/logger/*.js", "/logger/*.css").permitAll()
                        // The scripts both pages share (static/shared: the sign-in tokens' handling).
                        .requestMatchers("/shared/*.js").permitAll()
                        // Likewise the /queue-dashboard page (db-scheduler-ui's page with ours around it),
                        // its script and style and the app's files; everything else under it needs a
                        // token, and a platform administrator's (checked in MVC: PlatformAdminsOnly).
                        .requestMatchers("/queue-dashboard", "/queue-dashboard/", "/queue-dashboard/*.js",
                                "/queue-dashboard/*.css", "/queue-dashboard/db-scheduler",
                                "/queue-dashboard/db-scheduler/**").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .bearerTokenResolver(new BearerHeaderResolver())
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(converter(sessions, clientIp)))
                        .authenticationEntryPoint((request, response, e) -> Problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "A valid access token is required"))
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) -> Problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "A valid access token is required"))
                        .accessDeniedHandler(forbidden))
                // Per-address limits before a token is verified, per-user and per-clinic ones after.
                .addFilterBefore(rateLimits.beforeAuthentication(knownToken(decoder)),
                        BearerTokenAuthenticationFilter.class)
                .addFilterAfter(rateLimits.afterAuthentication(), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new TenancyFilter(), AuthorizationFilter.class);
        return http.build();
    }

    /** Whether a request carries a token the decoder has verified before (then it authenticates cheaply). */
    private static Predicate<HttpServletRequest> knownToken(JwtDecoder decoder) {
        if (!(decoder instanceof KnownTokens known)) {
            return request -> false;
        }
        BearerHeaderResolver resolver = new BearerHeaderResolver();
        return request -> {
            try {
                String token = resolver.resolve(request);
                return token != null && known.isKnown(token);
            } catch (OAuth2AuthenticationException malformed) {
                return false;
            }
        };
    }

    /** Exact origins from configuration; bearer tokens travel in a header, so no credentials mode. */
    private static CorsConfigurationSource cors(List<String> origins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> allowed = origins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
        if (!allowed.isEmpty()) {
            CorsConfiguration config = new CorsConfiguration();
            config.setAllowedOrigins(allowed);
            config.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID",
                    "traceparent"));
            config.setExposedHeaders(List.of("X-Trace-Id", "X-Trace-Parent", "Retry-After", "RateLimit-Limit",
                    "RateLimit-Remaining", "RateLimit-Reset"));
            config.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/**", config);
        }
        return source;
    }

    /** The address of the request being authenticated (the client's, behind trusted proxies). */
    private static String clientIp(ClientIp clientIp) {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? clientIp.of(attributes.getRequest()) : null;
    }

    private static Converter<Jwt, AbstractAuthenticationToken> converter(SessionLiveness sessions, ClientIp clientIp) {
        return jwt -> {
            CurrentUser user;
            try {
                String clinic = jwt.getClaimAsString(AccessTokenClaims.CLINIC);
                user = new CurrentUser(new UserId(UUID.fromString(jwt.getSubject())),
                        clinic == null ? null : ClinicId.of(clinic),
                        Role.valueOf(jwt.getClaimAsString(AccessTokenClaims.ROLE)),
                        UUID.fromString(jwt.getClaimAsString(AccessTokenClaims.SESSION)));
            } catch (RuntimeException e) {
                throw new InvalidBearerTokenException("Malformed access token claims");
            }
            if (!sessions.isActive(user, clientIp(clientIp))) {
                throw new InvalidBearerTokenException("Session has ended");
            }
            return new StaffAuthentication(user);
        };
    }
}
