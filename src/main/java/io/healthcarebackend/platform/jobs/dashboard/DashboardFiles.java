package io.healthcarebackend.platform.jobs.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import no.bekk.dbscheduler.ui.controller.SpaFallbackMvc;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * The app's files under {@code /queue-dashboard/db-scheduler/**}, and our page for the app's own
 * routes (a reload on a task's page). Takes the place of the starter's {@link SpaFallbackMvc},
 * whose fallback page fails with a 500 on this Spring version (its in-memory page has no
 * modification time) and which would answer a missing script with the page.
 */
final class DashboardFiles extends SpaFallbackMvc {

    private final Resource page;

    DashboardFiles(String page) {
        super(QueueDashboardConfig.ROOT, page);
        this.page = new Page(page.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(QueueDashboardConfig.APP, QueueDashboardConfig.APP + "/**")
                .addResourceLocations("classpath:/static/db-scheduler/")
                .resourceChain(true)
                .addResolver(new PageFallback(page));
    }

    /** A file of the app when there is one; else, for a route (a last segment without a dot), the page. */
    private static final class PageFallback extends PathResourceResolver {

        private final Resource page;

        PageFallback(Resource page) {
            this.page = page;
        }

        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            Resource file = super.getResource(resourcePath, location);
            if (file != null) {
                return file;
            }
            String last = resourcePath.substring(resourcePath.lastIndexOf('/') + 1);
            return last.contains(".") ? null : page;
        }
    }

    /** The page in memory, named so that it is served as text/html, dated so it can be revalidated. */
    private static final class Page extends ByteArrayResource {

        private final long modified;

        Page(byte[] content, long modified) {
            super(content, "queue dashboard page");
            this.modified = modified;
        }

        @Override
        public String getFilename() {
            return "index.html";
        }

        @Override
        public long lastModified() {
            return modified;
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
