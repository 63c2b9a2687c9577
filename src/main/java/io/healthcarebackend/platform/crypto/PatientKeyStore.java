package io.healthcarebackend.platform.crypto;

import io.healthcarebackend.platform.ClinicId;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where wrapped clinic and patient keys live. Deliberately not the database that holds the
 * ciphertext: a backup of the data must not carry the keys, or erasing a patient (deleting the
 * key) would leave every older backup readable. Stores only wrapped (encrypted) keys.
 */
public interface PatientKeyStore {

    Optional<byte[]> clinicKey(ClinicId clinic);

    /** Stores the clinic key unless one exists already; returns the stored one either way. */
    byte[] clinicKeyIfAbsent(ClinicId clinic, byte[] wrapped);

    void putPatientKey(ClinicId clinic, UUID patient, byte[] wrapped);

    /** The wrapped keys of those patients that have one; erased patients are simply absent. */
    Map<UUID, byte[]> patientKeys(ClinicId clinic, Collection<UUID> patients);

    /** Destroys the key for good; true if there was one. */
    boolean deletePatientKey(ClinicId clinic, UUID patient);
}
