package io.healthcarebackend.audit;

/** What an audit event records. Stored by name: never rename a constant, only add. */
public enum AuditAction {
    CREATE, READ, UPDATE, DELETE, ERASE,
    LOGIN, LOGIN_FAILED, LOGOUT, REFRESH_TOKEN_REUSE, SESSION_REVOKED, MFA_CHANGED,
    ACCESS_DENIED, USER_CREATED, ROLE_CHANGED, USER_DEACTIVATED, USER_REACTIVATED,
    EMERGENCY_ACCESS, EXPORT, KEY_ROTATION, SUSPICIOUS_ACTIVITY, PASSWORD_CHANGED,
    /** An operator made background jobs due now (a dead job retried) or deleted them, on /queue-dashboard. */
    JOB_RETRIED, JOB_DISCARDED,
    /**
     * A platform administrator's support grant for a clinic's administration: asked for (with a
     * reason), approved, denied or revoked by the clinic's administrator, run out, and each
     * operation done under it.
     */
    SUPPORT_GRANT_REQUESTED, SUPPORT_GRANT_APPROVED, SUPPORT_GRANT_DENIED, SUPPORT_GRANT_REVOKED,
    SUPPORT_GRANT_EXPIRED, SUPPORT_GRANT_USED
}
