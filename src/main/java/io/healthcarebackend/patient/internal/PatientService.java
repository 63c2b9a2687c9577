package io.healthcarebackend.patient.internal;

import com.google.crypto.tink.Aead;
import io.healthcarebackend.audit.AuditAction;
import io.healthcarebackend.audit.AuditEvent;
import io.healthcarebackend.audit.AuditOutcome;
import io.healthcarebackend.audit.AuditTrail;
import io.healthcarebackend.patient.PatientErased;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.CurrentUser;
import io.healthcarebackend.platform.Cursor;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.Page;
import io.healthcarebackend.platform.crypto.PatientKeyMissing;
import io.healthcarebackend.platform.crypto.PhiKeys;
import io.healthcarebackend.platform.db.PgErrors;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Patient records: PHI is encrypted with the patient's own data key before it reaches the
 * repository and decrypted after it leaves. Every write is audited in its transaction; every read
 * is audited durably (one event per patient returned) before the answer goes out.
 */
@Service
class PatientService {

    private static final Logger log = LoggerFactory.getLogger(PatientService.class);

    private final PatientRepository patients;
    private final BlindIndex index;
    private final PhiCodec codec;
    private final PhiKeys keys;
    private final AuditTrail audit;
    private final RestrictedRecords restricted;
    private final TransactionTemplate read;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PatientService(PatientRepository patients, BlindIndex index, PhiCodec codec, PhiKeys keys, AuditTrail audit,
            RestrictedRecords restricted, PlatformTransactionManager transactions, ApplicationEventPublisher events,
            Clock clock) {
        this.events = events;
        this.restricted = restricted;
        this.patients = patients;
        this.index = index;
        this.codec = codec;
        this.keys = keys;
        this.audit = audit;
        this.read = new TransactionTemplate(transactions);
        this.read.setReadOnly(true);
        this.clock = clock;
    }

    /** What a client may set; on update a null field means "leave as is". */
    record Fields(String givenName, String familyName, LocalDate birthDate, Sex sex, String email, String phone,
            Address address, String mrn) {
    }

    @Transactional
    Patient create(CurrentUser user, Fields f) {
        ClinicId clinic = user.clinic();
        checkBirthDate(f.birthDate());
        Patient patient = new Patient(Ids.newId(), clinic, f.givenName().strip(), f.familyName().strip(),
                f.birthDate(), f.sex(), blankToNull(f.email()), blankToNull(f.phone()), f.address(),
                blankToNull(f.mrn()), 0, clock.instant(), clock.instant(), false);
        Aead key = keys.createPatientKey(clinic, patient.id());
        try {
            patients.insert(patient, codec.seal(patient, key));
        } catch (DataIntegrityViolationException e) {
            // The key was stored first (another database); a refused row must not leave it behind.
            keys.destroyPatientKey(clinic, patient.id());
            throw mapped(e);
        }
        audit.recordWithChange(AuditEvent.by(user, AuditAction.CREATE, AuditOutcome.SUCCESS).patient(patient.id()));
        return patient;
    }

    /** Reads outside any transaction that is still open when the audit event is written. */
    Patient get(CurrentUser user, UUID id) {
        ClinicId clinic = user.clinic();
        StoredPatient row = read.execute(status -> patients.find(clinic, id))
                .orElseThrow(() -> new ApiException.NotFound("Patient"));
        Aead key = key(row);
        restricted.requireAccess(user, row);
        Patient patient = open(row, key);
        audit.recordDurably(AuditEvent.by(user, AuditAction.READ, AuditOutcome.SUCCESS).patient(id));
        return patient;
    }

    @Transactional
    Patient update(CurrentUser user, UUID id, Fields f) {
        ClinicId clinic = user.clinic();
        StoredPatient row = patients.find(clinic, id).orElseThrow(() -> new ApiException.NotFound("Patient"));
        Aead key = key(row);
        restricted.requireAccess(user, row);
        Patient current = open(row, key);
        LocalDate birthDate = f.birthDate() == null ? current.birthDate() : f.birthDate();
        checkBirthDate(birthDate);
        Patient next = new Patient(id, clinic,
                f.givenName() == null ? current.givenName() : f.givenName().strip(),
                f.familyName() == null ? current.familyName() : f.familyName().strip(),
                birthDate,
                f.sex() == null ? current.sex() : f.sex(),
                f.email() == null ? current.email() : blankToNull(f.email()),
                f.phone() == null ? current.phone() : blankToNull(f.phone()),
                f.address() == null ? current.address() : f.address(),
                f.mrn() == null ? current.mrn() : blankToNull(f.mrn()),
                current.version() + 1, current.createdAt(), clock.instant(), current.restricted());
        try {
            if (!patients.update(next, codec.seal(next, key), current.version())) {
                throw new ApiException.Conflict("CONCURRENT_UPDATE", "The patient was changed meanwhile; retry");
            }
        } catch (DataIntegrityViolationException e) {
            throw mapped(e);
        }
        audit.recordWithChange(AuditEvent.by(user, AuditAction.UPDATE, AuditOutcome.SUCCESS).patient(id));
        return next;
    }

    /**
     * Sets (token non-null) or clears (null) the device token of the patient's app, as an update of
     * the record: same refusals as {@link #update} (404, 410, restricted 403), same version bump and
     * conflict answer, same audit event. Only the key is needed to seal the token; the rest of the
     * record stays sealed. The token itself goes nowhere but the ciphertext.
     */
    @Transactional
    void setPushToken(CurrentUser user, UUID id, String token) {
        ClinicId clinic = user.clinic();
        StoredPatient row = patients.find(clinic, id).orElseThrow(() -> new ApiException.NotFound("Patient"));
        Aead key = key(row);
        restricted.requireAccess(user, row);
        byte[] sealed = token == null ? null : codec.sealPushToken(clinic, id, token, key);
        if (!patients.updatePushToken(clinic, id, sealed, row.version())) {
            throw new ApiException.Conflict("CONCURRENT_UPDATE", "The patient was changed meanwhile; retry");
        }
        audit.recordWithChange(AuditEvent.by(user, AuditAction.UPDATE, AuditOutcome.SUCCESS).patient(id));
    }

    /**
     * GDPR Art. 17 by crypto-shredding. The row becomes a tombstone (ciphertext and search tokens
     * cleared) and the audit event is written in the same transaction; the patient's key is
     * destroyed last, before the commit: if the key store fails, nothing is erased and the client
     * retries; if the commit fails after the key is gone, the data is unreadable anyway (reads
     * answer 410) and a retried DELETE completes the tombstone and its audit event.
     *
     * <p>{@link PatientErased} is published before the key is destroyed; its listeners act in this
     * transaction (scheduling cancels the patient's future appointments, audited, their reminders
     * withdrawn), so the erasure commits with them or not at all.
     */
    @Transactional
    void erase(CurrentUser user, UUID id) {
        ClinicId clinic = user.clinic();
        StoredPatient row = patients.find(clinic, id).orElseThrow(() -> new ApiException.NotFound("Patient"));
        if (row.erased() || !patients.erase(clinic, id)) {
            throw erased();
        }
        audit.recordWithChange(AuditEvent.by(user, AuditAction.ERASE, AuditOutcome.SUCCESS).patient(id));
        events.publishEvent(new PatientErased(user, id));
        keys.destroyPatientKey(clinic, id);
    }

    /** One page; only the patients shown are decrypted and audited (not the look-ahead row). */
    Page<Patient> search(CurrentUser user, String name, LocalDate birthDate, String mrn, UUID after, int limit) {
        ClinicId clinic = user.clinic();
        List<String> names = BlindIndex.words(name).stream().map(w -> index.token(clinic, "name", w)).toList();
        PatientRepository.Search search = new PatientRepository.Search(names,
                birthDate == null ? null : index.token(clinic, "birthDate", birthDate.toString()),
                mrn == null || mrn.isBlank() ? null : index.token(clinic, "mrn", mrn.strip()),
                after, limit + 1);
        List<StoredPatient> rows = read.execute(status -> patients.search(clinic, search));
        List<StoredPatient> shown = rows.subList(0, Math.min(limit, rows.size()));
        Map<UUID, Aead> found = keys.patientKeys(clinic, shown.stream().map(StoredPatient::id).toList());
        List<Patient> items = new ArrayList<>();
        List<AuditEvent> opened = new ArrayList<>();
        for (StoredPatient row : shown) {
            Aead key = found.get(row.id());
            if (key == null) { // no key: erased a moment ago, the row is a tombstone by now
                continue;
            }
            if (!restricted.mayOpen(user, row)) {
                items.add(Patient.redacted(row)); // shows that it exists, so break-glass can be asked for
                continue;
            }
            items.add(open(row, key));
            opened.add(AuditEvent.by(user, AuditAction.READ, AuditOutcome.SUCCESS).patient(row.id()));
        }
        audit.recordDurably(opened);
        String next = rows.size() > limit && !shown.isEmpty() ? Cursor.ofId(shown.getLast().id()) : null;
        return new Page<>(items, next);
    }

    private Aead key(StoredPatient row) {
        if (row.erased()) {
            throw erased();
        }
        try {
            return keys.patientKey(row.clinicId(), row.id());
        } catch (PatientKeyMissing e) {
            throw erased();
        }
    }

    private Patient open(StoredPatient row, Aead key) {
        try {
            return codec.open(row, key);
        } catch (GeneralSecurityException e) {
            // Ciphertext that fails authentication was tampered with or moved from another row.
            // Ids only in the log: the values are PHI (and unreadable anyway).
            log.error("Patient record {} of clinic {} failed decryption (integrity check)", row.id(), row.clinicId());
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "RECORD_UNREADABLE",
                    "The record failed its integrity check");
        }
    }

    static ApiException erased() {
        return new ApiException(HttpStatus.GONE, "PATIENT_ERASED", "The patient's data was erased");
    }

    private void checkBirthDate(LocalDate birthDate) {
        if (birthDate.isAfter(LocalDate.now(clock)) || birthDate.isBefore(LocalDate.of(1880, 1, 1))) {
            throw new ApiException.BadRequest("INVALID_BIRTH_DATE", "birthDate must be in the past and after 1880");
        }
    }

    private static RuntimeException mapped(DataIntegrityViolationException e) {
        if (PgErrors.is(e, PgErrors.UNIQUE_VIOLATION) && "patients_mrn_key".equals(PgErrors.constraint(e))) {
            return new ApiException.Conflict("MRN_TAKEN", "Another patient of this clinic has this MRN");
        }
        return e;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
