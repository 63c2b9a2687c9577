package io.healthcarebackend.patient.internal;

import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.audit.EmergencyAccess;
import io.healthcarebackend.audit.PatientAccessReport;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.CurrentUser;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Who may open a record and who did: restriction, break-glass grants and the access report. */
@Service
class PatientAccess {

    private final PatientRepository patients;
    private final EmergencyAccess emergency;
    private final PatientAccessReport report;
    private final AuditTrail audit;
    private final RestrictedRecords restricted;

    PatientAccess(PatientRepository patients, EmergencyAccess emergency, PatientAccessReport report,
            AuditTrail audit, RestrictedRecords restricted) {
        this.restricted = restricted;
        this.patients = patients;
        this.emergency = emergency;
        this.report = report;
        this.audit = audit;
    }

    @Transactional
    EmergencyAccess.Grant breakGlass(CurrentUser user, UUID patientId, String reason) {
        StoredPatient row = existing(user, patientId);
        if (row.erased()) {
            throw PatientService.erased();
        }
        return emergency.grant(user, patientId, reason);
    }

    @Transactional
    void restrict(CurrentUser user, UUID patientId, boolean restricted) {
        existing(user, patientId);
        if (!patients.restrict(user.clinic(), patientId, restricted)) {
            throw PatientService.erased();
        }
        audit.recordWithChange(AuditEvent.by(user, AuditAction.UPDATE, AuditOutcome.SUCCESS).patient(patientId)
                .reason(restricted ? "record restricted" : "restriction lifted"));
    }

    /**
     * Also for erased patients: who saw the record before it was erased stays answerable. The
     * report of a restricted record (its break-glass reasons are free text about the patient) opens
     * like the record: only under an active grant; an erased record is no longer restricted.
     */
    @Transactional(readOnly = true)
    List<PatientAccessReport.Entry> report(CurrentUser user, UUID patientId, PatientAccessReport.Cursor before,
            int limit) {
        StoredPatient row = existing(user, patientId);
        if (!row.erased()) {
            restricted.requireAccess(user, row);
        }
        return report.forPatient(user.clinic(), patientId, before, limit);
    }

    private StoredPatient existing(CurrentUser user, UUID patientId) {
        return patients.find(user.clinic(), patientId).orElseThrow(() -> new ApiException.NotFound("Patient"));
    }
}
