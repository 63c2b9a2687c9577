package io.healthcarebackend.platform.jobs.dashboard;

import no.bekk.dbscheduler.ui.controller.IndexHtmlController;
import no.bekk.dbscheduler.ui.controller.SpaFallbackMvc;
import io.healthcarebackend.platform.security.RequestAudit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts db-scheduler-ui (mounted under {@code /queue-dashboard} by {@code db-scheduler-ui.context-path})
 * behind the service's bearer tokens. The starter's own page would call its API without a token
 * and, on a 401, send the browser to {@code /db-scheduler}; so its page is replaced — through the
 * starter's {@code @ConditionalOnMissingBean} override points, for the page route and for the
 * app's deep links alike — by {@link DashboardPage}: the same page with a sign-in form, the queue
 * summary and a script that hands the app's calls their token. The page gets a CSP of its own,
 * everything else under {@code /queue-dashboard/} is for platform administrators only
 * ({@link PlatformAdminsOnly}), and every change made through the dashboard is audited and logged.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "db-scheduler-ui.enabled", matchIfMissing = true)
class QueueDashboardConfig implements WebMvcConfigurer {

    private final ObjectProvider<RequestAudit> audit;

    QueueDashboardConfig(ObjectProvider<RequestAudit> audit) {
        this.audit = audit;
    }

    static final String ROOT = "/queue-dashboard";
    static final String APP = ROOT + "/db-scheduler";
    static final String APP_API = ROOT + "/db-scheduler-api";
    static final String ADMINS = "hasRole('PLATFORM_ADMIN')";
    /**
     * The page, its script and style and the app's files: no data, open to anyone (SecurityConfig
     * permits the same paths). Everything else under {@link #ROOT} is for platform administrators.
     */
    static final String[] PUBLIC = {ROOT, ROOT + "/", ROOT + "/*.js", ROOT + "/*.css", APP, APP + "/**"};

    /**
     * Scripts and styles of this origin only, nothing framed, no forms elsewhere. {@code style-src}
     * also allows inline styles because the app (React with Chakra UI) writes its styles through
     * Emotion into {@code <style>} elements at run time and offers no nonce; scripts stay strictly
     * {@code 'self'}, and {@code img-src}/{@code connect-src 'self'} keep injected CSS from sending
     * anything elsewhere.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The app's page, with ours around it; replaces the starter's (which has no sign-in). */
    @Bean
    IndexHtmlController queueDashboardPage(@Qualifier("indexHtml") String starterPage,
            @Qualifier("contextPath") String contextPath) {
        if (!ROOT.equals(contextPath)) {
            // The security rules, the page and its script all name this path.
            throw new IllegalStateException("db-scheduler-ui.context-path (with any servlet path) must be " + ROOT
                    + ", not " + contextPath);
        }
        return new IndexHtmlController(DashboardPage.around(starterPage), contextPath);
    }

    /** The app's files and, for its deep links (a reload on a task's page), our page again. */
    @Bean
    SpaFallbackMvc queueDashboardFiles(@Qualifier("indexHtml") String starterPage) {
        return new DashboardFiles(DashboardPage.around(starterPage));
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new PlatformAdminsOnly()).addPathPatterns(ROOT + "/**")
                .excludePathPatterns(PUBLIC).order(Ordered.HIGHEST_PRECEDENCE);
        registry.addInterceptor(new PageHeaders()).addPathPatterns(APP, APP + "/**");
        registry.addInterceptor(new QueueActionLog(audit));
    }
}
