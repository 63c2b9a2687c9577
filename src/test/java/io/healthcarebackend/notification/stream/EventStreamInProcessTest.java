package io.healthcarebackend.notification.stream;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Single-node mode (no Redis): the same stream from a per-clinic ring buffer in process memory,
 * here of 3 events, at most 5 streams on the instance, heartbeats every second and a request budget
 * (HTTP_REQUEST_TIMEOUT) of 4 s that a stream outlives.
 */
@TestPropertySource(properties = {
        "app.redis.url=",
        "app.events-stream.retention=3",
        "app.events-stream.max-connections=5",
        "app.events-stream.heartbeat=1s",
        "app.http.request-timeout=4s"})
class EventStreamInProcessTest extends ApiTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void withoutRedisABookingReachesTheStreamEvenAfterTheRequestBudgetIsSpent() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        try (StreamClient stream = ready(StreamClient.open(port, clinic.user("RECEPTIONIST").token()))) {
            // Five heartbeats, each with a session check in its own PostgreSQL transaction (sessions
            // live in PostgreSQL without Redis): the stream is past the 4 s budget of its request.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            while (stream.comments.size() < 5 && Instant.now().isBefore(deadline)) {
                pause();
            }
            assertThat(stream.comments).hasSizeGreaterThanOrEqualTo(5);
            double published = metric("healthcare_event_stream_events_total", "type=\"BOOKED\"");

            String id = booked(clinic, clinic.patient(), practitioner, clinic.at(2, 10, 0));

            StreamClient.Event booked = stream.awaitAppointment("BOOKED", id, WAIT);
            assertThat(booked).isNotNull();
            assertThat(metric("healthcare_event_stream_events_total", "type=\"BOOKED\"")).isGreaterThan(published);
            assertThat(booked.text("practitionerId")).isEqualTo(practitioner);
            assertThat(stream.names()).doesNotContain("end");
        }
    }

    @Test
    void resumingReplaysFromTheRingAndResetsOnceTheRingHasMovedOn() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String desk = clinic.user("RECEPTIONIST").token();
        try (StreamClient observer = ready(StreamClient.open(port, clinic.adminToken))) {
            String first = booked(clinic, clinic.patient(), practitioner, clinic.at(3, 9, 0));
            String firstId = observer.awaitAppointment("BOOKED", first, WAIT).id();
            List<String> next = bookAt(clinic, practitioner, 10, 11);
            List<String> nextIds = idsSeen(observer, next);

            try (StreamClient resumed = ready(StreamClient.resume(port, desk, firstId))) {
                assertThat(resumed.names()).containsExactly("BOOKED", "BOOKED", "ready");
                assertThat(resumed.appointmentEvents()).extracting(StreamClient.Event::id)
                        .containsExactlyElementsOf(nextIds);
            }

            // Three more: the ring (3 events) now holds only those.
            List<String> later = bookAt(clinic, practitioner, 12, 13, 14);
            List<String> laterIds = idsSeen(observer, later);
            try (StreamClient fromEdge = ready(StreamClient.resume(port, desk, nextIds.getLast()))) {
                assertThat(fromEdge.appointmentEvents()).extracting(StreamClient.Event::id)
                        .containsExactlyElementsOf(laterIds);
            }
            try (StreamClient tooOld = ready(StreamClient.resume(port, clinic.user("PRACTITIONER").token(), firstId))) {
                assertThat(tooOld.names()).containsExactly("reset", "ready");
            }
        }
    }

    @Test
    void anInstanceHoldingItsMaximumOfStreamsAnswers503AndCountsItsStreams() {
        Clinic clinic = newClinic();
        // Streams of earlier tests are noticed as closed at their next heartbeat.
        assertThat(awaitGauge(0)).as("open streams before").isZero();
        List<StreamClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(ready(StreamClient.open(port, clinic.adminToken)));
            }
            assertThat(awaitGauge(5)).isEqualTo(5);

            Api.Response refused = api.get(StreamClient.PATH, clinic.adminToken);

            assertProblem(refused, 503, "EVENT_STREAMS_AT_CAPACITY");
            assertThat(refused.header("Retry-After")).isNotBlank();
        } finally {
            open.forEach(StreamClient::close);
        }
        assertThat(awaitGauge(0)).as("places given back").isZero();
    }

    /** The {@code healthcare_event_stream_connections} gauge once it shows {@code expected}, or after 5 s. */
    private double awaitGauge(double expected) {
        Instant deadline = Instant.now().plus(WAIT);
        double value = metric("healthcare_event_stream_connections", "");
        while (value != expected && Instant.now().isBefore(deadline)) {
            pause();
            value = metric("healthcare_event_stream_connections", "");
        }
        return value;
    }

    /** The value of the first series of the metric whose labels contain {@code label}. */
    private double metric(String name, String label) {
        String text = api.get("/metrics", null, java.util.Map.of("Accept", "text/plain")).raw().body();
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(Double.NaN);
    }

    private List<String> bookAt(Clinic clinic, String practitioner, int... hours) {
        List<String> ids = new ArrayList<>();
        for (int hour : hours) {
            ids.add(booked(clinic, clinic.patient(), practitioner, clinic.at(3, hour, 0)));
        }
        return ids;
    }

    /** The event ids the observer got for the appointments, in the order it got them. */
    private static List<String> idsSeen(StreamClient observer, List<String> appointments) {
        appointments.forEach(a -> assertThat(observer.awaitAppointment("BOOKED", a, WAIT)).isNotNull());
        return observer.appointmentEvents().stream().filter(e -> appointments.contains(e.text("appointmentId")))
                .map(StreamClient.Event::id).toList();
    }

    private static StreamClient ready(StreamClient stream) {
        assertThat(stream.status).as("stream status").isEqualTo(200);
        StreamClient.Event ready = stream.awaitNamed("ready", WAIT);
        assertThat(ready).as("ready event").isNotNull();
        assertThat(ready.text("transport")).isEqualTo("in-process");
        return stream;
    }

    private String booked(Clinic clinic, String patient, String practitioner, Instant start) {
        Api.Response booked = clinic.book(clinic.adminToken, patient, practitioner, start);
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        return booked.text("id");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
