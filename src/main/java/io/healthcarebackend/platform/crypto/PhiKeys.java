package io.healthcarebackend.platform.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import io.healthcarebackend.platform.ClinicId;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The PHI key hierarchy: master key → clinic key → patient data key. Callers get a patient's
 * {@link Aead}; wrapping, the key store and caching stay in here.
 *
 * <p>Unwrapped keys are cached in memory (bounded, expiring) because the key store is another
 * database: without the cache every patient read would cost a second round trip. A cache miss
 * for a page of patients is one query for all of them. Erasure invalidates this instance's entry
 * at once; other instances never serve an erased patient because the record itself is marked
 * erased and its ciphertext cleared, and their cached key expires after {@code PHI_KEY_CACHE_TTL}.
 */
public final class PhiKeys {

    private final MasterKeyProvider master;
    private final PatientKeyStore store;
    private final Cache<ClinicId, Aead> clinicKeys;
    private final Cache<PatientKey, Aead> patientKeys;

    private record PatientKey(ClinicId clinic, UUID patient) {
    }

    PhiKeys(MasterKeyProvider master, PatientKeyStore store, Duration ttl, long maxPatients) {
        this.master = master;
        this.store = store;
        this.clinicKeys = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();
        this.patientKeys = Caffeine.newBuilder().maximumSize(maxPatients).expireAfterWrite(ttl).build();
    }

    static String clinicContext(ClinicId clinic) {
        return "clinic-key|" + clinic;
    }

    static String patientContext(ClinicId clinic, UUID patient) {
        return "patient-key|" + clinic + "|" + patient;
    }

    /** Creates and stores a new data key for a new patient. */
    public Aead createPatientKey(ClinicId clinic, UUID patient) {
        KeysetHandle keyset = Keysets.generate();
        store.putPatientKey(clinic, patient, Keysets.wrap(keyset, clinicKey(clinic), patientContext(clinic, patient)));
        Aead aead = Keysets.aead(keyset);
        patientKeys.put(new PatientKey(clinic, patient), aead);
        return aead;
    }

    /** The patient's key, or {@link PatientKeyMissing} when it was destroyed. */
    public Aead patientKey(ClinicId clinic, UUID patient) {
        Aead aead = patientKeys(clinic, List.of(patient)).get(patient);
        if (aead == null) {
            throw new PatientKeyMissing(patient);
        }
        return aead;
    }

    /** The keys of those patients that have one, with at most one key-store query for the misses. */
    public Map<UUID, Aead> patientKeys(ClinicId clinic, Collection<UUID> patients) {
        Map<UUID, Aead> found = new HashMap<>();
        List<UUID> missing = new ArrayList<>();
        for (UUID patient : patients) {
            Aead cached = patientKeys.getIfPresent(new PatientKey(clinic, patient));
            if (cached != null) {
                found.put(patient, cached);
            } else {
                missing.add(patient);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        for (Map.Entry<UUID, byte[]> wrapped : store.patientKeys(clinic, missing).entrySet()) {
            Aead aead = Keysets.aead(unwrapPatientKey(clinic, wrapped.getKey(), wrapped.getValue()));
            patientKeys.put(new PatientKey(clinic, wrapped.getKey()), aead);
            found.put(wrapped.getKey(), aead);
        }
        return found;
    }

    /** Crypto-shredding: the key is deleted from the store and forgotten here. */
    public void destroyPatientKey(ClinicId clinic, UUID patient) {
        patientKeys.invalidate(new PatientKey(clinic, patient));
        store.deletePatientKey(clinic, patient);
        // Again: a read running meanwhile may have cached the key between the first invalidation and the delete.
        patientKeys.invalidate(new PatientKey(clinic, patient));
    }

    private KeysetHandle unwrapPatientKey(ClinicId clinic, UUID patient, byte[] wrapped) {
        try {
            return Keysets.unwrap(wrapped, clinicKey(clinic), patientContext(clinic, patient));
        } catch (GeneralSecurityException first) {
            // The cached clinic key may predate a rotation (another process added a version): reload once.
            clinicKeys.invalidate(clinic);
            try {
                return Keysets.unwrap(wrapped, clinicKey(clinic), patientContext(clinic, patient));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the data key of patient " + patient + " does not unwrap");
            }
        }
    }

    private Aead clinicKey(ClinicId clinic) {
        return clinicKeys.get(clinic, this::loadOrCreateClinicKey);
    }

    private Aead loadOrCreateClinicKey(ClinicId clinic) {
        byte[] wrapped = store.clinicKey(clinic).orElseGet(() -> store.clinicKeyIfAbsent(clinic,
                Keysets.wrap(Keysets.generate(), master.masterKey(), clinicContext(clinic))));
        try {
            return Keysets.aead(Keysets.unwrap(wrapped, master.masterKey(), clinicContext(clinic)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key of clinic " + clinic + " does not unwrap with the master key");
        }
    }
}
