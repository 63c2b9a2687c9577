package io.healthcarebackend.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A development key file belongs to one database: its id is written into the file, a file of
 * another database is refused naming the setting, an unbound (older) file is adopted, and the
 * per-database default path gives each database its own file.
 */
class DevKeyFileTest {

    private final DatabaseIdentity one = DatabaseIdentity.of(UUID.randomUUID(), "one");
    private final DatabaseIdentity other = DatabaseIdentity.of(UUID.randomUUID(), "other");

    @Test
    void aFileOfAnotherDatabaseIsRefusedInEveryFormat(@TempDir Path dir) {
        for (DevKeyFile.Format format : DevKeyFile.Format.values()) {
            String shared = dir.resolve("shared-" + format).toString();
            String key = format == DevKeyFile.Format.JSON ? "{\"k\":\"v\"}" : "private:public";
            String part = format == DevKeyFile.Format.JSON ? "\"k\":\"v\"" : "private:public";
            assertThat(DevKeyFile.of("MY_KEY_FILE", shared, null, format, one).readOrCreate(() -> key)).contains(part);

            assertThatThrownBy(() -> DevKeyFile.of("MY_KEY_FILE", shared, null, format, other).readOrCreate(() -> "x"))
                    .hasMessageContaining("MY_KEY_FILE points at " + Path.of(shared).toAbsolutePath())
                    .hasMessageContaining("belongs to another database (database id " + one.id() + ")")
                    .hasMessageContaining("this service's database is 'other' (database id " + other.id() + ")")
                    .hasMessageContaining("Point MY_KEY_FILE at this database's own file, or unset it");
            assertThat(DevKeyFile.of("MY_KEY_FILE", shared, null, format, one).read().orElseThrow()).contains(part)
                    .doesNotContain("\n" + "database-id");
        }
    }

    @Test
    void theDefaultPathGivesEachDatabaseItsOwnKey(@TempDir Path dir) {
        String configured = dir.resolve(DevKeyFile.DATABASE_ID + "/key.json").toString();

        String first = DevKeyFile.of("K", configured, null, DevKeyFile.Format.JSON, one).readOrCreate(() -> "{\"n\":1}");
        String second = DevKeyFile.of("K", configured, null, DevKeyFile.Format.JSON, other).readOrCreate(() -> "{\"n\":2}");

        assertThat(first).contains("\"n\":1").contains(one.id().toString());
        assertThat(second).contains("\"n\":2").contains(other.id().toString());
        assertThat(dir.resolve(one.id() + "/key.json")).exists();
        assertThat(dir.resolve(other.id() + "/key.json")).exists();
    }

    @Test
    void anUnboundFileIsAdoptedOnceAndALegacyDefaultCopiedForEachDatabase(@TempDir Path dir) throws Exception {
        Path unbound = dir.resolve("old-key");
        Files.writeString(unbound, "private:public\n");

        assertThat(DevKeyFile.of("K", unbound.toString(), null, DevKeyFile.Format.TEXT, one).read())
                .contains("private:public");
        assertThat(Files.readString(unbound)).contains("database-id=" + one.id());
        assertThatThrownBy(() -> DevKeyFile.of("K", unbound.toString(), null, DevKeyFile.Format.TEXT, other).read())
                .hasMessageContaining("belongs to another database");

        Path legacy = dir.resolve("var/dev-master.json");
        Files.createDirectories(legacy.getParent());
        Files.writeString(legacy, "{\"primaryKeyId\":1}");
        String perDatabase = dir.resolve("var/databases/" + DevKeyFile.DATABASE_ID + "/master.json").toString();
        for (DatabaseIdentity database : List.of(one, other)) {
            // Both databases were written with the legacy key: each keeps it, in a file of its own.
            assertThat(DevKeyFile.of("K", perDatabase, legacy.toString(), DevKeyFile.Format.JSON, database)
                    .readOrCreate(() -> "{\"new\":true}")).contains("\"primaryKeyId\":1");
            assertThat(Files.readString(dir.resolve("var/databases/" + database.id() + "/master.json")))
                    .contains(database.id().toString());
        }
    }

    @Test
    void instancesStartingTogetherAgreeOnOneGeneratedKey(@TempDir Path dir) throws Exception {
        String file = dir.resolve("key").toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String mine = "key-" + i;
                starts.add(() -> DevKeyFile.of("K", file, null, DevKeyFile.Format.TEXT, one).readOrCreate(() -> mine));
            }
            List<String> keys = new ArrayList<>();
            for (Future<String> key : pool.invokeAll(starts)) {
                keys.add(key.get());
            }
            assertThat(keys).hasSize(8).containsOnly(keys.getFirst());
        } finally {
            pool.shutdownNow();
        }
    }
}
