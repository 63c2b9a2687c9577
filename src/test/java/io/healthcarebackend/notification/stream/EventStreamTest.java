package io.healthcarebackend.notification.stream;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.ShortLivedTokens;
import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.RedisClientInfo;
import org.springframework.test.context.TestPropertySource;

/**
 * Real-time appointment events with Redis, on two instances of the service: this test's context
 * and a second one on another port, against the same PostgreSQL database and Redis. Heartbeats
 * every second here, so that a closed client is noticed quickly, and sessions re-checked every
 * second, so that a session ending without a signal (a timeout) is noticed quickly.
 */
@TestPropertySource(properties = {EventStreamTest.HEARTBEAT, EventStreamTest.PER_USER, EventStreamTest.RECHECK})
class EventStreamTest extends ApiTest {

    static final String HEARTBEAT = "app.events-stream.heartbeat=1s";
    static final String PER_USER = "app.events-stream.max-per-user=3";
    static final String RECHECK = "app.streams.session-check=1s";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static ConfigurableApplicationContext second;

    @Autowired
    private StringRedisTemplate redis;

    @BeforeAll
    static void startSecondInstance() {
        // As arguments: they outrank application.yml, as the test context's property source does.
        second = new SpringApplicationBuilder(HealthcareBackendApplication.class)
                .run("--server.port=0", "--" + HEARTBEAT, "--" + PER_USER, "--" + RECHECK);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aBookingOnOneInstanceReachesAStreamOnTheOtherWithinASecondAndNoOtherClinicSeesIt() {
        Clinic clinic = newClinic();
        Clinic other = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        String desk = clinic.user("RECEPTIONIST").token();
        int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();

        try (StreamClient onSecond = ready(StreamClient.open(secondPort, desk));
                StreamClient otherClinic = ready(StreamClient.open(secondPort, other.adminToken))) {
            assertThat(onSecond.contentType).startsWith("text/event-stream");
            Instant start = clinic.at(2, 10, 0);
            Api.Response booked = clinic.book(clinic.adminToken, patient, practitioner, start);
            assertThat(booked.status()).as("%s", booked).isEqualTo(201);
            String id = booked.text("id");

            StreamClient.Event event = onSecond.awaitAppointment("BOOKED", id, Duration.ofSeconds(1));

            assertThat(event).as("the booking made on the first instance, on the second within 1 s").isNotNull();
            assertThat(event.id()).matches("\\d+-\\d+");
            assertThat(event.text("type")).isEqualTo("BOOKED");
            assertThat(event.text("practitionerId")).isEqualTo(practitioner);
            assertThat(Instant.parse(event.text("start"))).isEqualTo(start);
            assertThat(Instant.parse(event.text("end"))).isEqualTo(start.plus(Duration.ofMinutes(30)));
            assertThat(event.text("occurredAt")).isNotBlank();
            assertThat(event.data()).as("no patient on the wire").doesNotContain(patient).doesNotContain("patient");

            // The other clinic's first appointment event is its own booking: nothing of the first clinic came before.
            Api.Response ownBooking = other.book(other.adminToken, other.patient(), other.practitioner(),
                    other.at(2, 10, 0));
            assertThat(otherClinic.awaitAppointment("BOOKED", ownBooking.text("id"), WAIT)).isNotNull();
            assertThat(otherClinic.appointmentEvents()).extracting(e -> e.text("appointmentId"))
                    .containsExactly(ownBooking.text("id"));
            assertThat(onSecond.appointmentEvents()).extracting(e -> e.text("appointmentId")).containsExactly(id);
        }
    }

    @Test
    void reschedulingCancellingCheckingInAndTheOtherChangesArriveWithTheirTypes() throws SQLException {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String moved = booked(clinic, clinic.patient(), practitioner, clinic.at(3, 9, 0));
        String cancelled = booked(clinic, clinic.patient(), practitioner, clinic.at(3, 10, 0));
        String seen = booked(clinic, clinic.patient(), practitioner, clinic.at(3, 11, 0));
        String absent = booked(clinic, clinic.patient(), practitioner, clinic.at(3, 12, 0));

        try (StreamClient stream = ready(StreamClient.open(port, clinic.user("PRACTITIONER").token()))) {
            Instant newStart = clinic.at(3, 14, 0);
            assertThat(api.post("/api/v1/appointments/" + moved + "/reschedule", clinic.adminToken, Map.of("start",
                    newStart.toString(), "end", newStart.plus(Duration.ofMinutes(30)).toString())).status())
                    .isEqualTo(200);
            assertThat(api.post("/api/v1/appointments/" + cancelled + "/cancel", clinic.adminToken,
                    Map.of("reason", "patient called")).status()).isEqualTo(200);
            assertThat(action(clinic, seen, "check-in")).isEqualTo(200);
            assertThat(action(clinic, seen, "complete")).isEqualTo(200);
            assertThat(action(clinic, absent, "no-show")).isEqualTo(200);

            StreamClient.Event rescheduled = stream.awaitAppointment("RESCHEDULED", moved, WAIT);
            assertThat(rescheduled).isNotNull();
            assertThat(Instant.parse(rescheduled.text("start"))).isEqualTo(newStart);
            assertThat(Instant.parse(rescheduled.text("previousStart"))).isEqualTo(clinic.at(3, 9, 0));
            assertThat(Instant.parse(rescheduled.text("previousEnd"))).isEqualTo(clinic.at(3, 9, 30));
            StreamClient.Event cancel = stream.awaitAppointment("CANCELLED", cancelled, WAIT);
            assertThat(cancel).isNotNull();
            assertThat(cancel.text("previousStart")).isNull();
            assertThat(stream.awaitAppointment("CHECKED_IN", seen, WAIT)).isNotNull();
            assertThat(stream.awaitAppointment("COMPLETED", seen, WAIT)).isNotNull();
            assertThat(stream.awaitAppointment("NO_SHOW", absent, WAIT)).isNotNull();
            assertThat(stream.appointmentEvents()).allMatch(e -> e.name().equals(e.text("type")));
        }
        // The relay's publications (one per event) complete and are deleted (completion-mode delete):
        // its transaction opened without a clinic and committed.
        List<String> appointments = List.of(moved, cancelled, seen, absent);
        io.healthcarebackend.support.WorkerTest.await("the relay's publications completed", WAIT,
                () -> {
                    try {
                        return relayPublications(appointments, "") == 0;
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @Test
    void resumingWithLastEventIdDeliversExactlyTheMissedEventsInOrder() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String desk = clinic.user("RECEPTIONIST").token();

        try (StreamClient observer = ready(StreamClient.open(port, clinic.adminToken))) {
            String lastSeen;
            try (StreamClient client = ready(StreamClient.open(port, desk))) {
                String first = booked(clinic, clinic.patient(), practitioner, clinic.at(4, 9, 0));
                lastSeen = client.awaitAppointment("BOOKED", first, WAIT).id();
            }
            List<String> missed = new ArrayList<>();
            for (int hour = 10; hour <= 12; hour++) {
                missed.add(booked(clinic, clinic.patient(), practitioner, clinic.at(4, hour, 0)));
            }
            missed.forEach(id -> assertThat(observer.awaitAppointment("BOOKED", id, WAIT)).isNotNull());

            try (StreamClient resumed = ready(StreamClient.resume(port, desk, lastSeen))) {
                String after = booked(clinic, clinic.patient(), practitioner, clinic.at(4, 14, 0));
                assertThat(resumed.awaitAppointment("BOOKED", after, WAIT)).isNotNull();
                assertThat(observer.awaitAppointment("BOOKED", after, WAIT)).isNotNull();

                // Exactly what a client that never disconnected saw after lastSeen: same ids, same order.
                List<String> expected = observer.appointmentEvents().stream().map(StreamClient.Event::id)
                        .filter(id -> EventId.parse(id).orElseThrow().isAfter(EventId.parse(lastSeen).orElseThrow()))
                        .toList();
                assertThat(resumed.appointmentEvents()).extracting(StreamClient.Event::id)
                        .containsExactlyElementsOf(expected);
                assertThat(expected).hasSize(4);
                assertThat(resumed.appointmentEvents()).extracting(e -> e.text("appointmentId"))
                        .containsExactlyInAnyOrder(missed.get(0), missed.get(1), missed.get(2), after);
                assertThat(resumed.names().subList(0, 4)).as("missed events, then ready")
                        .containsExactly("BOOKED", "BOOKED", "BOOKED", "ready");
            }
        }
    }

    @Test
    void anIdNoLongerRetainedOrNotIssuedHereGetsAReset() {
        Clinic clinic = newClinic();
        // Streams of several users: a closed stream keeps its user's place until its next heartbeat.
        String desk = clinic.user("RECEPTIONIST").token();
        String doctor = clinic.user("PRACTITIONER").token();
        String beforeBooking;
        String ofBooking;
        try (StreamClient stream = ready(StreamClient.open(port, clinic.adminToken))) {
            beforeBooking = stream.awaitNamed("ready", WAIT).id();
            String id = booked(clinic, clinic.patient(), clinic.practitioner(), clinic.at(5, 10, 0));
            ofBooking = stream.awaitAppointment("BOOKED", id, WAIT).id();
        }
        // What retention does to a busy clinic's log: its oldest entries are gone (here: all of them).
        redis.opsForStream().trim(TestDatabase.REDIS_PREFIX + "events:clinic:" + clinic.id, 0);

        try (StreamClient tooOld = ready(StreamClient.resume(port, desk, beforeBooking))) {
            assertThat(tooOld.names()).containsExactly("reset", "ready");
            assertThat(tooOld.events.get(0).id()).isEqualTo(ofBooking);
        }
        try (StreamClient upToDate = ready(StreamClient.resume(port, clinic.adminToken, ofBooking))) {
            assertThat(upToDate.names()).as("nothing after the last trimmed entry was lost").containsExactly("ready");
        }
        for (String unknown : List.of("not-an-id", "99999999999999-0")) {
            try (StreamClient stream = ready(StreamClient.resume(port, doctor, unknown))) {
                assertThat(stream.names()).as(unknown).containsExactly("reset", "ready");
            }
        }
    }

    /**
     * Messages published while an instance's subscription connection is down never reach it: once
     * the connection is back, the instance ends its streams and their clients resume from the log.
     */
    @Test
    void afterItsSubscriptionWasCutAnInstanceEndsItsStreamsAndTheirClientsResumeWithoutLoss() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String desk = clinic.user("RECEPTIONIST").token();
        String lastSeen;
        String booked;
        try (StreamClient stream = ready(StreamClient.open(port, desk))) {
            List<RedisClientInfo> subscriptions = subscriptionConnections();
            assertThat(subscriptions).as("one subscription per instance").hasSize(2);
            subscriptions.forEach(c -> redis.execute((RedisCallback<Void>) connection -> {
                String[] address = c.getAddressPort().split(":");
                connection.serverCommands().killClient(address[0], Integer.parseInt(address[1]));
                return null;
            }));
            booked = booked(clinic, clinic.patient(), practitioner, clinic.at(6, 10, 0));

            StreamClient.Event end = stream.awaitNamed("end", Duration.ofSeconds(10));

            assertThat(end).as("the stream ends once the subscription is back").isNotNull();
            assertThat(end.text("reason")).isEqualTo("RESUBSCRIBED");
            lastSeen = stream.events.stream().map(StreamClient.Event::id).filter(java.util.Objects::nonNull)
                    .reduce((a, b) -> b).orElseThrow();
        }
        // Each instance resubscribes on its own schedule: the other one may still be reconnecting.
        io.healthcarebackend.support.WorkerTest.await("both instances resubscribed", Duration.ofSeconds(10),
                () -> subscriptionConnections().size() == 2);
        try (StreamClient resumed = ready(StreamClient.resume(port, desk, lastSeen))) {
            assertThat(resumed.awaitAppointment("BOOKED", booked, WAIT)).as("the booking made meanwhile").isNotNull();
        }
    }

    private List<RedisClientInfo> subscriptionConnections() {
        return redis.execute((RedisCallback<List<RedisClientInfo>>) connection -> connection.serverCommands()
                .getClientList()).stream()
                .filter(c -> c.getName() != null && c.getName().startsWith(TestDatabase.REDIS_PREFIX + "events:"))
                .toList();
    }

    @Test
    void onlyTheClinicsStaffMayOpenAStream() {
        Clinic clinic = newClinic();
        for (String role : List.of("PRACTITIONER", "RECEPTIONIST")) {
            try (StreamClient stream = ready(StreamClient.open(port, clinic.user(role).token()))) {
                assertThat(stream.status).as(role).isEqualTo(200);
            }
        }
        assertProblem(api.get(StreamClient.PATH, platformToken()), 403, "FORBIDDEN");
        assertProblem(api.get(StreamClient.PATH, clinic.user("COMPLIANCE_OFFICER").token()), 403, "FORBIDDEN");
        assertProblem(api.get(StreamClient.PATH, null), 401, "UNAUTHORIZED");
    }

    @Test
    void aUserHoldsAtMostThreeStreamsHereAndGetsThePlaceBackWhenOneGoesAway() {
        Clinic clinic = newClinic();
        String token = clinic.user("PRACTITIONER").token();
        List<StreamClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(ready(StreamClient.open(port, token)));
            }
            Api.Response refused = api.get(StreamClient.PATH, token);
            assertProblem(refused, 429, "EVENT_STREAMS_PER_USER_EXCEEDED");
            assertThat(refused.header("Retry-After")).isNotBlank();

            open.removeFirst().close();
            // The server notices the closed connection at that stream's next heartbeat (1 s here).
            Instant deadline = Instant.now().plus(WAIT);
            StreamClient again = null;
            while (again == null && Instant.now().isBefore(deadline)) {
                StreamClient attempt = StreamClient.open(port, token);
                if (attempt.status == 200) {
                    again = ready(attempt);
                } else {
                    attempt.close();
                    pause();
                }
            }
            assertThat(again).as("a stream once the closed one's place was given back").isNotNull();
            open.add(again);
        } finally {
            open.forEach(StreamClient::close);
        }
    }

    @Test
    void aRevokedSessionsStreamEndsWithinAHeartbeat() {
        Clinic clinic = newClinic();
        String token = clinic.user("RECEPTIONIST").token();
        try (StreamClient stream = ready(StreamClient.open(port, token))) {
            assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(204);

            StreamClient.Event end = stream.awaitNamed("end", WAIT);

            assertThat(end).as("the stream's last event").isNotNull();
            assertThat(end.text("reason")).isEqualTo("SESSION_ENDED");
            assertThat(stream.awaitEnd(WAIT)).as("the response ended").isTrue();
        }
    }

    /**
     * A session can end with no one announcing it: its idle or absolute timeout (in Redis: the
     * session's key expires), or a revocation whose signal was lost while Redis was unreachable.
     * The periodic re-check ends its streams, on every instance.
     */
    @Test
    void aSessionThatEndsUnannouncedEndsItsStreamsAtTheNextRecheckOnEveryInstance() {
        Clinic clinic = newClinic();
        String token = clinic.user("RECEPTIONIST").token();
        int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
        try (StreamClient here = ready(StreamClient.open(port, token));
                StreamClient there = ready(StreamClient.open(secondPort, token))) {
            assertThat(redis.delete(TestDatabase.REDIS_PREFIX + "session:"
                    + io.healthcarebackend.support.AccessChange.sessionIdOf(token))).isTrue();

            for (StreamClient stream : List.of(here, there)) {
                StreamClient.Event end = stream.awaitNamed("end", Duration.ofSeconds(10));
                assertThat(end).as("the stream's last event").isNotNull();
                assertThat(end.text("reason")).isEqualTo("SESSION_ENDED");
                assertThat(stream.awaitEnd(WAIT)).as("the response ended").isTrue();
            }
        }
    }

    @Test
    void theStreamEndsWhenItsAccessTokenExpires() {
        Clinic clinic = newClinic();
        String token = ShortLivedTokens.expiringIn(clinic.user("RECEPTIONIST").token(), Duration.ofSeconds(3));
        try (StreamClient stream = ready(StreamClient.open(port, token))) {
            StreamClient.Event end = stream.awaitNamed("end", Duration.ofSeconds(10));

            assertThat(end).isNotNull();
            assertThat(end.text("reason")).isEqualTo("TOKEN_EXPIRED");
            assertThat(stream.awaitEnd(WAIT)).isTrue();
            assertThat(stream.comments).as("heartbeats while it lasted").contains("heartbeat");
        }
    }

    private static StreamClient ready(StreamClient stream) {
        assertThat(stream.status).as("stream status").isEqualTo(200);
        assertThat(stream.awaitNamed("ready", WAIT)).as("ready event").isNotNull();
        assertThat(stream.awaitNamed("ready", WAIT).text("transport")).isEqualTo("redis");
        return stream;
    }

    private String booked(Clinic clinic, String patient, String practitioner, Instant start) {
        Api.Response booked = clinic.book(clinic.adminToken, patient, practitioner, start);
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        return booked.text("id");
    }

    private int action(Clinic clinic, String appointment, String verb) {
        return api.post("/api/v1/appointments/" + appointment + "/" + verb, clinic.adminToken, null).status();
    }

    /** The relay's publications about the appointments (matching {@code condition}), once they stop changing. */
    private static int relayPublications(List<String> appointments, String condition) throws SQLException {
        Instant deadline = Instant.now().plus(WAIT);
        int previous = -1;
        int count = count(appointments, condition);
        while ((count != previous || (!condition.isEmpty() && count > 0)) && Instant.now().isBefore(deadline)) {
            pause();
            previous = count;
            count = count(appointments, condition);
        }
        return count;
    }

    private static int count(List<String> appointments, String condition) throws SQLException {
        int count = 0;
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("select count(*) from event_publication "
                        + "where listener_id like '%AppointmentEventRelay%' and serialized_event like ? " + condition)) {
            for (String appointment : appointments) {
                s.setString(1, "%" + appointment + "%");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    count += rs.getInt(1);
                }
            }
        }
        return count;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
