package io.healthcarebackend.platform.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key generated for development and kept in a local file, bound to the database it belongs to:
 * the file records the {@link DatabaseIdentity database id} ({@code "databaseId"} member of a JSON
 * key, a {@code database-id=} line of a text key), and a file of another database is refused with
 * a message naming the setting, instead of being used for this one. The default paths contain
 * {@value #DATABASE_ID}, so each database gets files of its own. A file without an id (written
 * before the binding existed) is adopted once: the id is written into it. A legacy default file
 * (the path before {@value #DATABASE_ID}) is copied into the per-database path the first time a
 * database starts without one, so development databases keep the keys their data was written with.
 */
public final class DevKeyFile {

    /** Replaced by the database id in a configured path. */
    public static final String DATABASE_ID = "{database-id}";

    /** How the key is written in the file, and so where the database id goes. */
    public enum Format {
        /** A JSON object (JWK, Tink keyset): one more member, ignored by the key parsers. */
        JSON,
        /** Lines of text: one more line {@code database-id=<uuid>}. */
        TEXT
    }

    private static final Logger log = LoggerFactory.getLogger(DevKeyFile.class);
    private static final Pattern JSON_ID = Pattern.compile("\"databaseId\"\\s*:\\s*\"([^\"]*)\"");
    private static final String TEXT_ID = "database-id=";

    private final String setting;
    private final String configured;
    private final Path legacy;
    private final Format format;
    private final DatabaseIdentity database;

    private DevKeyFile(String setting, String configured, Path legacy, Format format, DatabaseIdentity database) {
        this.setting = setting;
        this.configured = configured;
        this.legacy = legacy;
        this.format = format;
        this.database = database;
    }

    /**
     * @param setting the environment variable naming the file, for messages
     * @param configured its value; {@value #DATABASE_ID} in it is replaced by the database id
     * @param legacyPath the default before the binding existed, adopted when {@code configured} is
     *        per database and its file does not exist yet; null for none
     */
    public static DevKeyFile of(String setting, String configured, String legacyPath, Format format,
            DatabaseIdentity database) {
        Path legacy = configured.contains(DATABASE_ID) && legacyPath != null ? Path.of(legacyPath) : null;
        return new DevKeyFile(setting, configured, legacy, format, database);
    }

    /** The configured path with {@value #DATABASE_ID} replaced (the database is asked only then). */
    public static Path resolve(String configured, DatabaseIdentity database) {
        return Path.of(configured.contains(DATABASE_ID)
                ? configured.replace(DATABASE_ID, database.id().toString()) : configured);
    }

    /** The file (asks the database for its id only if the configured path contains {@value #DATABASE_ID}). */
    public Path path() {
        return resolve(configured, database);
    }

    /** Where the setting points, for messages. */
    public String describe() {
        return setting + "=" + path().toAbsolutePath();
    }

    /**
     * The key, without the binding; empty when no file exists yet. Refuses a file of another
     * database; binds an unbound one to this database.
     */
    public Optional<String> read() {
        Path file = path();
        try {
            if (!Files.exists(file) && legacy != null && Files.exists(legacy)) {
                adoptLegacy();
            }
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String bound = boundTo(text);
            if (bound == null) {
                write(text.strip());
                log.warn("The development key file {} had no database id: it is now bound to database {}", file,
                        database.describe());
            } else if (!bound.equals(database.id().toString())) {
                throw new IllegalStateException(refusal(setting, file, bound, database));
            }
            return Optional.of(strip(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the development key file " + describe(), e);
        }
    }

    /**
     * The key in the file, or a new one from {@code generator} written there (bound to this
     * database, readable by its owner only). Instances starting together agree: the file is
     * created atomically, and whoever comes second reads the first one's key.
     */
    public String readOrCreate(Supplier<String> generator) {
        Path file = path();
        Optional<String> existing = read();
        if (existing.isPresent()) {
            return existing.get();
        }
        String key = generator.get().strip();
        try {
            String content = content(key);
            if (publish(content, false)) {
                log.warn("Generated a development key for {} in {}; never use it in production", setting, file);
                return strip(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development key file " + describe(), e);
        }
        return read().orElseThrow();
    }

    /** The message refusing a file or directory of another database. */
    public static String refusal(String setting, Path path, String otherId, DatabaseIdentity database) {
        return setting + " points at " + path.toAbsolutePath() + ", which belongs to another database (database id "
                + otherId + "); this service's database is " + database.describe() + ". Files of one database are "
                + "never used for another. Point " + setting + " at this database's own file, or unset it (the "
                + "default keeps one per database under var/databases/<database id>/); if that other database is "
                + "gone for good, delete or move the file.";
    }

    private void adoptLegacy() throws IOException {
        Path file = path();
        String text = Files.readString(legacy, StandardCharsets.UTF_8);
        String bound = boundTo(text);
        if (bound != null && !bound.equals(database.id().toString())) {
            return;
        }
        write(strip(text).strip());
        log.warn("Copied the development key file {} into {} for database {} (the default is now one file per "
                + "database); delete {} once every database that used it has started once", legacy, file,
                database.describe(), legacy);
    }

    private String boundTo(String text) {
        if (format == Format.JSON) {
            Matcher m = JSON_ID.matcher(text);
            return m.find() ? m.group(1) : null;
        }
        return text.lines().filter(l -> l.startsWith(TEXT_ID)).map(l -> l.substring(TEXT_ID.length()).strip())
                .findFirst().orElse(null);
    }

    private String strip(String text) {
        if (format == Format.JSON) {
            return text;
        }
        return text.lines().filter(l -> !l.startsWith(TEXT_ID)).collect(Collectors.joining("\n"));
    }

    private void write(String key) throws IOException {
        publish(content(key), true);
    }

    private String content(String key) {
        String id = database.id().toString();
        if (format == Format.JSON) {
            String json = JSON_ID.matcher(key).find() ? key : key.replaceFirst("^\\{", "{\"databaseId\":\"" + id + "\",");
            return json + "\n";
        }
        return strip(key).strip() + "\n" + TEXT_ID + id + "\n";
    }

    /** Writes through a temporary file: replacing atomically, or creating only if absent (false if not). */
    private boolean publish(String content, boolean replace) throws IOException {
        Path absolute = path().toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = absolute.resolveSibling(absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file is a development convenience only
            }
            if (replace) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
            Files.createLink(absolute, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
