package io.healthcarebackend.notification.stream;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of an event in a clinic's log, sent as the SSE {@code id:} and read back from
 * {@code Last-Event-ID}: {@code <milliseconds>-<sequence>}, the form of a Redis stream entry id
 * (which it is, with Redis). Ids of one clinic only grow, so a stream skips any id not above the
 * last one it sent: that is how replay and live delivery meet without duplicates.
 */
record EventId(long millis, long sequence) implements Comparable<EventId> {

    static final EventId ZERO = new EventId(0, 0);
    private static final Pattern FORM = Pattern.compile("\\d{1,18}-\\d{1,18}");

    EventId {
        if (millis < 0 || sequence < 0) {
            throw new IllegalArgumentException("negative event id");
        }
    }

    /** Empty for anything that is not an id this service hands out (the client then gets a reset). */
    static Optional<EventId> parse(String text) {
        if (text == null || !FORM.matcher(text).matches()) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        return Optional.of(new EventId(Long.parseLong(text.substring(0, dash)),
                Long.parseLong(text.substring(dash + 1))));
    }

    boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(EventId other) {
        int byMillis = Long.compare(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
