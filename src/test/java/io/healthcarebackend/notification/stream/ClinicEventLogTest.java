package io.healthcarebackend.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.support.MutableClock;
import io.healthcarebackend.support.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The clinic event logs on their own: what is retained, and when a client resuming from an id
 * must be told to reset. The in-process ring on a clock moved by hand; the Redis log against the
 * real Redis (under this run's key prefix).
 */
class ClinicEventLogTest {

    private static final StreamSettings SETTINGS = new StreamSettings(Duration.ofSeconds(20), 100, 10, 3,
            Duration.ofHours(1));
    private static final String JSON = "{\"type\":\"BOOKED\"}";

    private static StreamHub hub() {
        StreamHub hub = new StreamHub(SETTINGS, null, new SimpleMeterRegistry()); // opens no stream
        hub.start();
        return hub;
    }

    @Nested
    class InProcess {

        private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));
        private final InProcessClinicEvents log = new InProcessClinicEvents(hub(), SETTINGS, clock);
        private final ClinicId clinic = new ClinicId(UUID.randomUUID());

        @Test
        void eventsOlderThanTheRetentionTimeGoWhenTheNextArrivesAndAClientBehindThemGetsAReset() {
            EventId first = append();
            EventId second = append();
            clock.advance(Duration.ofMinutes(61));
            EventId third = append();

            assertThat(log.resume(clinic, first).reset()).isTrue();
            ClinicEvents.Resume fromSecond = log.resume(clinic, second);
            assertThat(fromSecond.reset()).as("the last dropped event: nothing after it is lost").isFalse();
            assertThat(fromSecond.missed()).extracting(ClinicEvents.Entry::id).containsExactly(third);
        }

        @Test
        void atMostRetentionEventsAreKept() {
            EventId first = append();
            EventId second = append();
            EventId third = append();
            EventId fourth = append();
            EventId fifth = append();

            assertThat(log.resume(clinic, first).reset()).as("the second is gone").isTrue();
            assertThat(log.resume(clinic, second).missed()).extracting(ClinicEvents.Entry::id)
                    .containsExactly(third, fourth, fifth);
            assertThat(log.resume(clinic, fifth).missed()).isEmpty();
            assertThat(log.resume(clinic, null).head()).isEqualTo(fifth);
        }

        @Test
        void anIdOfAnEarlierProcessOrOfTheFutureGetsAReset() {
            EventId before = append();
            clock.advance(Duration.ofSeconds(5));
            InProcessClinicEvents restarted = new InProcessClinicEvents(hub(), SETTINGS, clock);

            assertThat(restarted.resume(clinic, before).reset()).isTrue();
            assertThat(log.resume(clinic, new EventId(before.millis(), before.sequence() + 100)).reset()).isTrue();
        }

        @Test
        void aQuietClinicsRingIsDroppedAndOnlyAClientThatMissedSomethingGetsAReset() {
            EventId first = append();
            EventId last = append();
            clock.advance(StreamSettings.QUIET_CLINIC_EXPIRY.plusMinutes(1));
            log.append(new ClinicId(UUID.randomUUID()), StaffEvent.Type.BOOKED, JSON);

            assertThat(log.resume(clinic, first).reset()).isTrue();
            assertThat(log.resume(clinic, last).reset()).isFalse();
            EventId afterwards = append();
            assertThat(log.resume(clinic, first).reset()).as("after the clinic's ring is back").isTrue();
            assertThat(log.resume(clinic, last).missed()).extracting(ClinicEvents.Entry::id).containsExactly(afterwards);
        }

        private EventId append() {
            return log.append(clinic, StaffEvent.Type.BOOKED, JSON);
        }
    }

    @Nested
    class InRedis {

        @Test
        void entriesOlderThanTheRetentionTimeAreTrimmedByTheNextAppendAndAClientBehindThemGetsAReset() {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(
                    RedisURI.create(TestDatabase.REDIS_URL).getHost(), RedisURI.create(TestDatabase.REDIS_URL).getPort()));
            factory.afterPropertiesSet();
            RedisClient client = RedisClient.create(TestDatabase.REDIS_URL);
            String prefix = TestDatabase.REDIS_PREFIX + "unit-" + UUID.randomUUID() + ":";
            RedisClinicEvents log = new RedisClinicEvents(new StringRedisTemplate(factory), client,
                    RedisURI.create(TestDatabase.REDIS_URL), "hb-test-events", hub(), prefix, SETTINGS);
            try {
                ClinicId clinic = new ClinicId(UUID.randomUUID());
                // An entry from two hours ago, as if the clinic's last event had been then.
                String key = prefix + "events:clinic:" + clinic;
                long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
                RecordId old = new StringRedisTemplate(factory).opsForStream().add(StreamRecords
                        .string(Map.of("t", "BOOKED", "e", JSON)).withStreamKey(key).withId(RecordId.of(twoHoursAgo + "-0")));
                EventId oldId = EventId.parse(old.getValue()).orElseThrow();

                EventId fresh = log.append(clinic, StaffEvent.Type.CANCELLED, JSON);

                assertThat(new StringRedisTemplate(factory).opsForStream().size(key)).isEqualTo(1);
                assertThat(log.resume(clinic, EventId.ZERO).reset()).as("from before anything").isTrue();
                ClinicEvents.Resume fromOld = log.resume(clinic, oldId);
                assertThat(fromOld.reset()).as("from the trimmed entry (a log cannot tell what went with it)").isTrue();
                assertThat(fromOld.head()).isEqualTo(fresh);
                assertThat(log.resume(clinic, fresh).missed()).isEmpty();
                assertThat(log.resume(clinic, fresh).reset()).isFalse();
            } finally {
                log.close();
                client.shutdown();
                factory.destroy();
            }
        }
    }
}
