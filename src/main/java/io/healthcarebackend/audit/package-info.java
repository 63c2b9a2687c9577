/**
 * The audit trail: who did what to which record, when and from where. Append-only, chained per
 * clinic and sealed with signed checkpoints so tampering is detectable; queried by compliance
 * staff and the {@code /logger} dashboard. Other modules record through {@link io.healthcarebackend.audit.AuditTrail}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package io.healthcarebackend.audit;
