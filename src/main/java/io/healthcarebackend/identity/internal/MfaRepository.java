package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.UserId;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The second factor of staff users ({@code staff_mfa}, {@code staff_mfa_recovery_codes}) and the
 * clinic's "MFA mandatory" flag. Every statement names the clinic (null = platform scope) besides
 * row-level security and goes by primary key; callers run it in a transaction for that clinic.
 */
@Repository
class MfaRepository {

    /** What a user's second factor looks like now. */
    record State(boolean enrolling, boolean active, int recoveryCodesLeft) {
        static final State NONE = new State(false, false, 0);
    }

    /** The row as it was when an attempt was counted against it. */
    record Attempt(byte[] sealedSecret, boolean active, long lastStep) {
    }

    record EnrollmentTokenRow(byte[] hash, Instant expiresAt) {
    }

    private final JdbcClient jdbc;

    MfaRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean clinicRequiresMfa(ClinicId clinic) {
        return clinic != null && jdbc.sql("select mfa_required from clinics where id = :id")
                .param("id", clinic.value()).query(Boolean.class).optional().orElse(false);
    }

    Optional<Boolean> clinicSetting(ClinicId clinic) {
        return jdbc.sql("select mfa_required from clinics where id = :id").param("id", clinic.value())
                .query(Boolean.class).optional();
    }

    boolean setClinicSetting(ClinicId clinic, boolean required) {
        return jdbc.sql("update clinics set mfa_required = :required where id = :id")
                .param("required", required).param("id", clinic.value()).update() == 1;
    }

    State state(ClinicId clinic, UserId user) {
        return jdbc.sql("""
                select m.secret is not null and not m.active as enrolling, m.active,
                       (select count(*) from staff_mfa_recovery_codes r
                         where r.user_id = m.user_id and r.clinic_id is not distinct from m.clinic_id) as codes
                  from staff_mfa m
                 where m.user_id = :user and m.clinic_id is not distinct from cast(:clinic as uuid)""")
                .param("user", user.value()).param("clinic", value(clinic))
                .query((rs, row) -> new State(rs.getBoolean("enrolling"), rs.getBoolean("active"), rs.getInt("codes")))
                .optional().orElse(State.NONE);
    }

    /** Stores a new, not yet confirmed key; refused (false) while a confirmed one exists. */
    boolean startEnrollment(ClinicId clinic, UserId user, byte[] sealedSecret, Instant now) {
        return jdbc.sql("""
                insert into staff_mfa (user_id, clinic_id, secret, secret_created_at)
                values (:user, cast(:clinic as uuid), :secret, :now)
                on conflict (user_id) do update set secret = excluded.secret, secret_created_at = excluded.secret_created_at,
                       last_step = 0
                 where staff_mfa.active = false and staff_mfa.clinic_id is not distinct from excluded.clinic_id""")
                .param("user", user.value()).param("clinic", value(clinic)).param("secret", sealedSecret)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    /**
     * Counts one attempt before the code is checked and returns the key to check it with; empty
     * while the second factor is locked (or there is no key). Reaching {@code maxFailures} locks
     * it for {@code lockout} × 2^(locks in a row), at most {@code maxLockout}. Counting first means
     * parallel guesses are limited too: each one takes a slot under the row lock. A success
     * resets the count ({@link #acceptStep}, {@link #resetFailures}).
     */
    Optional<Attempt> countAttempt(ClinicId clinic, UserId user, Instant now, int maxFailures, Duration lockout,
            Duration maxLockout) {
        return jdbc.sql("""
                update staff_mfa set
                       failures = case when locked_until is not null then 1 else failures + 1 end,
                       lockouts = case when (case when locked_until is not null then 1 else failures + 1 end) >= :max
                                       then lockouts + 1 else lockouts end,
                       locked_until = case when (case when locked_until is not null then 1 else failures + 1 end) >= :max
                                           then cast(:now as timestamptz) + make_interval(secs =>
                                                least(:base * power(2, least(lockouts, 30)), :cap))
                                           else null end
                 where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid)
                   and secret is not null and (locked_until is null or locked_until <= :now)
                returning secret, active, last_step""")
                .param("max", maxFailures).param("now", Timestamp.from(now))
                .param("base", (double) lockout.toSeconds()).param("cap", (double) maxLockout.toSeconds())
                .param("user", user.value()).param("clinic", value(clinic))
                .query((rs, row) -> new Attempt(rs.getBytes("secret"), rs.getBoolean("active"), rs.getLong("last_step")))
                .optional();
    }

    Optional<Instant> lockedUntil(ClinicId clinic, UserId user) {
        return jdbc.sql("select locked_until from staff_mfa where user_id = :user "
                + "and clinic_id is not distinct from cast(:clinic as uuid) and locked_until is not null")
                .param("user", user.value()).param("clinic", value(clinic))
                .query(Timestamp.class).optional().map(Timestamp::toInstant);
    }

    /** Marks a time step used (only a later one may follow) and clears the failure count. */
    boolean acceptStep(ClinicId clinic, UserId user, long step) {
        return jdbc.sql("""
                update staff_mfa set last_step = :step, failures = 0, lockouts = 0, locked_until = null
                 where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid) and last_step < :step""")
                .param("step", step).param("user", user.value()).param("clinic", value(clinic))
                .update() == 1;
    }

    void resetFailures(ClinicId clinic, UserId user) {
        jdbc.sql("update staff_mfa set failures = 0, lockouts = 0, locked_until = null "
                + "where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("user", user.value()).param("clinic", value(clinic)).update();
    }

    void activate(ClinicId clinic, UserId user, Instant now) {
        jdbc.sql("""
                update staff_mfa set active = true, activated_at = :now,
                       enrollment_token_hash = null, enrollment_token_expires_at = null
                 where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid)""")
                .param("now", Timestamp.from(now)).param("user", user.value()).param("clinic", value(clinic))
                .update();
    }

    /** Removes the second factor and its recovery codes. */
    boolean delete(ClinicId clinic, UserId user) {
        deleteRecoveryCodes(clinic, user);
        return jdbc.sql("delete from staff_mfa where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("user", user.value()).param("clinic", value(clinic)).update() == 1;
    }

    void replaceRecoveryCodes(ClinicId clinic, UserId user, List<byte[]> hashes, Instant now) {
        deleteRecoveryCodes(clinic, user);
        for (byte[] hash : hashes) {
            jdbc.sql("insert into staff_mfa_recovery_codes (user_id, clinic_id, code_hash, created_at) "
                    + "values (:user, cast(:clinic as uuid), :hash, :now)")
                    .param("user", user.value()).param("clinic", value(clinic)).param("hash", hash)
                    .param("now", Timestamp.from(now)).update();
        }
    }

    /** Uses up a recovery code: true exactly once per code. */
    boolean useRecoveryCode(ClinicId clinic, UserId user, byte[] hash) {
        return jdbc.sql("delete from staff_mfa_recovery_codes where user_id = :user and code_hash = :hash "
                + "and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("user", user.value()).param("hash", hash).param("clinic", value(clinic))
                .update() == 1;
    }

    /** Saves (replacing any earlier) the hash of a user's enrollment token. */
    void saveEnrollmentToken(ClinicId clinic, UserId user, byte[] hash, Instant expiresAt) {
        jdbc.sql("""
                insert into staff_mfa (user_id, clinic_id, enrollment_token_hash, enrollment_token_expires_at)
                values (:user, cast(:clinic as uuid), :hash, :expires)
                on conflict (user_id) do update set enrollment_token_hash = excluded.enrollment_token_hash,
                       enrollment_token_expires_at = excluded.enrollment_token_expires_at
                 where staff_mfa.clinic_id is not distinct from excluded.clinic_id""")
                .param("user", user.value()).param("clinic", value(clinic)).param("hash", hash)
                .param("expires", Timestamp.from(expiresAt)).update();
    }

    Optional<EnrollmentTokenRow> enrollmentToken(ClinicId clinic, UserId user) {
        return jdbc.sql("select enrollment_token_hash, enrollment_token_expires_at from staff_mfa "
                + "where user_id = :user and clinic_id is not distinct from cast(:clinic as uuid) "
                + "and enrollment_token_hash is not null")
                .param("user", user.value()).param("clinic", value(clinic))
                .query((rs, row) -> new EnrollmentTokenRow(rs.getBytes(1), rs.getTimestamp(2).toInstant()))
                .optional();
    }

    private void deleteRecoveryCodes(ClinicId clinic, UserId user) {
        jdbc.sql("delete from staff_mfa_recovery_codes where user_id = :user "
                + "and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("user", user.value()).param("clinic", value(clinic)).update();
    }

    private static UUID value(ClinicId clinic) {
        return clinic == null ? null : clinic.value();
    }
}
