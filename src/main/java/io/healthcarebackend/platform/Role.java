package io.healthcarebackend.platform;

/** Staff roles of api.md. The token carries exactly one. */
public enum Role {
    PLATFORM_ADMIN, CLINIC_ADMIN, PRACTITIONER, RECEPTIONIST, COMPLIANCE_OFFICER;

    public String authority() {
        return "ROLE_" + name();
    }
}
