package io.healthcarebackend.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.KeysetHandle;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@code rotate-keys}: clinic keys get a new version under the newest master key version, every
 * patient key is re-wrapped in batches, an interrupted run resumes where it stopped, and
 * afterwards everything still opens, with the old master key version retired.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyRotationTest extends ApiTest {

    @Autowired
    PostgresPatientKeyStore store;

    @Autowired
    MasterKeyProvider master;

    @Autowired
    KeyRotation rotation;

    @Value("${app.phi.dev-master-keyset-file}")
    String masterFile;

    @Test
    void anInterruptedRotationResumesAfterItsLastBatchAndEveryKeyStillOpens() throws Exception {
        Clinic clinic = newClinic();
        List<String> patients = List.of(clinic.patient("Rota", "One", "1971-01-01"),
                clinic.patient("Rota", "Two", "1972-02-02"), clinic.patient("Rota", "Three", "1973-03-03"));
        Map<UUID, byte[]> before = wrapped("select patient_id, wrapped_keyset from patient_keys");
        byte[] clinicBefore = wrapped("select clinic_id, wrapped_keyset from clinic_keys").get(UUID.fromString(clinic.id));
        ByteArrayOutputStream first = new ByteArrayOutputStream();

        KeyRotation.Result partial = rotation.rotate(1, 2, new PrintStream(first, true, StandardCharsets.UTF_8));
        // The "crash": the process is gone; a new one picks the run up from the database.
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        KeyRotation.Result rest = new KeyRotation(master, store).rotate(2, 0,
                new PrintStream(second, true, StandardCharsets.UTF_8));

        assertThat(partial.finished()).isFalse();
        assertThat(partial.done()).isEqualTo(2);
        assertThat(first.toString(StandardCharsets.UTF_8)).contains("] 1/" + partial.total() + " patients")
                .contains("] 2/" + partial.total() + " patients");
        assertThat(rest.finished()).isTrue();
        assertThat(rest.run()).isEqualTo(partial.run());
        assertThat(rest.done()).isGreaterThanOrEqualTo(before.size());
        assertThat(second.toString(StandardCharsets.UTF_8)).contains("resuming run " + partial.run() + " after 2")
                .contains("[" + "#".repeat(30) + "] " + rest.done() + "/" + rest.done() + " patients");
        Map<UUID, byte[]> after = wrapped("select patient_id, wrapped_keyset from patient_keys");
        before.forEach((id, key) -> assertThat(after.get(id)).as("key of %s re-wrapped", id).isNotEqualTo(key));
        assertThat(wrapped("select clinic_id, wrapped_keyset from clinic_keys").get(UUID.fromString(clinic.id)))
                .isNotEqualTo(clinicBefore);
        PhiKeys fresh = new PhiKeys(master, store, Duration.ofMinutes(1), 100);
        assertThat(fresh.patientKeys(new ClinicId(UUID.fromString(clinic.id)),
                patients.stream().map(UUID::fromString).toList())).hasSize(3);
        for (String id : patients) {
            assertThat(api.get("/api/v1/patients/" + id, clinic.adminToken).text("givenName")).isEqualTo("Rota");
        }
        assertThat(count("select count(*) from key_rotations where finished_at is null")).isZero();
    }

    @Test
    void afterRotatingToANewMasterVersionTheOldVersionIsNoLongerNeeded() throws Exception {
        Clinic clinic = newClinic();
        ClinicId clinicId = new ClinicId(UUID.fromString(clinic.id));
        UUID patient = UUID.fromString(clinic.patient("Master", "Rotated", "1960-06-06"));
        KeysetHandle old = Keysets.fromJson(Files.readString(Path.of(masterFile)));
        KeysetHandle both = Keysets.rotate(old);
        KeysetHandle onlyNew = KeysetHandle.newBuilder(both).deleteAt(0).build();

        new KeyRotation(ConfiguredMasterKey.of(both), store).rotate(100, 0, quiet());

        PhiKeys withNewOnly = new PhiKeys(ConfiguredMasterKey.of(onlyNew), store, Duration.ofMinutes(1), 100);
        PhiKeys withOldOnly = new PhiKeys(ConfiguredMasterKey.of(old), store, Duration.ofMinutes(1), 100);
        assertThat(withNewOnly.patientKey(clinicId, patient)).isNotNull();
        assertThatThrownBy(() -> withOldOnly.patientKey(clinicId, patient)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not unwrap with the master key");

        // Back to the test run's master key, which the running service uses for the other tests.
        KeysetHandle.Builder back = KeysetHandle.newBuilder(both);
        back.getAt(0).makePrimary();
        new KeyRotation(ConfiguredMasterKey.of(back.build()), store).rotate(100, 0, quiet());
        assertThat(new PhiKeys(ConfiguredMasterKey.of(old), store, Duration.ofMinutes(1), 100)
                .patientKey(clinicId, patient)).isNotNull();
    }

    @Test
    void theCommandRunsWithoutTheWebServerAndPrintsProgress(CapturedOutput output) {
        clinicWithPatient();
        int from = output.getAll().length();

        int exit = RotateKeysCommand.run(new String[] {"rotate-keys", "--batch-size=7"});

        String during = output.getAll().substring(from);
        assertThat(exit).isZero();
        assertThat(during).contains("rotate-keys: run").contains(" patients").contains("rotate-keys: done")
                .doesNotContain("Tomcat").doesNotContain("Migrating schema");
    }

    private void clinicWithPatient() {
        newClinic().patient();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static Map<UUID, byte[]> wrapped(String sql) throws Exception {
        Map<UUID, byte[]> keys = new HashMap<>();
        try (Connection c = TestDatabase.superuserOnKeysDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                keys.put(rs.getObject(1, UUID.class), rs.getBytes(2));
            }
        }
        return keys;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = TestDatabase.superuserOnKeysDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
