package io.healthcarebackend.audit.internal;

import io.healthcarebackend.platform.crypto.DatabaseIdentity;
import io.healthcarebackend.platform.crypto.DevKeyFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends checkpoints as JSON lines to {@code AUDIT_CHECKPOINT_DIR/checkpoints.ndjson}, opened in
 * append mode and synced. The store is bound to its database (see {@link #bind}); by default each
 * database has its own under {@code var/databases/<database id>/}. Give the directory to a different OS user than the database's, mount it
 * from write-once storage, or ship the file off-box; several instances must share it (a shared
 * volume) or use an object-store implementation of {@link CheckpointStore}.
 */
@Component
class FileCheckpointStore implements CheckpointStore {

    static final String SETTING = "AUDIT_CHECKPOINT_DIR";
    /** The directory's owner: the id of the database whose chains it pins. */
    static final String IDENTITY_FILE = "database-id";
    /** The default before the store was bound to its database; adopted (moved) once. */
    private static final Path LEGACY_DIR = Path.of("var/audit-checkpoints");
    private static final Logger log = LoggerFactory.getLogger(FileCheckpointStore.class);

    private final Path file;
    private final JsonMapper json;

    FileCheckpointStore(@Value("${app.audit.checkpoint-dir:var/databases/{database-id}/audit-checkpoints}") String dir,
            JsonMapper json, DatabaseIdentity database) {
        Path directory = DevKeyFile.resolve(dir, database);
        this.file = directory.resolve("checkpoints.ndjson");
        this.json = json;
        try {
            if (dir.contains(DevKeyFile.DATABASE_ID) && !Files.exists(directory)) {
                adoptLegacy(directory, database);
            }
            Files.createDirectories(directory);
            bind(directory, database);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit checkpoint directory " + directory, e);
        }
    }

    /**
     * Checkpoints of two databases must never meet in one store: their chains can share ids (the
     * platform chain, a demo clinic) and the other's checkpoints would fail this one's verification,
     * a false tamper alarm. The directory names its database in {@value #IDENTITY_FILE}; a store
     * of another database is refused at start, a store without one (older versions) adopted.
     */
    private static void bind(Path directory, DatabaseIdentity database) throws IOException {
        Path identity = directory.resolve(IDENTITY_FILE);
        String id = database.id().toString();
        if (Files.exists(identity)) {
            String owner = Files.readString(identity, StandardCharsets.UTF_8).strip();
            if (!owner.equals(id)) {
                String message = DevKeyFile.refusal(SETTING, directory, owner, database);
                log.error(message);
                throw new IllegalStateException(message);
            }
            return;
        }
        Path temp = directory.resolve(IDENTITY_FILE + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
            Files.createLink(identity, temp);
            if (Files.exists(directory.resolve("checkpoints.ndjson"))) {
                log.warn("The audit checkpoint store {} had no database id: it is now bound to database {}", directory,
                        database.describe());
            }
        } catch (FileAlreadyExistsException raced) {
            bind(directory, database);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The store under the old default path becomes this database's, unless another database owns it. */
    private static void adoptLegacy(Path directory, DatabaseIdentity database) throws IOException {
        if (!Files.exists(LEGACY_DIR.resolve("checkpoints.ndjson"))) {
            return;
        }
        Path identity = LEGACY_DIR.resolve(IDENTITY_FILE);
        if (Files.exists(identity)
                && !Files.readString(identity, StandardCharsets.UTF_8).strip().equals(database.id().toString())) {
            return;
        }
        Files.createDirectories(directory.toAbsolutePath().getParent());
        Files.move(LEGACY_DIR, directory);
        log.warn("Moved the audit checkpoint store {} to {}, this database's own ({}); other databases start stores "
                + "of their own", LEGACY_DIR, directory, database.describe());
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
