package io.healthcarebackend.platform.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import io.healthcarebackend.platform.ClinicId;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code rotate-keys}: gives every clinic a new key version and re-wraps it under the master key's
 * newest version, then re-wraps every patient data key under its clinic's new version, in batches.
 * Progress lives in {@code key_rotations} and advances in the same transaction as each batch, so a
 * run that crashes resumes exactly after its last finished batch. Clinic keys keep their old
 * versions (a patient key not yet re-wrapped still unwraps), and once a run has finished the old
 * master key version can be removed from {@code PHI_MASTER_KEYSET}. Running instances keep working
 * throughout: a clinic key they cached before the rotation is reloaded on the first miss.
 */
public final class KeyRotation {

    public record Result(long run, int done, int total, boolean finished) {
    }

    private record Run(long id, UUID after, int done, int total) {
    }

    private record Row(UUID patient, ClinicId clinic, byte[] wrapped) {
    }

    private final MasterKeyProvider master;
    private final PostgresPatientKeyStore store;

    KeyRotation(MasterKeyProvider master, PostgresPatientKeyStore store) {
        this.master = master;
        this.store = store;
    }

    /** Runs (or resumes) a rotation; stops early after {@code maxBatches} batches (0: no limit). */
    public Result rotate(int batchSize, int maxBatches, PrintStream out) {
        Run run = store.tx.execute(status -> openRun());
        out.println(run.done() == 0 ? "rotate-keys: run " + run.id() + " started"
                : "rotate-keys: resuming run " + run.id() + " after " + run.done() + " patients");
        out.print(bar(run.done(), run.total()));
        out.flush();
        int batches = 0;
        while (true) {
            if (maxBatches > 0 && batches == maxBatches) {
                out.println();
                return new Result(run.id(), run.done(), run.total(), false);
            }
            Run current = run;
            Run next = store.tx.execute(status -> batch(current, batchSize));
            if (next == current) {
                break;
            }
            run = next;
            batches++;
            out.print("\r" + bar(run.done(), Math.max(run.total(), run.done())));
            out.flush();
        }
        Run last = run;
        store.tx.executeWithoutResult(status -> store.jdbc
                .sql("update key_rotations set finished_at = now(), done = ? where id = ?")
                .params(last.done(), last.id()).update());
        out.println();
        out.println("rotate-keys: done, " + run.done() + " patient keys re-wrapped");
        return new Result(run.id(), run.done(), Math.max(run.total(), run.done()), true);
    }

    static String bar(int done, int total) {
        int width = 30;
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " patients";
    }

    /** The unfinished run, or a new one whose first step rotates every clinic key. */
    private Run openRun() {
        List<Run> open = store.jdbc.sql("select id, after_patient, done, total from key_rotations "
                + "where finished_at is null for update")
                .query((rs, n) -> new Run(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3), rs.getInt(4)))
                .list();
        if (!open.isEmpty()) {
            return open.getFirst();
        }
        List<Row> clinics = store.jdbc.sql("select clinic_id, wrapped_keyset from clinic_keys for update")
                .query((rs, n) -> new Row(null, new ClinicId(rs.getObject(1, UUID.class)), rs.getBytes(2))).list();
        for (Row clinic : clinics) {
            KeysetHandle rotated = Keysets.rotate(unwrapClinic(clinic.clinic(), clinic.wrapped()));
            store.jdbc.sql("update clinic_keys set wrapped_keyset = ?, rotated_at = now() where clinic_id = ?")
                    .params(Keysets.wrap(rotated, master.masterKey(), PhiKeys.clinicContext(clinic.clinic())),
                            clinic.clinic().value())
                    .update();
        }
        int total = store.jdbc.sql("select count(*) from patient_keys").query(Integer.class).single();
        long id = store.jdbc.sql("insert into key_rotations (total) values (?) returning id").param(total)
                .query(Long.class).single();
        return new Run(id, null, 0, total);
    }

    private Run batch(Run run, int size) {
        List<Row> rows = store.jdbc.sql("select patient_id, clinic_id, wrapped_keyset from patient_keys "
                + "where patient_id > coalesce(?, '00000000-0000-0000-0000-000000000000'::uuid) "
                + "order by patient_id limit ? for update")
                .params(run.after(), size)
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), new ClinicId(rs.getObject(2, UUID.class)),
                        rs.getBytes(3)))
                .list();
        if (rows.isEmpty()) {
            return run;
        }
        Map<ClinicId, Aead> clinicKeys = new HashMap<>();
        for (Row row : rows) {
            Aead clinicKey = clinicKeys.computeIfAbsent(row.clinic(), c -> Keysets.aead(unwrapClinic(c,
                    store.clinicKey(c).orElseThrow(() -> new IllegalStateException("clinic " + c + " has no key")))));
            String context = PhiKeys.patientContext(row.clinic(), row.patient());
            try {
                KeysetHandle patientKey = Keysets.unwrap(row.wrapped(), clinicKey, context);
                store.jdbc.sql("update patient_keys set wrapped_keyset = ?, rotated_at = now() where patient_id = ?")
                        .params(Keysets.wrap(patientKey, clinicKey, context), row.patient()).update();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the data key of patient " + row.patient() + " does not unwrap");
            }
        }
        UUID after = rows.getLast().patient();
        int done = run.done() + rows.size();
        store.jdbc.sql("update key_rotations set after_patient = ?, done = ? where id = ?")
                .params(after, done, run.id()).update();
        return new Run(run.id(), after, done, run.total());
    }

    private KeysetHandle unwrapClinic(ClinicId clinic, byte[] wrapped) {
        try {
            return Keysets.unwrap(wrapped, master.masterKey(), PhiKeys.clinicContext(clinic));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key of clinic " + clinic + " does not unwrap with the master key");
        }
    }
}
