package io.healthcarebackend.platform.jobs.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;

/**
 * The dashboard page: db-scheduler-ui's own page (as the starter prepared it, with its paths under
 * {@code /queue-dashboard} and its {@code context-path.js}), with our style sheet in the head and,
 * first in the body, our panel ({@code queue-dashboard/panel.html}: sign-in, access denied, queue
 * summary) and our script, after the token handling it shares with /logger. Both are classic
 * scripts, so ours runs while the page is parsed — before the app's module bundle, which browsers
 * run only after parsing — and can wrap {@code fetch} before the app's first call. The page itself
 * holds no data.
 */
final class DashboardPage {

    static final String SCRIPT = QueueDashboardConfig.ROOT + "/queue-dashboard.js";
    /** The sign-in tokens' handling, shared with the /logger page; loaded first, ours uses it. */
    static final String SESSION_SCRIPT = "/shared/session.js";
    static final String STYLE = QueueDashboardConfig.ROOT + "/queue-dashboard.css";
    private static final String PANEL = "queue-dashboard/panel.html";

    private DashboardPage() {
    }

    /**
     * Our page around the starter's. Fails at start-up when the starter's page no longer has the
     * parts this relies on (after an upgrade), rather than serving a page without sign-in.
     */
    static String around(String starterPage) {
        for (String part : new String[] {"</head>", "<body>", "<div id=\"root\">", "context-path.js",
                "type=\"module\""}) {
            if (!starterPage.contains(part)) {
                throw new IllegalStateException("db-scheduler-ui's page has no " + part
                        + "; check DashboardPage against the new version");
            }
        }
        return starterPage
                .replace("</head>", "  <meta name=\"referrer\" content=\"no-referrer\">\n"
                        + "    <link rel=\"stylesheet\" href=\"" + STYLE + "\">\n  </head>")
                .replace("<body>", "<body>\n" + panel() + "\n    <script src=\"" + SESSION_SCRIPT + "\"></script>"
                        + "\n    <script src=\"" + SCRIPT + "\"></script>");
    }

    private static String panel() {
        try {
            return new ClassPathResource(PANEL).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
