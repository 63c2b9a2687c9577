package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.db.PgErrors;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class PatientService {

    private final PatientRepository patients;
    private final BlindIndex index;
    private final Clock clock;

    PatientService(PatientRepository patients, BlindIndex index, Clock clock) {
        this.patients = patients;
        this.index = index;
        this.clock = clock;
    }

    /** What a client may set; on update a null field means "leave as is". */
    record Fields(String givenName, String familyName, LocalDate birthDate, Sex sex, String email, String phone,
            Address address, String mrn) {
    }

    @Transactional
    Patient create(ClinicId clinic, Fields f) {
        checkBirthDate(f.birthDate());
        Patient patient = new Patient(Ids.newId(), clinic, f.givenName().strip(), f.familyName().strip(),
                f.birthDate(), f.sex(), blankToNull(f.email()), blankToNull(f.phone()), f.address(),
                blankToNull(f.mrn()), 0, clock.instant(), clock.instant());
        try {
            patients.insert(patient);
        } catch (DataIntegrityViolationException e) {
            throw mapped(e);
        }
        return patient;
    }

    @Transactional(readOnly = true)
    Patient get(ClinicId clinic, UUID id) {
        return patients.find(clinic, id).orElseThrow(() -> new ApiException.NotFound("Patient"));
    }

    @Transactional
    Patient update(ClinicId clinic, UUID id, Fields f) {
        Patient current = get(clinic, id);
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
                current.version() + 1, current.createdAt(), clock.instant());
        try {
            if (!patients.update(next, current.version())) {
                throw new ApiException.Conflict("CONCURRENT_UPDATE", "The patient was changed meanwhile; retry");
            }
        } catch (DataIntegrityViolationException e) {
            throw mapped(e);
        }
        return next;
    }

    @Transactional(readOnly = true)
    List<Patient> search(ClinicId clinic, String name, LocalDate birthDate, String mrn, UUID after, int limit) {
        List<String> names = BlindIndex.words(name).stream().map(w -> index.token(clinic, "name", w)).toList();
        return patients.search(clinic, new PatientRepository.Search(names,
                birthDate == null ? null : index.token(clinic, "birthDate", birthDate.toString()),
                mrn == null || mrn.isBlank() ? null : index.token(clinic, "mrn", mrn.strip()),
                after, limit));
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
