package io.healthcarebackend.audit.internal;

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
 * append mode and synced. Give the directory to a different OS user than the database's, mount it
 * from write-once storage, or ship the file off-box; several instances must share it (a shared
 * volume) or use an object-store implementation of {@link CheckpointStore}.
 */
@Component
class FileCheckpointStore implements CheckpointStore {

    private final Path file;
    private final JsonMapper json;

    FileCheckpointStore(@Value("${app.audit.checkpoint-dir:var/audit-checkpoints}") String dir, JsonMapper json) {
        this.file = Path.of(dir).resolve("checkpoints.ndjson");
        this.json = json;
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit checkpoint directory " + dir, e);
        }
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
