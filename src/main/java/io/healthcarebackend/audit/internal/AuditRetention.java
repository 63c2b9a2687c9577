package io.healthcarebackend.audit.internal;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes audit months past retention: exports the month's partitions ({@link AuditExporter}),
 * records the export, then drops them ({@code audit_drop_partition}, which refuses a month without
 * a recorded export that still covers every event). A month's partition holds every clinic's
 * events, so it goes only once the longest retention of any clinic (and the platform's default)
 * has passed since the month's end. Daily; one instance at a time (a session advisory lock).
 */
@Component
class AuditRetention {

    record Report(List<YearMonth> dropped, long events, boolean ran) {
    }

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);
    private static final long LOCK_KEY = 0x6175646974_72L; // "audit" "r"
    private static final Pattern PARTITION = Pattern.compile("audit_events_y(\\d{4})m(\\d{2})");

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditExporter exporter;
    private final AuditTrail audit;
    private final Clock clock;

    AuditRetention(DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactions,
            AuditExporter exporter, AuditTrail audit, Clock clock) {
        this.audit = audit;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.exporter = exporter;
        this.clock = clock;
    }

    @Scheduled(cron = "${app.audit.retention-cron:0 30 3 * * *}", zone = "UTC")
    void scheduledRun() {
        try {
            run(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        } catch (RuntimeException e) {
            log.error("audit retention run failed; it is retried tomorrow", e);
        }
    }

    /** Exports and drops every month past retention as of {@code today}; skips if another instance is at it. */
    Report run(LocalDate today) {
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                log.info("audit retention: another instance is running it");
                return new Report(List.of(), 0, false);
            }
            try {
                return runLocked(today);
            } finally {
                unlock(lock);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit retention cannot take its lock", e);
        }
    }

    private Report runLocked(LocalDate today) {
        int keepMonths = jdbc.queryForObject("select audit_retention_longest_months()", Integer.class);
        List<YearMonth> dropped = new ArrayList<>();
        long events = 0;
        for (YearMonth month : partitions()) {
            // Kept for keepMonths after the month's end: its last event then has reached the age.
            if (month.plusMonths(1 + keepMonths).atDay(1).isAfter(today)) {
                break;
            }
            try {
                events += removeMonth(month);
                dropped.add(month);
            } catch (AuditExporter.RefusedException | org.springframework.dao.DataAccessException e) {
                // The messages name months, chains and event ids only, never an event's content.
                log.error("audit retention: {} is not removed: {}", month, e.getMessage());
            }
        }
        log.info("audit retention: keep {} months, dropped {} month(s) with {} events", keepMonths,
                dropped.size(), events);
        return new Report(List.copyOf(dropped), events, true);
    }

    private long removeMonth(YearMonth month) {
        Date first = Date.valueOf(month.atDay(1));
        Long recorded = jdbc.query("select events from audit_exports where month = ?",
                rs -> rs.next() ? rs.getLong(1) : null, first);
        long events;
        if (recorded == null) {
            AuditExporter.Export export = exporter.export(month);
            transactions.executeWithoutResult(status -> record(export));
            events = export.events();
            log.info("audit retention: exported {} ({} events, {} chains, sha256 {})", month, events,
                    export.chains().size(), export.sha256());
        } else {
            events = recorded; // exported earlier; the drop then failed (e.g. lock timeout)
        }
        // Dropping a partition locks the parent table: wait briefly rather than stall the writers.
        transactions.executeWithoutResult(status -> {
            jdbc.execute("set local lock_timeout = '5s'");
            jdbc.queryForObject("select audit_drop_partition(?)", Boolean.class, first);
        });
        return events;
    }

    private void record(AuditExporter.Export export) {
        Date month = Date.valueOf(export.month().atDay(1));
        jdbc.update("insert into audit_exports (month, file, sha256, events, exported_at) values (?, ?, ?, ?, ?)",
                month, export.file().toString(), export.sha256(), export.events(), Timestamp.from(clock.instant()));
        for (AuditExportFormat.ChainRange c : export.chains()) {
            jdbc.update("insert into audit_export_chains (month, chain_id, first_seq, last_seq, last_hash) "
                    + "values (?, ?, ?, ?, decode(?, 'hex'))", month, c.chainId(), c.firstSeq(), c.lastSeq(),
                    c.lastHash());
        }
        // A data export, itself on the (platform) trail, in the transaction that records it.
        audit.recordWithChange(AuditEvent.anonymous(null, AuditAction.EXPORT, AuditOutcome.SUCCESS)
                .reason("audit month " + export.month() + " exported before removal: " + export.events()
                        + " events, sha256 " + export.sha256()));
    }

    /** The months that have an events partition, oldest first. */
    private List<YearMonth> partitions() {
        List<YearMonth> months = new ArrayList<>();
        jdbc.query("select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
                + "where i.inhparent = 'audit_events'::regclass", rs -> {
                    Matcher m = PARTITION.matcher(rs.getString(1));
                    if (m.matches()) {
                        months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                    }
                });
        months.sort(null);
        return months;
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select pg_advisory_unlock(?)")) {
            s.setLong(1, LOCK_KEY);
            s.execute();
        }
    }
}
