package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.crypto.BoundDirectory;
import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import io.healthcarebackend.audit.internal.AuditExportFormat.ChainRange;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes one month's partitions to {@code AUDIT_EXPORT_DIR/audit-YYYY-MM.ndjson.gz} (format: {@link
 * AuditExportFormat}). Refuses a month whose chain does not verify or that holds an event outside
 * the chain: dropping it would destroy the evidence. The read runs in a read-only transaction,
 * which takes no transaction id and so never holds the sealer's horizon back.
 */
@Component
class AuditExporter {

    record Export(YearMonth month, Path file, String sha256, long events, List<ChainRange> chains) {
    }

    static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final CheckpointSigner signer;
    private final CheckpointStore checkpoints;
    private final Clock clock;
    private final Path dir;
    private final JsonMapper json = JsonMapper.builder().build();

    AuditExporter(DataSource dataSource, PlatformTransactionManager transactions, CheckpointSigner signer,
            CheckpointStore checkpoints, Clock clock,
            @Value("${app.audit.export-dir:var/databases/{database-id}/audit-exports}") String dir,
            DatabaseIdentity database) {
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(1_000);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.signer = signer;
        this.checkpoints = checkpoints;
        this.clock = clock;
        // Bound to the database like the checkpoint store: another database's export of the same
        // month would overwrite this one's.
        this.dir = BoundDirectory.bind("AUDIT_EXPORT_DIR", dir, null, database);
    }

    static String fileName(YearMonth month) {
        return "audit-" + month + ".ndjson.gz";
    }

    Export export(YearMonth month) {
        Instant now = clock.instant();
        Path target = dir.resolve(fileName(month));
        Path partial = dir.resolve(fileName(month) + ".partial");
        MessageDigest sha = sha256();
        List<ChainRange> ranges = new ArrayList<>();
        List<Checkpoint> signed = new ArrayList<>();
        long events;
        try {
            Files.createDirectories(dir);
            try (FileOutputStream file = new FileOutputStream(partial.toFile());
                    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                            new GZIPOutputStream(new DigestOutputStream(file, sha), 64 * 1024), StandardCharsets.UTF_8))) {
                line(out, new AuditExportFormat.Header("header", AuditExportFormat.FORMAT, month.toString(),
                        now.toString(), signer.publicKeyBase64(), signer.keyId()));
                events = readOnly.execute(status -> writeLinks(month, out, now, ranges, signed));
                line(out, new AuditExportFormat.End("end", month.toString(), events, ranges, signer.keyId(),
                        signer.sign(AuditExportFormat.End.message(month.toString(), events, ranges))));
                out.flush();
                file.getFD().sync();
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit export of " + month, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover partial file is overwritten by the next attempt
            }
        }
        // The live verifier learns the month-end heads too (they pin the links that remain).
        checkpoints.append(signed);
        return new Export(month, target, HexFormat.of().formatHex(sha.digest()), events, List.copyOf(ranges));
    }

    /** Streams the month's links chain by chain, checking each chain as it goes. Returns the event count. */
    private long writeLinks(YearMonth month, BufferedWriter out, Instant now, List<ChainRange> ranges,
            List<Checkpoint> signed) {
        long[] count = {0};
        ChainState[] current = {null};
        streaming.query("select * from audit_month_export(?)", rs -> {
            UUID chain = rs.getObject("chain_id", UUID.class);
            if (chain == null) {
                throw new RefusedException("an event of " + month + " is not in the chain");
            }
            if (rs.getObject("id") == null) {
                throw new RefusedException("a link of " + month + " has lost its event");
            }
            StoredEvent event = AuditRows.map(rs, 0);
            long seq = rs.getLong("seq");
            byte[] prev = rs.getBytes("prev_hash");
            byte[] hash = rs.getBytes("hash");
            if (current[0] == null || !current[0].chain.equals(chain)) {
                finish(current[0], out, now, ranges, signed);
                current[0] = new ChainState(chain, seq);
            }
            current[0].check.accept(seq, event.id(), prev, hash, event);
            current[0].last(seq, hash);
            line(out, new AuditExportFormat.Link("link", chain, seq, HexFormat.of().formatHex(prev),
                    HexFormat.of().formatHex(hash), AuditExportFormat.Event.of(event)));
            count[0]++;
        }, Date.valueOf(month.atDay(1)));
        finish(current[0], out, now, ranges, signed);
        return count[0];
    }

    private void finish(ChainState chain, BufferedWriter out, Instant now, List<ChainRange> ranges,
            List<Checkpoint> signed) {
        if (chain == null) {
            return;
        }
        AuditVerifier.Result result = chain.check.result();
        if (!result.valid()) {
            throw new RefusedException("chain " + chain.chain + " does not verify (" + result.problem()
                    + ", event " + result.firstInvalidId() + ")");
        }
        Checkpoint checkpoint = Checkpoint.sign(signer, chain.chain, chain.lastSeq, chain.lastHash, now);
        signed.add(checkpoint);
        ranges.add(new ChainRange(chain.chain, chain.firstSeq, chain.lastSeq, checkpoint.hash()));
        line(out, AuditExportFormat.SignedCheckpoint.of(checkpoint));
    }

    private void line(BufferedWriter out, Object value) {
        try {
            out.write(json.writeValueAsString(value));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ChainState {
        final UUID chain;
        final long firstSeq;
        final ChainCheck check = new ChainCheck(Map.of());
        long lastSeq;
        byte[] lastHash;

        ChainState(UUID chain, long firstSeq) {
            this.chain = chain;
            this.firstSeq = firstSeq;
        }

        void last(long seq, byte[] hash) {
            lastSeq = seq;
            lastHash = hash;
        }
    }
}
