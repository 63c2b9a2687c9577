package io.healthcarebackend.platform.crypto;

import io.healthcarebackend.platform.ClinicId;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * At start, before anything is served: the master key must open the clinic keys in the key store.
 * A service given another master key than the one that wrote the key store (another machine's
 * development keyset, a wrong {@code PHI_MASTER_KEYSET}, an old version removed before
 * {@code rotate-keys} finished) would otherwise start and answer every patient with an error; it
 * refuses to start instead, naming the setting and the fix. Checks the most recently written
 * clinic keys (one local decryption each; up to {@value #SAMPLE}). A key store that cannot be
 * reached is not a reason to refuse: requests then answer 503 until it is back.
 */
final class MasterKeyCheck {

    static final int SAMPLE = 1000;
    private static final Logger log = LoggerFactory.getLogger(MasterKeyCheck.class);

    private record Row(ClinicId clinic, byte[] wrapped) {
    }

    MasterKeyCheck(MasterKeyProvider master, PostgresPatientKeyStore store, String keyStoreName) {
        List<Row> rows;
        try {
            rows = store.jdbc.sql("select clinic_id, wrapped_keyset from clinic_keys "
                    + "order by coalesce(rotated_at, created_at) desc limit ?").param(SAMPLE)
                    .query((rs, n) -> new Row(new ClinicId(rs.getObject(1, UUID.class)), rs.getBytes(2))).list();
        } catch (DataAccessException e) {
            log.warn("The PHI key store {} is unreachable: the master key is checked against it at the next start",
                    keyStoreName);
            return;
        }
        List<Row> failed = rows.stream().filter(row -> !opens(master, row)).toList();
        if (!failed.isEmpty()) {
            String message = message(master, keyStoreName, failed.size(), rows.size());
            log.error(message);
            throw new IllegalStateException(message);
        }
    }

    private static boolean opens(MasterKeyProvider master, Row row) {
        try {
            Keysets.unwrap(row.wrapped(), master.masterKey(), PhiKeys.clinicContext(row.clinic()));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String message(MasterKeyProvider master, String keyStoreName, int failed, int checked) {
        return "Refusing to start: the PHI master key from " + master.source() + " does not open " + failed + " of "
                + checked + " clinic keys checked in the key store '" + keyStoreName + "', which was written with "
                + "another master key; every patient of those clinics would fail. Fix: set " + ConfiguredMasterKey.VARIABLE
                + " to the master keyset that wrote this key store (in development, point "
                + ConfiguredMasterKey.DEV_FILE_VARIABLE + " at the file that holds it, or unset it to use this "
                + "database's own file var/databases/<database id>/phi-master-keyset.json); after a master key "
                + "rotation keep the old version in " + ConfiguredMasterKey.VARIABLE + " until rotate-keys has "
                + "finished. A development database whose data may be lost can be recreated instead: drop it and "
                + "its key store, then run make db-init.";
    }
}
