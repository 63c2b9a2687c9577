package io.healthcarebackend.audit.internal;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the audit partitions of this month and the next two in place, at start-up and daily, so
 * an insert never meets a month without a partition. Idempotent; an advisory lock only spares
 * other instances the same work.
 */
@Component
class AuditPartitions {

    static final int MONTHS_AHEAD = 3;
    private static final Logger log = LoggerFactory.getLogger(AuditPartitions.class);
    private static final long LOCK_KEY = 0x6175646974_70L; // "audit" "p"

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AuditPartitions(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(cron = "${app.audit.partition-cron:0 0 3 * * *}", zone = "UTC")
    void ensure() {
        try {
            Integer created = transactions.execute(status -> {
                if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class,
                        LOCK_KEY))) {
                    return 0;
                }
                LocalDate month = LocalDate.now(clock.withZone(ZoneOffset.UTC)).withDayOfMonth(1);
                return jdbc.queryForObject("select audit_ensure_partitions(?, ?)", Integer.class,
                        Date.valueOf(month), MONTHS_AHEAD);
            });
            if (created != null && created > 0) {
                log.info("audit partitions: created {} month(s)", created);
            }
        } catch (RuntimeException e) {
            log.error("audit partitions could not be ensured; retried at the next run", e);
        }
    }
}
