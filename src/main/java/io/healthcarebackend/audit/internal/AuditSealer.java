package io.healthcarebackend.audit.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains committed audit events per clinic, off the request path. Each pass takes the events of
 * transactions that have all ended (tx below the oldest running transaction id), so a late commit
 * can never slot in before an event already chained; orders them by (tx, id); and appends one
 * link per event. One instance seals at a time (advisory lock); writers never wait for it.
 * Periodically the chain heads are signed and written to the checkpoint store.
 */
@Component
class AuditSealer {

    static final UUID PLATFORM_CHAIN = new UUID(0, 0);
    private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);
    private static final long LOCK_KEY = 0x6175646974L; // "audit"

    record Head(long seq, byte[] hash) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CheckpointSigner signer;
    private final CheckpointStore checkpoints;
    private final AuditRows rows;
    private final Clock clock;
    private final Duration checkpointInterval;

    AuditSealer(JdbcTemplate jdbc, PlatformTransactionManager transactions, CheckpointSigner signer,
            CheckpointStore checkpoints, AuditRows rows, Clock clock,
            @Value("${app.audit.checkpoint-interval:PT1M}") Duration checkpointInterval) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.signer = signer;
        this.checkpoints = checkpoints;
        this.rows = rows;
        this.clock = clock;
        this.checkpointInterval = checkpointInterval;
    }

    static UUID chainOf(UUID clinicId) {
        return clinicId == null ? PLATFORM_CHAIN : clinicId;
    }

    /** How a pass treats another instance's pass in progress: skip it, or wait for it and go on. */
    enum Wait {
        SKIP_IF_BUSY, WAIT
    }

    @Scheduled(fixedDelayString = "${app.audit.seal-interval:PT1S}", initialDelayString = "PT2S")
    void scheduledPass() {
        try {
            seal(Wait.SKIP_IF_BUSY, false);
        } catch (RuntimeException e) {
            log.error("audit sealing pass failed; it is retried on the next pass", e);
        }
    }

    /** Seals what can be sealed now; with {@code checkpointNow} also signs every chain head. Returns events sealed. */
    int seal(Wait wait, boolean checkpointNow) {
        Integer sealed = transactions.execute(status -> {
            if (!lock(wait)) {
                return 0;
            }
            String horizon = jdbc.queryForObject("select pg_snapshot_xmin(pg_current_snapshot())::text", String.class);
            String from = jdbc.queryForObject("select horizon::text from audit_seal_state where id = 1 for update",
                    String.class);
            List<StoredEvent> events = jdbc.query("select * from audit_unsealed(?::xid8, ?::xid8)",
                    AuditRows::map, from, horizon);
            if (!events.isEmpty()) {
                append(events);
            }
            jdbc.update("update audit_seal_state set horizon = ?::xid8 where id = 1", horizon);
            return events.size();
        });
        // Only links that committed are signed: the checkpoint runs in a transaction of its own.
        transactions.executeWithoutResult(status -> {
            if (lock(wait)) {
                checkpointIfDue(checkpointNow);
            }
        });
        return sealed == null ? 0 : sealed;
    }

    /**
     * Seals until every transaction that had started by now has been sealed, or the time is up
     * (a long transaction elsewhere holds the horizon back). Returns whether it got there.
     */
    boolean sealEverythingCommittedBefore(Duration patience) {
        String target = jdbc.queryForObject("select pg_snapshot_xmax(pg_current_snapshot())::text", String.class);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            seal(Wait.WAIT, false);
            Boolean reached = jdbc.queryForObject("select horizon >= ?::xid8 from audit_seal_state where id = 1",
                    Boolean.class, target);
            if (Boolean.TRUE.equals(reached)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean lock(Wait wait) {
        if (wait == Wait.WAIT) {
            jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, LOCK_KEY);
            return true;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY));
    }

    private void append(List<StoredEvent> events) {
        Map<UUID, List<StoredEvent>> byChain = new LinkedHashMap<>();
        events.forEach(e -> byChain.computeIfAbsent(chainOf(e.clinicId()), k -> new ArrayList<>()).add(e));
        Timestamp now = Timestamp.from(clock.instant());
        byChain.forEach((chain, chainEvents) -> {
            rows.actAsClinic(chainEvents.getFirst().clinicId());
            Head head = head(chain);
            List<Object[]> links = new ArrayList<>(chainEvents.size());
            long seq = head.seq();
            byte[] hash = head.hash();
            for (StoredEvent e : chainEvents) {
                byte[] previous = hash;
                hash = AuditCanonical.link(previous, e);
                seq++;
                links.add(new Object[] {chain, seq, e.id(), Timestamp.from(e.at()), previous, hash, now});
            }
            jdbc.batchUpdate("insert into audit_chain (chain_id, seq, event_id, event_at, prev_hash, hash, sealed_at) "
                    + "values (?, ?, ?, ?, ?, ?, ?)", links);
            jdbc.update("insert into audit_chain_heads (chain_id, seq, hash, event_at) values (?, ?, ?, ?) "
                    + "on conflict (chain_id) do update set seq = excluded.seq, hash = excluded.hash, "
                    + "event_at = excluded.event_at", chain, seq, hash, Timestamp.from(chainEvents.getLast().at()));
        });
    }

    private Head head(UUID chain) {
        List<Head> heads = jdbc.query("select seq, hash from audit_chain_heads where chain_id = ?",
                (rs, n) -> new Head(rs.getLong(1), rs.getBytes(2)), chain);
        return heads.isEmpty() ? new Head(0, AuditCanonical.GENESIS) : heads.getFirst();
    }

    private void checkpointIfDue(boolean now) {
        Timestamp lastAt = jdbc.queryForObject("select case when last_checkpoint_at = '-infinity' then null "
                + "else last_checkpoint_at end from audit_seal_state where id = 1", Timestamp.class);
        Instant last = lastAt == null ? null : lastAt.toInstant();
        Instant at = clock.instant();
        if (!now && last != null && last.plus(checkpointInterval).isAfter(at)) {
            return;
        }
        List<Checkpoint> due = jdbc.query("select chain_id, seq, hash from audit_chain_heads where seq > checkpointed_seq",
                (rs, n) -> Checkpoint.sign(signer, rs.getObject(1, UUID.class), rs.getLong(2), rs.getBytes(3), at));
        checkpoints.append(due);
        for (Checkpoint c : due) {
            jdbc.update("update audit_chain_heads set checkpointed_seq = ? where chain_id = ?", c.seq(), c.chainId());
        }
        jdbc.update("update audit_seal_state set last_checkpoint_at = ? where id = 1", Timestamp.from(at));
    }
}
