package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.db.TenantTx;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;

/**
 * Recomputes a clinic's chain from the stored events and compares it with the stored links and
 * the signed checkpoints. Trusts nothing in the database but the events' own content.
 */
@Service
class AuditVerifier {

    record Result(boolean valid, long checked, UUID firstInvalidId, String problem) {
    }

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TenantTx tx;
    private final AuditSealer sealer;
    private final CheckpointStore checkpoints;
    private final CheckpointSigner signer;
    private final Clock clock;

    AuditVerifier(JdbcTemplate jdbc, javax.sql.DataSource dataSource, TenantTx tx, AuditSealer sealer, CheckpointStore checkpoints,
            CheckpointSigner signer, Clock clock) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(1_000);
        this.tx = tx;
        this.sealer = sealer;
        this.checkpoints = checkpoints;
        this.signer = signer;
        this.clock = clock;
    }

    /** Verifies the clinic's chain (null: the platform chain), optionally only the links of events in [from, to). */
    Result verify(ClinicId clinic, Instant from, Instant to) {
        sealer.sealEverythingCommittedBefore(java.time.Duration.ofSeconds(3));
        UUID chain = AuditSealer.chainOf(clinic == null ? null : clinic.value());
        List<Checkpoint> signed;
        try {
            signed = checkpoints.of(chain);
        } catch (UncheckedIOException | JacksonException e) {
            return new Result(false, 0, null, "the checkpoint store cannot be read");
        }
        Map<Long, byte[]> pinned = new HashMap<>();
        long lastPinned = 0;
        for (Checkpoint c : signed) {
            if (!signer.verify(c.keyId(), c.message(), c.signature())) {
                return new Result(false, 0, null, "checkpoint " + c.seq() + " has no valid signature");
            }
            pinned.put(c.seq(), c.hashBytes());
            lastPinned = Math.max(lastPinned, c.seq());
        }
        long pinnedUpTo = lastPinned;
        return tx.readInClinic(clinic, () -> check(chain, clinic, from, to, pinned, pinnedUpTo));
    }

    private Result check(UUID chain, ClinicId clinic, Instant from, Instant to, Map<Long, byte[]> pinned,
            long lastPinned) {
        long[] window = window(chain, from, to);
        ChainCheck check = new ChainCheck(pinned);
        if (from == null) {
            continueAfterExport(chain, window, check);
        }
        streaming.query("select c.seq, c.event_id, c.prev_hash, c.hash, e.* from audit_chain c "
                + "left join audit_events e on e.id = c.event_id and e.at = c.event_at "
                + "where c.chain_id = ? and c.seq between ? and ? order by c.seq",
                rs -> {
                    StoredEvent event = rs.getObject("id") == null ? null : AuditRows.map(rs, 0);
                    check.accept(rs.getLong("seq"), rs.getObject("event_id", UUID.class), rs.getBytes("prev_hash"),
                            rs.getBytes("hash"), event);
                }, chain, window[0], window[1]);
        if (to == null && lastPinned > 0 && (check.lastSeq() == null || check.lastSeq() < lastPinned)) {
            check.fail(null, "the chain ends before its last signed checkpoint (link " + lastPinned + ")");
        }
        unchained(clinic, from, to).ifPresent(id -> check.fail(id, "an event is not in the chain"));
        return check.result();
    }

    /**
     * Retention drops a chain's oldest links after exporting them. Then the chain continues from
     * the last exported link (so a gap or a rewritten first link still shows), and a chain whose
     * links are all gone still reaches its last checkpoint. Checkpoints below the first remaining
     * link are simply never compared.
     */
    private void continueAfterExport(UUID chain, long[] window, ChainCheck check) {
        jdbc.query("select last_seq, last_hash from audit_export_chains where chain_id = ? "
                + "order by last_seq desc limit 1", rs -> {
                    long seq = rs.getLong(1);
                    boolean noLinksLeft = window[1] < window[0];
                    if (noLinksLeft || window[0] > seq) {
                        check.continueFrom(seq, rs.getBytes(2));
                    }
                }, chain);
    }

    /** The sequence numbers to walk: all links between the first and last event in the range. */
    private long[] window(UUID chain, Instant from, Instant to) {
        Map<String, Object> bounds = jdbc.queryForMap("select coalesce(min(seq), 1) as lo, coalesce(max(seq), 0) as hi "
                + "from audit_chain where chain_id = ? and event_at >= ? and event_at < ?", chain,
                lower(from),
                upper(to));
        return new long[] {((Number) bounds.get("lo")).longValue(), ((Number) bounds.get("hi")).longValue()};
    }

    /**
     * An event the sealer has passed over but that has no link was inserted behind the chain's
     * back. Events older than the backdating bound count too, whatever transaction id they claim.
     */
    private java.util.Optional<UUID> unchained(ClinicId clinic, Instant from, Instant to) {
        Instant stale = clock.instant().minus(ChainCheck.MAX_BACKDATING);
        List<UUID> ids = jdbc.query("select e.id from audit_events e where e.clinic_id is not distinct from ?::uuid "
                + "and e.at >= ? and e.at < ? "
                + "and (e.tx < (select horizon from audit_seal_state where id = 1) or e.at < ?) "
                + "and not exists (select 1 from audit_chain c where c.event_id = e.id and c.event_at = e.at) "
                + "order by e.at limit 1",
                (rs, n) -> rs.getObject(1, UUID.class),
                clinic == null ? null : clinic.value().toString(),
                lower(from),
                upper(to), Timestamp.from(stale));
        return ids.stream().findFirst();
    }

    /** Bounds of an optional [from, to) range of event times: open ends reach the whole trail. */
    private static Timestamp lower(Instant from) {
        return Timestamp.from(from == null ? Instant.EPOCH : from);
    }

    private static Timestamp upper(Instant to) {
        return Timestamp.from(to == null ? Instant.parse("9999-01-01T00:00:00Z") : to);
    }
}
