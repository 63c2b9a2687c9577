package io.healthcarebackend.patient.internal;

/** Administrative sex, as in HL7 FHIR's AdministrativeGender. */
enum Sex {
    FEMALE, MALE, OTHER, UNKNOWN
}
