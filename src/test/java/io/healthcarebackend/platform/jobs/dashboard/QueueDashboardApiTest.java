package io.healthcarebackend.platform.jobs.dashboard;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.healthcarebackend.platform.jobs.DeadLetter;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.WorkerTest;
import io.healthcarebackend.support.AuditLog;
import io.healthcarebackend.support.AuditLog.Trace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * /queue-dashboard over HTTP: who may reach its data and actions, the summary's counts for rows
 * written straight into {@code scheduled_tasks}, what run-now and delete do to a dead job, and the
 * page itself (public, data-free, with its own Content-Security-Policy).
 */
@Import(DashboardTestJobs.class)
class QueueDashboardApiTest extends WorkerTest {

    private static final String TASK = DashboardTestJobs.TASK;
    private static final String APP_API = "/queue-dashboard/db-scheduler-api";
    private static final String SUMMARY = "/queue-dashboard/api/summary";

    @Autowired
    private JdbcClient jdbc;

    private ScheduledRows rows;

    @BeforeEach
    void startWithAnEmptyTestQueue() {
        rows = new ScheduledRows(jdbc);
        rows.clear(TASK);
    }

    @Test
    void theSummaryCountsRunningScheduledFailedAndDeadExecutionsOfEachQueue() {
        rows.running(TASK, id("running"));
        rows.scheduled(TASK, id("scheduled"), Instant.now().plus(Duration.ofHours(2)));
        rows.scheduled(TASK, id("scheduled"), Instant.now().plus(Duration.ofDays(1)));
        rows.failed(TASK, id("failed"), 2);
        String firstDead = id("dead");
        String secondDead = id("dead");
        rows.dead(TASK, firstDead, 5);
        rows.dead(TASK, secondDead, 7);

        Api.Response summary = api.get(SUMMARY, platformToken());

        assertThat(summary.status()).as("%s", summary).isEqualTo(200);
        JsonNode queue = queue(summary, TASK);
        assertThat(counts(queue)).containsExactlyEntriesOf(counts(0, 2, 1, 1, 2));
        assertThat(queue.path("known").asBoolean()).isTrue();
        assertThat(queue.path("oldestDueSeconds").isNull()).as("nothing is due").isTrue();
        List<JsonNode> dead = new ArrayList<>();
        summary.body().path("dead").forEach(j -> {
            if (TASK.equals(j.path("task").asString())) {
                dead.add(j);
            }
        });
        assertThat(dead).extracting(j -> j.path("instance").asString()).containsExactlyInAnyOrder(firstDead, secondDead);
        assertThat(dead).extracting(j -> j.path("failures").asInt()).containsExactlyInAnyOrder(5, 7);
        assertThat(dead).allSatisfy(j -> assertThat(j.path("lastFailure").asString()).isNotBlank());
        JsonNode totals = summary.body().path("totals");
        assertThat(totals.path("dead").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(totals.path("running").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void waitingExecutionsOfATaskTheServiceDoesNotHaveAreCountedAsDueWithTheirAge() {
        String orphan = "queue-dashboard-orphan-" + UUID.randomUUID();
        try {
            rows.scheduled(orphan, "waiting-long", Instant.now().minus(Duration.ofMinutes(10)));
            rows.scheduled(orphan, "waiting-short", Instant.now().minus(Duration.ofMinutes(1)));
            rows.scheduled(orphan, "later", Instant.now().plus(Duration.ofHours(1)));

            Api.Response summary = api.get(SUMMARY, platformToken());

            JsonNode queue = queue(summary, orphan);
            assertThat(counts(queue)).containsExactlyEntriesOf(counts(2, 3, 0, 0, 0));
            assertThat(queue.path("known").asBoolean()).as("no task of that name here").isFalse();
            assertThat(queue.path("oldestDueSeconds").asLong()).isBetween(600L, 900L);
        } finally {
            rows.clear(orphan);
        }
    }

    @Test
    void aQueueWithoutExecutionsIsListedWithZeroCounts() {
        Api.Response summary = api.get(SUMMARY, platformToken());

        assertThat(counts(queue(summary, TASK))).containsExactlyEntriesOf(counts(0, 0, 0, 0, 0));
    }

    @Test
    void onlyAPlatformAdministratorReachesTheDataAndTheActions() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        Clinic clinic = newClinic();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("CLINIC_ADMIN", clinic.adminToken);
        for (String role : List.of("COMPLIANCE_OFFICER", "RECEPTIONIST", "PRACTITIONER")) {
            refused.put(role, clinic.user(role).token());
        }
        List<String> reads = List.of(SUMMARY, APP_API + "/config", APP_API + "/tasks/all?filter=ALL",
                APP_API + "/tasks/poll?filter=ALL", APP_API + "/tasks/details?taskName=" + TASK,
                // other spellings of an API path, and a path nothing serves
                APP_API + "/tasks/%61ll?filter=ALL", "/queue-dashboard/db-scheduler-api/tasks/all/", APP_API + "/logs/all");
        List<String> writes = List.of(rerun(dead), APP_API + "/tasks/rerunGroup?name=" + TASK + "&onlyFailed=true",
                delete(dead));

        for (String path : reads) {
            assertProblem(api.get(path, null), 401, "UNAUTHORIZED");
            refused.forEach((role, token) -> assertProblem(api.get(path, token), 403, "FORBIDDEN"));
        }
        for (String path : writes) {
            assertProblem(api.post(path, null, null), 401, "UNAUTHORIZED");
            refused.forEach((role, token) -> assertProblem(api.post(path, token, null), 403, "FORBIDDEN"));
        }

        assertThat(rows.find(TASK, dead)).as("the refused calls left the dead job as it was")
                .hasValueSatisfying(r -> assertThat(r.executionTime()).isEqualTo(DeadLetter.PARKED_UNTIL));
        String platform = platformToken();
        for (String path : reads.subList(0, 5)) {
            Api.Response answer = api.get(path, platform);
            assertThat(answer.status()).as("GET %s: %s", path, answer).isEqualTo(200);
            assertThat(answer.header("Content-Type")).startsWith("application/json");
        }
        // History is off (db-scheduler-ui.history: false): its API does not exist, even for the admin.
        assertProblem(api.get(APP_API + "/logs/all", platform), 404, "NOT_FOUND");
    }

    @Test
    void aRefusedCallIsAuditedAsAccessDeniedWithItsRoute() {
        Clinic clinic = newClinic();
        Trace trace = Trace.next();

        assertProblem(api.post(delete("any"), clinic.adminToken, null, trace.headers()), 403, "FORBIDDEN");

        assertThat(AuditLog.eventsOf(trace)).singleElement().satisfies(event -> assertThat(event)
                .containsEntry("action", "ACCESS_DENIED").containsEntry("outcome", "DENIED")
                .containsEntry("actor_role", "CLINIC_ADMIN").containsEntry("clinic_id", clinic.id)
                .containsEntry("resource_type", "POST " + APP_API + "/tasks/delete"));
    }

    @Test
    void theSchedulerViewListsADeadJobAmongTheFailedOnesWithItsParkedTime() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        rows.scheduled(TASK, id("scheduled"), Instant.now().plus(Duration.ofHours(1)));

        Api.Response failed = api.get(APP_API + "/tasks/all?filter=FAILED&refresh=true", platformToken());

        assertThat(failed.status()).as("%s", failed).isEqualTo(200);
        JsonNode group = null;
        for (JsonNode item : failed.body().path("items")) {
            if (TASK.equals(item.path("taskName").asString())) {
                group = item;
            }
        }
        assertThat(group).as("the test queue among the failed: %s", failed).isNotNull();
        List<String> instances = new ArrayList<>();
        group.path("taskInstance").forEach(i -> instances.add(i.asString()));
        int at = instances.indexOf(dead);
        assertThat(at).as("the dead job in %s", instances).isGreaterThanOrEqualTo(0);
        assertThat(group.path("executionTime").get(at).asString()).isEqualTo("9999-12-31T00:00:00Z");
        assertThat(group.path("consecutiveFailures").get(at).asInt()).isEqualTo(5);
    }

    @Test
    void runNowOnADeadJobMakesItDueWithItsFailureCountResetAndAWorkerRunsIt() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        Trace trace = Trace.next();
        Api.Response rerun = api.post(rerun(dead), platformToken(), null, trace.headers());

        assertThat(rerun.status()).as("%s", rerun).isEqualTo(200);
        assertThat(AuditLog.eventsOf(trace)).singleElement().satisfies(event -> assertThat(event)
                .containsEntry("action", "JOB_RETRIED").containsEntry("outcome", "SUCCESS")
                .containsEntry("actor_role", "PLATFORM_ADMIN").containsEntry("resource_type", "Job")
                .containsEntry("reason", TASK + " " + dead));
        // A worker may already have run it (and a finished one-time job is deleted).
        rows.find(TASK, dead).ifPresent(r -> {
            assertThat(r.executionTime()).isBeforeOrEqualTo(Instant.now());
            assertThat(r.failures()).isZero();
        });
        waitFor(Duration.ofSeconds(20), () -> DashboardTestJobs.RAN.contains(dead) && rows.find(TASK, dead).isEmpty());
    }

    @Test
    void deleteDiscardsADeadJobWithoutRunningIt() {
        String dead = id("dead");
        String other = id("dead");
        rows.dead(TASK, dead, 5);
        rows.dead(TASK, other, 5);

        Trace trace = Trace.next();
        Api.Response delete = api.post(delete(dead), platformToken(), null, trace.headers());

        assertThat(delete.status()).as("%s", delete).isEqualTo(200);
        assertThat(AuditLog.eventsOf(trace)).singleElement().satisfies(event -> assertThat(event)
                .containsEntry("action", "JOB_DISCARDED").containsEntry("reason", TASK + " " + dead));
        assertThat(rows.find(TASK, dead)).isEmpty();
        assertThat(rows.find(TASK, other)).as("only the one named").isPresent();
        assertThat(DashboardTestJobs.RAN).doesNotContain(dead);
        assertThat(queue(api.get(SUMMARY, platformToken()), TASK).path("dead").asLong()).isEqualTo(1);
    }

    @Test
    void runNowAndDeleteOfAJobThatIsGoneAnswer404() {
        String platform = platformToken();

        assertProblem(api.post(rerun("no-such-job"), platform, null), 404, "NOT_FOUND");
        assertProblem(api.post(delete("no-such-job"), platform, null), 404, "NOT_FOUND");
    }

    @Test
    void changesMadeThroughTheDashboardAreLoggedWithWhoAndWhat() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        Logger logger = (Logger) LoggerFactory.getLogger(QueueActionLog.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            String platform = platformToken();
            assertThat(api.post(delete(dead), platform, null).status()).isEqualTo(200);
            assertThat(api.post(delete(dead), platform, null).status()).isEqualTo(404);
            assertThat(api.post(delete(dead), newClinic().adminToken, null).status()).isEqualTo(403);
        } finally {
            logger.detachAppender(captured);
        }

        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage).satisfiesExactly(
                m -> assertThat(m).contains("delete", "task=" + TASK, "instance=" + dead, "by=PLATFORM_ADMIN",
                        "status=200"),
                m -> assertThat(m).contains("delete", "instance=" + dead, "status=404"));
    }

    @Test
    void thePageIsPublicHoldsNoDataAndCarriesItsOwnContentSecurityPolicy() {
        Api.Response entry = api.get("/queue-dashboard", null);
        assertThat(entry.status()).isEqualTo(302);
        assertThat(entry.header("Location")).isEqualTo("/queue-dashboard/db-scheduler");
        assertThat(api.get("/queue-dashboard/", null).header("Location")).isEqualTo("/queue-dashboard/db-scheduler");

        for (String path : List.of("/queue-dashboard/db-scheduler", "/queue-dashboard/db-scheduler/" + TASK)) {
            Api.Response page = api.get(path, null, Map.of("Accept", "text/html"));
            assertThat(page.status()).as("GET %s: %s", path, page).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).isEqualTo(QueueDashboardConfig.CSP)
                    .contains("script-src 'self';").doesNotContain("script-src 'self' 'unsafe");
            String html = page.raw().body();
            assertThat(html).contains("id=\"qd-login\"", "id=\"root\"")
                    .doesNotContain(TASK + "\"", "accessToken");
            // Ours is a classic script, run while the page is parsed; the app's bundle is a module,
            // run only after parsing: so ours wraps fetch before the app's first call.
            assertThat(html).contains("<script src=\"/shared/session.js\"></script>\n"
                    + "    <script src=\"/queue-dashboard/queue-dashboard.js\"></script>")
                    .containsPattern("<script type=\"module\"[^>]* src=\"/queue-dashboard/db-scheduler/assets/");
            List<String> scripts = List.of(html.split("<script", -1)).subList(1, html.split("<script", -1).length);
            assertThat(scripts).as("every script is a file of this origin, none inline").hasSize(4)
                    .allSatisfy(tag -> {
                        assertThat(tag.substring(0, tag.indexOf('>')))
                                .containsPattern("\\ssrc=[\"']/(queue-dashboard|shared)/");
                        assertThat(tag.substring(tag.indexOf('>') + 1)).startsWith("</script>");
                    });
        }
        for (String file : List.of("/shared/session.js", "/queue-dashboard/queue-dashboard.js",
                "/queue-dashboard/queue-dashboard.css",
                "/queue-dashboard/db-scheduler/js/context-path.js", "/queue-dashboard/db-scheduler/favicon.svg")) {
            assertThat(api.get(file, null, Map.of("Accept", "*/*")).status()).as("GET %s", file).isEqualTo(200);
        }
        assertThat(api.get("/queue-dashboard/db-scheduler/assets/no-such-file.js", null, Map.of("Accept", "*/*"))
                .status()).as("a missing file is not answered with the page").isEqualTo(404);
        assertThat(api.get(APP_API + "/config", platformToken()).header("Content-Security-Policy"))
                .as("the API keeps the API's policy").startsWith("default-src 'none'; frame-ancestors 'none'");
    }

    private static String rerun(String instance) {
        return APP_API + "/tasks/rerun?id=" + instance + "&name=" + TASK + "&scheduleTime=" + Instant.now();
    }

    private static String delete(String instance) {
        return APP_API + "/tasks/delete?id=" + instance + "&name=" + TASK;
    }

    private static String id(String state) {
        return state + "-" + UUID.randomUUID();
    }

    private static JsonNode queue(Api.Response summary, String task) {
        assertThat(summary.status()).as("%s", summary).isEqualTo(200);
        for (JsonNode queue : summary.body().path("queues")) {
            if (task.equals(queue.path("task").asString())) {
                return queue;
            }
        }
        throw new AssertionError("no queue " + task + " in " + summary);
    }

    private static Map<String, Long> counts(JsonNode queue) {
        return counts(queue.path("due").asLong(), queue.path("scheduled").asLong(), queue.path("running").asLong(),
                queue.path("failed").asLong(), queue.path("dead").asLong());
    }

    private static Map<String, Long> counts(long due, long scheduled, long running, long failed, long dead) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("due", due);
        counts.put("scheduled", scheduled);
        counts.put("running", running);
        counts.put("failed", failed);
        counts.put("dead", dead);
        return counts;
    }

    private static void waitFor(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("still waiting after %s", timeout).isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
