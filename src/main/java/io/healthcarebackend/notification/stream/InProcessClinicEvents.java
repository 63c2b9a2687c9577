package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-node mode (no {@code REDIS_URL}): each clinic's events of the last {@code retentionTime},
 * at most {@code retention} of them, in a ring in memory, handed straight to this instance's hub.
 * Ids are {@code <start-up millis>-<sequence>}: monotonic within the process, and an id of an
 * earlier process (the client outlived a restart) never passes for one of this process, so such a
 * client gets a reset. A clinic's ring is dropped after {@link StreamSettings#QUIET_CLINIC_EXPIRY}
 * without events; a client resuming from before a dropped ring's last event gets a reset too
 * (conservatively: from before any dropped ring's last event).
 */
final class InProcessClinicEvents implements ClinicEvents {

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final StreamHub hub;
    private final int retention;
    private final long retentionMillis;
    private final long quietExpiryMillis;
    private final Clock clock;
    private final long epoch;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<ClinicId, Ring> rings = new ConcurrentHashMap<>();
    private final AtomicLong evictedUpTo = new AtomicLong();
    private volatile long nextSweep;

    private record Stored(Entry entry, long atMillis) {
    }

    private static final class Ring {
        final ArrayDeque<Stored> entries = new ArrayDeque<>();
        /** The highest sequence no longer kept: a client that saw less has missed something. */
        long droppedUpTo;
        long lastAppendMillis;
        boolean evicted;

        Ring(long droppedUpTo) {
            this.droppedUpTo = droppedUpTo;
        }

        void dropOldest() {
            droppedUpTo = entries.removeFirst().entry().id().sequence();
        }
    }

    InProcessClinicEvents(StreamHub hub, StreamSettings settings, Clock clock) {
        this.hub = hub;
        this.retention = settings.retention();
        this.retentionMillis = settings.retentionTime().toMillis();
        this.quietExpiryMillis = StreamSettings.QUIET_CLINIC_EXPIRY.toMillis();
        this.clock = clock;
        this.epoch = clock.millis();
        this.nextSweep = epoch + SWEEP_EVERY_MILLIS;
    }

    @Override
    public EventId append(ClinicId clinic, StaffEvent.Type type, String json) {
        long now = clock.millis();
        sweepIfDue(now);
        while (true) {
            Ring ring = rings.computeIfAbsent(clinic, c -> new Ring(evictedUpTo.get()));
            synchronized (ring) {
                if (ring.evicted) {
                    continue;
                }
                EventId id = new EventId(epoch, sequence.incrementAndGet());
                Entry entry = new Entry(id, type.name(), json);
                while (!ring.entries.isEmpty() && (ring.entries.size() >= retention
                        || now - ring.entries.getFirst().atMillis() > retentionMillis)) {
                    ring.dropOldest();
                }
                ring.entries.addLast(new Stored(entry, now));
                ring.lastAppendMillis = now;
                // Under the ring's lock, so the clinic's streams receive its events in id order.
                hub.dispatch(clinic, entry);
                return id;
            }
        }
    }

    @Override
    public Resume resume(ClinicId clinic, EventId after) {
        while (true) {
            Ring ring = rings.get(clinic);
            if (ring == null) {
                EventId head = new EventId(epoch, sequence.get());
                if (after == null) {
                    return new Resume(head, false, List.of());
                }
                boolean lost = !fromThisProcess(after, head) || after.sequence() < evictedUpTo.get();
                return lost ? Resume.reset(head) : new Resume(head, false, List.of());
            }
            synchronized (ring) {
                if (ring.evicted) {
                    continue;
                }
                EventId head = new EventId(epoch, sequence.get());
                if (after == null) {
                    return new Resume(head, false, List.of());
                }
                if (!fromThisProcess(after, head) || after.sequence() < ring.droppedUpTo) {
                    return Resume.reset(head);
                }
                List<Entry> missed = ring.entries.stream().map(Stored::entry)
                        .filter(e -> e.id().sequence() > after.sequence()).toList();
                return new Resume(head, false, missed);
            }
        }
    }

    @Override
    public String transport() {
        return "in-process";
    }

    private boolean fromThisProcess(EventId id, EventId head) {
        return id.millis() == epoch && id.sequence() <= head.sequence();
    }

    private void sweepIfDue(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_EVERY_MILLIS;
        rings.forEach((clinic, ring) -> {
            synchronized (ring) {
                if (now - ring.lastAppendMillis > quietExpiryMillis) {
                    ring.evicted = true;
                    long last = ring.entries.isEmpty() ? ring.droppedUpTo
                            : ring.entries.getLast().entry().id().sequence();
                    evictedUpTo.accumulateAndGet(last, Math::max);
                    rings.remove(clinic, ring);
                }
            }
        });
    }
}
