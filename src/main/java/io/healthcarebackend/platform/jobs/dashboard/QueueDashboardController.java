package io.healthcarebackend.platform.jobs.dashboard;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /queue-dashboard}: the address operators use, sent on to the app's page (the app routes
 * under {@code /queue-dashboard/db-scheduler}), and the queue summary the page shows above the app.
 * The summary is for platform administrators only (also enforced by path in SecurityConfig).
 */
@RestController
class QueueDashboardController {

    private final QueueSummaries summaries;

    QueueDashboardController(QueueSummaries summaries) {
        this.summaries = summaries;
    }

    @GetMapping({QueueDashboardConfig.ROOT, QueueDashboardConfig.ROOT + "/"})
    ResponseEntity<Void> dashboard() {
        return ResponseEntity.status(302).location(URI.create(QueueDashboardConfig.APP)).build();
    }

    @GetMapping(QueueDashboardConfig.ROOT + "/api/summary")
    @PreAuthorize(QueueDashboardConfig.ADMINS)
    QueueSummary summary() {
        return summaries.summary();
    }
}
