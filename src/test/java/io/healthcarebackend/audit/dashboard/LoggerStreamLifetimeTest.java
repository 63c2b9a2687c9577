package io.healthcarebackend.audit.dashboard;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.AccessChange;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.ShortLivedTokens;
import io.healthcarebackend.support.WorkerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.test.context.TestPropertySource;

/**
 * The /logger live tail ends with its viewer's access, within seconds, whichever way the access
 * ends, and a viewer holds at most {@code app.logger.stream-max-per-user} tails. The periodic
 * session re-check is switched off (an hour): only the session-end signal and the token's timer
 * can end these streams in time.
 */
// The same properties, in the same order, as EventStreamLifetimeTest: the two share one application
// context (its rare event-stream heartbeat is for event streams, which this test never opens).
@TestPropertySource(properties = {"app.streams.session-check=1h", "app.events-stream.heartbeat=1m",
        "app.logger.stream-max-per-user=2", "app.logger.stream-heartbeat=1s"})
class LoggerStreamLifetimeTest extends ApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @ParameterizedTest
    @EnumSource(AccessChange.class)
    void aTailEndsWhenItsSessionDoes(AccessChange change) {
        Clinic clinic = newClinic();
        User officer = clinic.user("COMPLIANCE_OFFICER");
        try (LoggerTail tail = connected(LoggerTail.open(port, officer.token()))) {
            // CLINIC_ADMIN may watch the tail too: the stream still ends, its token names the old role.
            change.applyTo(api, clinic, officer, officer.token(), "CLINIC_ADMIN");

            assertEnded(tail, "SESSION_ENDED");
        }
    }

    @Test
    void aPlatformAdministratorsTailEndsAtLogout() {
        String token = platformToken();
        try (LoggerTail tail = connected(LoggerTail.open(port, token))) {
            assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(204);

            assertEnded(tail, "SESSION_ENDED");
        }
    }

    @Test
    void aTailEndsWhenItsTokenExpires() {
        Clinic clinic = newClinic();
        String token = ShortLivedTokens.expiringIn(clinic.adminToken, Duration.ofSeconds(3));
        try (LoggerTail tail = connected(LoggerTail.open(port, token))) {
            assertEnded(tail, "TOKEN_EXPIRED");
        }
    }

    @Test
    void aViewerHoldsAtMostTwoTailsAndGetsThePlaceBackWhenOneGoesAway() {
        Clinic clinic = newClinic();
        String token = clinic.user("COMPLIANCE_OFFICER").token();
        List<LoggerTail> open = new ArrayList<>();
        try {
            open.add(connected(LoggerTail.open(port, token)));
            open.add(connected(LoggerTail.open(port, token)));

            Api.Response refused = api.get("/logger/api/stream", token);
            assertProblem(refused, 429, "LOGGER_STREAMS_PER_USER_EXCEEDED");
            assertThat(refused.header("Retry-After")).isNotBlank();
            try (LoggerTail otherViewer = connected(LoggerTail.open(port, clinic.adminToken))) {
                assertThat(otherViewer.status).as("another user's tails are counted apart").isEqualTo(200);
            }

            open.removeFirst().close();
            // The server notices the closed connection at that tail's next heartbeat (1 s here).
            LoggerTail[] again = {null};
            WorkerTest.await("a tail once the closed one's place was given back", WITHIN, () -> {
                LoggerTail attempt = LoggerTail.open(port, token);
                if (attempt.status == 200) {
                    again[0] = attempt;
                    return true;
                }
                attempt.close();
                return false;
            });
            open.add(again[0]);
            assertThat(again[0].status).isEqualTo(200);
        } finally {
            open.forEach(LoggerTail::close);
        }
    }

    private static void assertEnded(LoggerTail tail, String reason) {
        LoggerTail.Event end = tail.await(f -> "end".equals(f.name()), WITHIN);
        assertThat(end).as("the tail's last event, within %s", WITHIN).isNotNull();
        assertThat(end.text("reason")).isEqualTo(reason);
        assertThat(tail.awaitEnd(WITHIN)).as("the response ended").isTrue();
    }

    /** A tail that answered 200 and wrote its first line (so it is registered). */
    private static LoggerTail connected(LoggerTail tail) {
        assertThat(tail.status).as("tail status").isEqualTo(200);
        WorkerTest.await("the tail's first line", WITHIN, () -> !tail.lines.isEmpty());
        return tail;
    }
}
