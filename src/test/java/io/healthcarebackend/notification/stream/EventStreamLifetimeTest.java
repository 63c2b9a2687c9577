package io.healthcarebackend.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.AccessChange;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.ShortLivedTokens;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * An event stream ends with its user's access, within seconds, whichever way the access ends and
 * on whichever instance the stream is: two instances on one database and Redis, the changes made
 * through the first. Heartbeats rare (a minute) and the periodic session re-check switched off (an
 * hour): only the session-end signal and the token's timer can end these streams in time.
 */
// The same properties, in the same order, as LoggerStreamLifetimeTest: the two share one application
// context (the logger settings are for its tails, which this test never opens).
@TestPropertySource(properties = {EventStreamLifetimeTest.NO_RECHECK, EventStreamLifetimeTest.RARE_HEARTBEAT,
        "app.logger.stream-max-per-user=2", "app.logger.stream-heartbeat=1s"})
class EventStreamLifetimeTest extends ApiTest {

    static final String NO_RECHECK = "app.streams.session-check=1h";
    static final String RARE_HEARTBEAT = "app.events-stream.heartbeat=1m";
    /** Generous: the signal takes milliseconds. */
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startSecondInstance() {
        second = new SpringApplicationBuilder(HealthcareBackendApplication.class)
                .run("--server.port=0", "--" + NO_RECHECK, "--" + RARE_HEARTBEAT);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @ParameterizedTest
    @EnumSource(AccessChange.class)
    void aStreamOnThisInstanceEndsWhenItsSessionDoes(AccessChange change) {
        endsWith(change, port);
    }

    @ParameterizedTest
    @EnumSource(AccessChange.class)
    void aStreamOnAnotherInstanceEndsWhenItsSessionDoes(AccessChange change) {
        endsWith(change, secondPort());
    }

    @Test
    void aStreamOnAnyInstanceEndsWhenItsTokenExpires() {
        Clinic clinic = newClinic();
        String desk = clinic.user("RECEPTIONIST").token();
        for (int instance : new int[] {port, secondPort()}) {
            String token = ShortLivedTokens.expiringIn(desk, Duration.ofSeconds(3));
            try (StreamClient stream = ready(StreamClient.open(instance, token))) {
                assertEnded(stream, "TOKEN_EXPIRED");
            }
        }
    }

    /**
     * The moment after a revocation another instance may still honour the token (its liveness
     * answer is cached for a second): a stream opened then is refused or ends at once.
     */
    @Test
    void aStreamOpenedOnAnotherInstanceJustAfterTheSessionEndedDoesNotLast() {
        Clinic clinic = newClinic();
        for (int i = 0; i < 3; i++) {
            String token = clinic.user("PRACTITIONER").token();
            // The other instance has just checked (and cached) the session as alive.
            try (StreamClient warm = ready(StreamClient.open(secondPort(), token))) {
                assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(204);
                try (StreamClient late = StreamClient.open(secondPort(), token)) {
                    if (late.status == 200) {
                        assertEnded(late, "SESSION_ENDED");
                    } else {
                        assertThat(late.status).isEqualTo(401);
                    }
                }
                assertEnded(warm, "SESSION_ENDED");
            }
        }
    }

    private void endsWith(AccessChange change, int streamPort) {
        Clinic clinic = newClinic();
        User user = clinic.user("RECEPTIONIST");
        try (StreamClient stream = ready(StreamClient.open(streamPort, user.token()))) {
            change.applyTo(api, clinic, user, user.token(), "PRACTITIONER");

            assertEnded(stream, "SESSION_ENDED");
        }
    }

    private static void assertEnded(StreamClient stream, String reason) {
        StreamClient.Event end = stream.awaitNamed("end", WITHIN);
        assertThat(end).as("the stream's last event, within %s", WITHIN).isNotNull();
        assertThat(end.text("reason")).isEqualTo(reason);
        assertThat(stream.awaitEnd(WITHIN)).as("the response ended").isTrue();
    }

    private static int secondPort() {
        return ((WebServerApplicationContext) second).getWebServer().getPort();
    }

    private static StreamClient ready(StreamClient stream) {
        assertThat(stream.status).as("stream status").isEqualTo(200);
        assertThat(stream.awaitNamed("ready", WITHIN)).as("ready event").isNotNull();
        return stream;
    }
}
