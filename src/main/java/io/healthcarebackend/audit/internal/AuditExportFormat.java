package io.healthcarebackend.audit.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The lines of an audit export ({@code audit-YYYY-MM.ndjson.gz}), one JSON object each, told
 * apart by {@code type}: a header; per chain its links of the month in sequence order with their
 * full events, then a checkpoint signed over the chain's last link of the month; and a signed end
 * line naming every chain's first and last link, so a removed chain or a cut-off file shows.
 * Times are ISO-8601 strings so that they survive any JSON reader unchanged (the hashes cover them
 * to the microsecond).
 */
final class AuditExportFormat {

    static final String FORMAT = "healthcare-backend-audit-export/v1";

    private AuditExportFormat() {
    }

    record Header(String type, String format, String month, String exportedAt, String publicKey, String keyId) {
    }

    record Event(UUID id, UUID clinicId, String at, UUID actorId, String actorRole, String action,
            String resourceType, UUID resourceId, UUID patientId, String outcome, String ip, String userAgent,
            String traceId, boolean emergency, String reason) {

        static Event of(StoredEvent e) {
            return new Event(e.id(), e.clinicId(), e.at().toString(), e.actorId(), e.actorRole(), e.action(),
                    e.resourceType(), e.resourceId(), e.patientId(), e.outcome(), e.ip(), e.userAgent(),
                    e.traceId(), e.emergency(), e.reason());
        }

        StoredEvent stored() {
            return new StoredEvent(id, clinicId, Instant.parse(at), actorId, actorRole, action, resourceType,
                    resourceId, patientId, outcome, ip, userAgent, traceId, emergency, reason);
        }
    }

    record Link(String type, UUID chainId, long seq, String prevHash, String hash, Event event) {
    }

    record SignedCheckpoint(String type, UUID chainId, long seq, String hash, String signedAt, String keyId,
            String signature) {

        static SignedCheckpoint of(Checkpoint c) {
            return new SignedCheckpoint("checkpoint", c.chainId(), c.seq(), c.hash(), c.signedAt().toString(),
                    c.keyId(), c.signature());
        }

        Checkpoint checkpoint() {
            return new Checkpoint(chainId, seq, hash, Instant.parse(signedAt), keyId, signature);
        }
    }

    record ChainRange(UUID chainId, long firstSeq, long lastSeq, String lastHash) {
    }

    record End(String type, String month, long events, List<ChainRange> chains, String keyId, String signature) {

        static String message(String month, long events, List<ChainRange> chains) {
            return "audit-export|v1|" + month + "|" + events + "|" + chains.stream()
                    .map(c -> c.chainId() + ":" + c.firstSeq() + ":" + c.lastSeq() + ":" + c.lastHash())
                    .collect(Collectors.joining(";"));
        }
    }
}
