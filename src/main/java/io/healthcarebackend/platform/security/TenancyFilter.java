package io.healthcarebackend.platform.security;

import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Tenancy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds the authenticated user's clinic as the request's tenant (see {@link Tenancy}). Runs after
 * authentication, so the clinic always comes from a verified token.
 */
final class TenancyFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof CurrentUser user) {
            MDC.put("user.id", user.id().toString());
            if (user.clinicId() != null) {
                MDC.put("clinic.id", user.clinicId().toString());
            }
            try {
                if (user.clinicId() == null) {
                    chain.doFilter(request, response);
                } else {
                    Tenancy.runChecked(user.clinicId(), () -> chain.doFilter(request, response));
                }
            } catch (ServletException | IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ServletException(e);
            } finally {
                MDC.remove("user.id");
                MDC.remove("clinic.id");
            }
            return;
        }
        chain.doFilter(request, response);
    }
}
