package io.healthcarebackend.audit.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.Ids;
import io.healthcarebackend.platform.db.TenantTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Break-glass grants. Every audit event of a user about a patient they hold an active grant for is
 * flagged as emergency and carries the grant's reason. Lookups are cached per user for a second,
 * because each audited PHI read asks; a grant made on this instance is seen at once.
 */
@Component
class EmergencyGrants {

    record Grant(UUID patientId, String reason, Instant expiresAt) {
    }

    private final JdbcClient jdbc;
    private final TenantTx tx;
    private final Clock clock;
    private final Cache<UUID, Map<UUID, Grant>> byUser = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(1)).maximumSize(10_000).build();

    EmergencyGrants(JdbcClient jdbc, TenantTx tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    Optional<String> activeReason(ClinicId clinic, UUID user, UUID patient) {
        Grant grant = byUser.get(user, u -> load(clinic, u)).get(patient);
        return grant != null && grant.expiresAt().isAfter(clock.instant()) ? Optional.of(grant.reason())
                : Optional.empty();
    }

    Grant grant(ClinicId clinic, UUID user, UUID patient, String reason, Duration length) {
        Instant now = clock.instant();
        Grant grant = new Grant(patient, reason, now.plus(length));
        jdbc.sql("insert into emergency_grants (id, clinic_id, user_id, patient_id, reason, granted_at, expires_at) "
                + "values (:id, :clinic, :user, :patient, :reason, :now, :expires)")
                .param("id", Ids.newId()).param("clinic", clinic.value()).param("user", user)
                .param("patient", patient).param("reason", reason).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(grant.expiresAt())).update();
        byUser.invalidate(user);
        return grant;
    }

    /** Straight from the database: used to decide access, where a second of cache lag is not acceptable. */
    boolean isActive(ClinicId clinic, UUID user, UUID patient) {
        return tx.readInClinic(clinic, () -> jdbc.sql("select exists (select 1 from emergency_grants where "
                + "clinic_id = :clinic and user_id = :user and patient_id = :patient and expires_at > now())")
                .param("clinic", clinic.value()).param("user", user).param("patient", patient)
                .query(Boolean.class).single());
    }

    private Map<UUID, Grant> load(ClinicId clinic, UUID user) {
        List<Grant> grants = tx.readInClinic(clinic, () -> jdbc.sql(
                "select patient_id, reason, expires_at from emergency_grants "
                        + "where clinic_id = :clinic and user_id = :user and expires_at > now()")
                .param("clinic", clinic.value()).param("user", user)
                .query((rs, n) -> new Grant(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getTimestamp(3).toInstant()))
                .list());
        return grants.stream().collect(Collectors.toMap(Grant::patientId, g -> g, (a, b) ->
                a.expiresAt().isAfter(b.expiresAt()) ? a : b));
    }
}
