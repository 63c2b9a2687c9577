package io.healthcarebackend.audit;

public enum AuditOutcome {
    SUCCESS, FAILURE, DENIED
}
