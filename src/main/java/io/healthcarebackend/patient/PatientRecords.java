package io.healthcarebackend.patient;

import io.healthcarebackend.platform.CurrentUser;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * The patient record's rules, for data of other modules that belongs to a patient (appointments,
 * their free text, delivery records): the same break-glass rule as the record itself, so a
 * restricted patient's data opens nowhere without an active grant. Runs in the caller's clinic
 * transaction, so another clinic's patient is simply not there.
 */
public interface PatientRecords {

    /**
     * That the caller may attach something new to this patient (book an appointment): 404
     * {@code NOT_FOUND} when the patient is not one of the caller's clinic (exactly as for an id
     * that does not exist), 410 {@code PATIENT_ERASED} when erased, 403
     * {@code EMERGENCY_ACCESS_REQUIRED} when restricted and the caller holds no active grant.
     */
    void requireActive(CurrentUser user, UUID patientId);

    /**
     * That the caller may see the patient's data: 403 {@code EMERGENCY_ACCESS_REQUIRED} when the
     * record is restricted and the caller holds no active grant; nothing otherwise (an unknown or
     * erased patient has nothing left to protect here).
     */
    void requireAccess(CurrentUser user, UUID patientId);

    /** Of these patients, those whose data the caller may not see: one query, plus one per restricted patient. */
    Set<UUID> closedTo(CurrentUser user, Collection<UUID> patientIds);
}
