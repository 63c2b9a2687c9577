package io.healthcarebackend.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service given another master key than the one that wrote its key store refuses to start, naming
 * the setting and the fix, instead of answering the first patient with an error. Started as the key
 * beans alone (what {@code rotate-keys} starts; the service starts the same beans) on a database
 * pair of the test's own, so the run's key store never holds a key of a foreign master key.
 */
class MasterKeyCheckTest {

    private static final String DB = TestDatabase.NAME + "_mk";

    @BeforeAll
    static void createPair() {
        TestDatabase.createPair(DB);
        Flyway.configure().dataSource(url(DB), "hb_owner", "hb_owner_dev").locations("classpath:db/migration")
                .placeholders(Map.of("appRole", "hb_app", "definerRole", "hb_definer")).load().migrate();
    }

    @AfterAll
    static void dropPair() throws Exception {
        TestDatabase.dropPair(DB);
    }

    /** Each test writes its own key store: the keys of the other test's master keys are gone. */
    @BeforeEach
    void emptyKeyStore() throws Exception {
        try (Connection c = DriverManager.getConnection(url(DB + "_keys"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("do $$ begin if to_regclass('clinic_keys') is not null then "
                    + "truncate clinic_keys, patient_keys; end if; end $$");
        }
    }

    @Test
    void anotherMasterKeyIsRefusedAtStartWithTheSettingAndTheFix(@TempDir Path dir) {
        String writer = base64(Keysets.generateJson());
        try (ConfigurableApplicationContext first = start("--app.phi.master-keyset=" + writer)) {
            first.getBean(PhiKeys.class).createPatientKey(new ClinicId(UUID.randomUUID()), UUID.randomUUID());
        }

        assertThatThrownBy(() -> start("--app.phi.master-keyset=" + base64(Keysets.generateJson())).close())
                .rootCause().hasMessageContaining("Refusing to start")
                .hasMessageContaining("the PHI master key from PHI_MASTER_KEYSET does not open 1 of 1 clinic keys")
                .hasMessageContaining("key store '" + DB + "_keys'")
                .hasMessageContaining("set PHI_MASTER_KEYSET to the master keyset that wrote this key store")
                .hasMessageNotContaining(writer);
        // A development keyset generated for this database is another key too, and says which file it is.
        Path devFile = dir.resolve("phi-master-keyset.json");
        assertThatThrownBy(() -> start("--app.phi.master-keyset=", "--app.phi.dev-master-keyset-file=" + devFile).close())
                .rootCause().hasMessageContaining("PHI_DEV_MASTER_KEYSET_FILE=" + devFile.toAbsolutePath())
                .hasMessageContaining("point PHI_DEV_MASTER_KEYSET_FILE at the file that holds it");
        // The key that wrote the store still starts, and a second clinic's key opens with it.
        try (ConfigurableApplicationContext again = start("--app.phi.master-keyset=" + writer)) {
            assertThat(again.getBean(PhiKeys.class).createPatientKey(new ClinicId(UUID.randomUUID()), UUID.randomUUID()))
                    .isNotNull();
        }
    }

    @Test
    void aMasterKeyMissingAnOldVersionIsRefusedForTheClinicKeysItNoLongerOpens() throws Exception {
        // One clinic key wrapped under the old version, one under the new: dropping the old version
        // before rotate-keys re-wrapped everything leaves one clinic unreadable.
        KeysetHandle old = Keysets.fromJson(Keysets.generateJson());
        KeysetHandle both = Keysets.rotate(old);
        KeysetHandle onlyNew = KeysetHandle.newBuilder(both).deleteAt(0).build();
        try (ConfigurableApplicationContext writer = start("--app.phi.master-keyset=" + base64(Keysets.toJson(old)))) {
            writer.getBean(PhiKeys.class).createPatientKey(new ClinicId(UUID.randomUUID()), UUID.randomUUID());
        }
        try (ConfigurableApplicationContext writer = start("--app.phi.master-keyset=" + base64(Keysets.toJson(both)))) {
            writer.getBean(PhiKeys.class).createPatientKey(new ClinicId(UUID.randomUUID()), UUID.randomUUID());
        }

        assertThatThrownBy(() -> start("--app.phi.master-keyset=" + base64(Keysets.toJson(onlyNew))).close())
                .rootCause().hasMessageContaining("does not open 1 of 2 clinic keys")
                .hasMessageContaining("keep the old version in PHI_MASTER_KEYSET until rotate-keys has finished");
        start("--app.phi.master-keyset=" + base64(Keysets.toJson(both))).close();
    }

    private static ConfigurableApplicationContext start(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--spring.datasource.url=" + url(DB);
        all[1] = "--app.phi.keystore.url=" + url(DB + "_keys");
        System.arraycopy(args, 0, all, 2, args.length);
        return new SpringApplicationBuilder(CryptoConfig.class).web(WebApplicationType.NONE).logStartupInfo(false)
                .run(all);
    }

    private static String url(String db) {
        return "jdbc:postgresql://" + TestDatabase.HOST + ":" + TestDatabase.PORT + "/" + db;
    }

    private static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
