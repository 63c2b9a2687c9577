package io.healthcarebackend.audit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Walks one chain's links in sequence order and remembers the first thing wrong: a missing link
 * (a row deleted or reordered), a link that does not follow from its predecessor, an event that
 * is gone or no longer hashes to its link, an event far older than the one before it (a backdated
 * insertion), or a link that contradicts a signed checkpoint.
 */
final class ChainCheck {

    /** Legitimate events reach the chain in commit order; a transaction cannot run this long. */
    static final Duration MAX_BACKDATING = Duration.ofMinutes(5);

    private final Map<Long, byte[]> checkpointHashes;
    private long checked;
    private Long lastSeq;
    private byte[] lastHash;
    private Instant lastAt;
    private UUID firstInvalid;
    private String problem;

    ChainCheck(Map<Long, byte[]> checkpointHashes) {
        this.checkpointHashes = checkpointHashes;
    }

    /**
     * Starts after a link that is no longer in the database but was exported before its month was
     * dropped: the first remaining link must then be the next one and follow from its hash.
     */
    void continueFrom(long seq, byte[] hash) {
        lastSeq = seq;
        lastHash = hash;
    }

    /** One link and its event (null when the event row is missing). */
    void accept(long seq, UUID eventId, byte[] prevHash, byte[] hash, StoredEvent event) {
        if (problem != null) {
            return;
        }
        checked++;
        if (lastSeq != null && seq != lastSeq + 1) {
            fail(eventId, "link " + (lastSeq + 1) + " is missing");
        } else if (lastHash != null && !AuditCanonical.same(prevHash, lastHash)) {
            fail(eventId, "link " + seq + " does not follow from link " + lastSeq);
        } else if (event == null) {
            fail(eventId, "the event of link " + seq + " is missing");
        } else if (!AuditCanonical.same(hash, AuditCanonical.link(prevHash, event))) {
            fail(eventId, "the event of link " + seq + " was altered");
        } else if (lastAt != null && event.at().isBefore(lastAt.minus(MAX_BACKDATING))) {
            fail(eventId, "the event of link " + seq + " is backdated");
        } else if (checkpointHashes.containsKey(seq) && !AuditCanonical.same(hash, checkpointHashes.get(seq))) {
            fail(eventId, "link " + seq + " differs from the signed checkpoint");
        }
        lastSeq = seq;
        lastHash = hash;
        lastAt = event == null ? lastAt : event.at();
    }

    void fail(UUID eventId, String why) {
        if (problem == null) {
            firstInvalid = eventId;
            problem = why;
        }
    }

    Long lastSeq() {
        return lastSeq;
    }

    AuditVerifier.Result result() {
        return new AuditVerifier.Result(problem == null, checked, firstInvalid, problem);
    }
}
