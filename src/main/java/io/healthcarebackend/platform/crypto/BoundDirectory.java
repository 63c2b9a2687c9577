package io.healthcarebackend.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory outside the database that holds files of that database only (audit checkpoints,
 * audit exports): it names its database in {@value #IDENTITY_FILE}, and a directory of another
 * database is refused at start with a message naming the setting, so files of two databases are
 * never mixed (two chains can share an id; an export of one would overwrite the other's). A
 * directory without the file (written before the binding existed) is adopted.
 */
public final class BoundDirectory {

    public static final String IDENTITY_FILE = "database-id";
    private static final Logger log = LoggerFactory.getLogger(BoundDirectory.class);

    private BoundDirectory() {
    }

    /**
     * Creates the directory if needed and binds it to the database, or refuses it.
     *
     * @param setting the environment variable naming the directory, for messages
     * @param configured its value; {@value DevKeyFile#DATABASE_ID} in it is replaced by the database id
     * @param legacy the default before the binding existed, moved here once when {@code configured}
     *        is per database and does not exist yet (unless another database owns it); null for none
     * @return the directory
     */
    public static Path bind(String setting, String configured, Path legacy, DatabaseIdentity database) {
        Path directory = DevKeyFile.resolve(configured, database);
        try {
            if (legacy != null && configured.contains(DevKeyFile.DATABASE_ID) && !Files.exists(directory)) {
                adoptLegacy(legacy, directory, database);
            }
            Files.createDirectories(directory);
            bindExisting(setting, directory, database);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or bind the directory " + setting + "=" + directory, e);
        }
    }

    private static void bindExisting(String setting, Path directory, DatabaseIdentity database) throws IOException {
        Path identity = directory.resolve(IDENTITY_FILE);
        String id = database.id().toString();
        if (Files.exists(identity)) {
            String owner = Files.readString(identity, StandardCharsets.UTF_8).strip();
            if (!owner.equals(id)) {
                String message = DevKeyFile.refusal(setting, directory, owner, database);
                log.error(message);
                throw new IllegalStateException(message);
            }
            return;
        }
        boolean hadFiles;
        try (var files = Files.list(directory)) {
            hadFiles = files.findAny().isPresent();
        }
        Path temp = directory.resolve(IDENTITY_FILE + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
            Files.createLink(identity, temp);
            if (hadFiles) {
                log.warn("The directory {}={} had no database id: it is now bound to database {}", setting, directory,
                        database.describe());
            }
        } catch (FileAlreadyExistsException raced) {
            bindExisting(setting, directory, database);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void adoptLegacy(Path legacy, Path directory, DatabaseIdentity database) throws IOException {
        if (!Files.isDirectory(legacy)) {
            return;
        }
        Path identity = legacy.resolve(IDENTITY_FILE);
        if (Files.exists(identity)
                && !Files.readString(identity, StandardCharsets.UTF_8).strip().equals(database.id().toString())) {
            return;
        }
        Files.createDirectories(directory.toAbsolutePath().getParent());
        Files.move(legacy, directory);
        log.warn("Moved {} to {}, the directory of database {} (one per database now); other databases start their "
                + "own", legacy, directory, database.describe());
    }
}
