package io.healthcarebackend.audit.internal;

import io.healthcarebackend.audit.internal.AuditExportFormat.ChainRange;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies an audit export on its own, without the database or the service's configuration:
 * recomputes every link from its event, checks that the links of each chain follow each other,
 * that each chain's last link matches its signed checkpoint and that the signed end line names
 * exactly the chains and links read.
 *
 * <p>Signatures are checked against the trusted public keys given ({@code --public-key} or
 * {@code AUDIT_TRUSTED_PUBLIC_KEY}, base64 X.509, comma separated) when there are any. Only
 * without them is the key written in the file's header used, and the result says so: a key that
 * travels with the file proves only that the file is consistent, not who wrote it.
 *
 * <p>Public (with {@link #run}) so that {@code java -jar app.jar audit-verify-export} can run it
 * before, and without, starting the application.
 */
public final class AuditExportVerifier {

    record Result(boolean valid, long checked, UUID firstInvalidId, String problem, boolean trustedKey) {
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final List<PublicKey> trusted;

    AuditExportVerifier(List<PublicKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** {@code <file> [--public-key <base64 X.509>]}; prints the outcome, returns 0 valid, 1 invalid, 2 usage. */
    public static int run(PrintStream out, String... args) {
        String file = null;
        String keys = System.getenv().getOrDefault("AUDIT_TRUSTED_PUBLIC_KEY", "");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--public-key") && i + 1 < args.length) {
                keys = args[++i];
            } else if (file == null && !args[i].startsWith("--")) {
                file = args[i];
            } else {
                file = null;
                break;
            }
        }
        if (file == null) {
            out.println("usage: audit-verify-export <audit-YYYY-MM.ndjson.gz> [--public-key <base64 X.509 Ed25519>]"
                    + " (or AUDIT_TRUSTED_PUBLIC_KEY)");
            return 2;
        }
        List<PublicKey> trusted = new ArrayList<>();
        for (String key : keys.split(",")) {
            if (!key.isBlank()) {
                try {
                    trusted.add(CheckpointSigner.publicKey(key.strip()));
                } catch (IllegalStateException e) {
                    out.println("usage: " + e.getMessage());
                    return 2;
                }
            }
        }
        Result r = new AuditExportVerifier(trusted).verify(Path.of(file));
        out.printf("%s: %d events checked%s%s%n", r.valid() ? "valid" : "INVALID", r.checked(),
                r.valid() ? "" : " firstInvalidId=" + r.firstInvalidId() + " problem=\"" + r.problem() + "\"",
                r.trustedKey() ? "" : " (signatures checked only against the key inside the file; "
                        + "pass --public-key or AUDIT_TRUSTED_PUBLIC_KEY to check who signed it)");
        return r.valid() ? 0 : 1;
    }

    Result verify(Path file) {
        Walk walk = new Walk();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && walk.problem == null) {
                walk.number++;
                if (!line.isBlank()) {
                    walk.line(walk.number, json.readTree(line));
                }
            }
            walk.finish();
        } catch (IOException e) {
            walk.fail(null, "the file cannot be read as gzip: " + e.getMessage());
        } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
            // Not the parser's message: it may quote the line, and lines hold PHI.
            walk.fail(null, "line " + walk.number + " is malformed");
        }
        return new Result(walk.problem == null, walk.checked, walk.firstInvalid, walk.problem, !trusted.isEmpty());
    }

    /** The state of one pass over the file. */
    private final class Walk {
        final Map<UUID, ChainCheck> chains = new LinkedHashMap<>();
        final Map<UUID, ChainRange> ranges = new LinkedHashMap<>();
        final List<UUID> checkpointed = new ArrayList<>();
        List<PublicKey> keys;
        String month;
        boolean ended;
        long number;
        long checked;
        UUID lastEventId;
        UUID firstInvalid;
        String problem;

        void line(long number, JsonNode node) {
            String type = node.path("type").asString("");
            if (keys == null && !type.equals("header")) {
                fail(null, "the file does not start with a header");
            } else if (ended) {
                fail(null, "line " + number + " follows the end line");
            } else {
                switch (type) {
                    case "header" -> header(json.treeToValue(node, AuditExportFormat.Header.class));
                    case "link" -> link(json.treeToValue(node, AuditExportFormat.Link.class));
                    case "checkpoint" -> checkpoint(json.treeToValue(node, AuditExportFormat.SignedCheckpoint.class));
                    case "end" -> end(json.treeToValue(node, AuditExportFormat.End.class));
                    default -> fail(null, "line " + number + " has an unknown type");
                }
            }
        }

        void header(AuditExportFormat.Header h) {
            if (keys != null || !AuditExportFormat.FORMAT.equals(h.format())) {
                fail(null, "the header is repeated or of an unknown format");
                return;
            }
            month = h.month();
            keys = trusted.isEmpty() ? List.of(CheckpointSigner.publicKey(h.publicKey())) : trusted;
        }

        void link(AuditExportFormat.Link l) {
            StoredEvent event = l.event().stored();
            lastEventId = event.id();
            checked++;
            if (!AuditSealer.chainOf(event.clinicId()).equals(l.chainId())) {
                fail(event.id(), "the event of link " + l.seq() + " belongs to another chain");
                return;
            }
            if (checkpointed.contains(l.chainId())) {
                fail(event.id(), "link " + l.seq() + " follows its chain's checkpoint");
                return;
            }
            byte[] prev = HexFormat.of().parseHex(l.prevHash());
            if (l.seq() == 1 && !AuditCanonical.same(prev, AuditCanonical.GENESIS)) {
                fail(event.id(), "the first link of the chain does not start from the genesis hash");
                return;
            }
            ChainCheck check = chains.computeIfAbsent(l.chainId(), c -> new ChainCheck(Map.of()));
            ChainRange range = ranges.get(l.chainId());
            ranges.put(l.chainId(), new ChainRange(l.chainId(), range == null ? l.seq() : range.firstSeq(), l.seq(),
                    l.hash()));
            check.accept(l.seq(), event.id(), prev, HexFormat.of().parseHex(l.hash()), event);
            AuditVerifier.Result r = check.result();
            if (!r.valid()) {
                fail(r.firstInvalidId(), r.problem());
            }
        }

        void checkpoint(AuditExportFormat.SignedCheckpoint s) {
            Checkpoint c = s.checkpoint();
            ChainRange range = ranges.get(c.chainId());
            if (range == null || checkpointed.contains(c.chainId())) {
                fail(null, "a checkpoint of chain " + c.chainId() + " has no links before it, or is repeated");
            } else if (!signedByTrustedKey(c.message(), c.signature())) {
                fail(null, "the checkpoint of chain " + c.chainId() + " has no valid signature");
            } else if (range.lastSeq() != c.seq() || !range.lastHash().equals(c.hash())) {
                fail(lastEventId, "the last link of chain " + c.chainId() + " differs from its signed checkpoint");
            } else {
                checkpointed.add(c.chainId());
            }
        }

        void end(AuditExportFormat.End e) {
            ended = true;
            List<ChainRange> read = List.copyOf(ranges.values());
            if (!signedByTrustedKey(AuditExportFormat.End.message(e.month(), e.events(), e.chains()), e.signature())) {
                fail(null, "the end line has no valid signature");
            } else if (!e.month().equals(month) || e.events() != checked || !e.chains().equals(read)) {
                fail(null, "the file's chains or events differ from those its signed end line names");
            } else if (!checkpointed.containsAll(ranges.keySet())) {
                fail(null, "a chain has no signed checkpoint");
            }
        }

        void finish() {
            if (problem == null && !ended) {
                fail(null, "the file ends without its end line (cut off?)");
            }
        }

        boolean signedByTrustedKey(String message, String signature) {
            return keys.stream().anyMatch(k -> CheckpointSigner.verify(k, message, signature));
        }

        void fail(UUID eventId, String why) {
            if (problem == null) {
                firstInvalid = eventId;
                problem = why;
            }
        }
    }
}
