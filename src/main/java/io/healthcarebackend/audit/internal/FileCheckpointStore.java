package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.crypto.BoundDirectory;
import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends checkpoints as JSON lines to {@code AUDIT_CHECKPOINT_DIR/checkpoints.ndjson}, opened in
 * append mode and synced. The store is bound to its database (see the constructor); by default each
 * database has its own under {@code var/databases/<database id>/}. Give the directory to a different OS user than the database's, mount it
 * from write-once storage, or ship the file off-box; several instances must share it (a shared
 * volume) or use an object-store implementation of {@link CheckpointStore}.
 */
@Component
class FileCheckpointStore implements CheckpointStore {

    /** The default before the store was bound to its database; moved to the database's own once. */
    private static final Path LEGACY_DIR = Path.of("var/audit-checkpoints");

    private final Path file;
    private final JsonMapper json;

    /**
     * Checkpoints of two databases must never meet in one store: their chains can share ids (the
     * platform chain, a demo clinic) and the other's checkpoints would fail this one's verification,
     * a false tamper alarm. So the store is bound to its database ({@link BoundDirectory}): a store
     * of another database is refused at start.
     */
    FileCheckpointStore(@Value("${app.audit.checkpoint-dir:var/databases/{database-id}/audit-checkpoints}") String dir,
            JsonMapper json, DatabaseIdentity database) {
        this.file = BoundDirectory.bind("AUDIT_CHECKPOINT_DIR", dir, LEGACY_DIR, database).resolve("checkpoints.ndjson");
        this.json = json;
    }

    @Override
    public synchronized void append(List<Checkpoint> checkpoints) {
        if (checkpoints.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        checkpoints.forEach(c -> lines.append(json.writeValueAsString(c)).append('\n'));
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append audit checkpoints", e);
        }
    }

    @Override
    public synchronized List<Checkpoint> of(UUID chainId) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Checkpoint> result = new ArrayList<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.filter(l -> !l.isBlank()).map(l -> json.readValue(l, Checkpoint.class))
                    .filter(c -> c.chainId().equals(chainId)).forEach(result::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit checkpoints", e);
        }
        return result;
    }
}
