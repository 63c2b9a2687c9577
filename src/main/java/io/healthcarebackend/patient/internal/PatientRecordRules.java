package io.healthcarebackend.patient.internal;

import io.healthcarebackend.patient.PatientRecords;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** {@link PatientRecords}: the rules of {@link RestrictedRecords} for other modules' patient-linked data. */
@Component
class PatientRecordRules implements PatientRecords {

    private final PatientRepository patients;
    private final RestrictedRecords restricted;

    PatientRecordRules(PatientRepository patients, RestrictedRecords restricted) {
        this.patients = patients;
        this.restricted = restricted;
    }

    @Override
    public void requireActive(CurrentUser user, UUID patientId) {
        StoredPatient row = patients.find(user.clinic(), patientId)
                .orElseThrow(() -> new ApiException.NotFound("Patient"));
        if (row.erased()) {
            throw PatientService.erased();
        }
        restricted.requireAccess(user, row);
    }

    @Override
    public void requireAccess(CurrentUser user, UUID patientId) {
        if (!closedTo(user, Set.of(patientId)).isEmpty()) {
            throw RestrictedRecords.refusal();
        }
    }

    @Override
    public Set<UUID> closedTo(CurrentUser user, Collection<UUID> patientIds) {
        if (patientIds.isEmpty()) {
            return Set.of();
        }
        Set<UUID> closed = new HashSet<>();
        for (UUID id : patients.restrictedAmong(user.clinic(), Set.copyOf(patientIds))) {
            if (!restricted.granted(user, id)) {
                closed.add(id);
            }
        }
        return closed;
    }
}
