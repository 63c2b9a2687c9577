package io.healthcarebackend.identity.internal;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.EmailAddress;
import io.healthcarebackend.platform.Role;
import io.healthcarebackend.platform.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Staff users. Every query names the clinic (null = platform scope) besides row-level security.
 * E-mail addresses are stored normalised ({@link EmailAddress}) and matched exactly: one spelling
 * per account, the one the unique index holds.
 */
@Repository
class UserRepository {

    private static final String COLUMNS = "id, clinic_id, email, name, role, password_hash, active";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(StaffUser user) {
        jdbc.sql("insert into staff_users (" + COLUMNS + ") values "
                + "(:id, cast(:clinic as uuid), :email, :name, :role, :hash, :active)")
                .param("id", user.id().value()).param("clinic", clinic(user.clinicId()))
                .param("email", EmailAddress.of(user.email()).value()).param("name", user.name()).param("role", user.role().name())
                .param("hash", user.passwordHash()).param("active", user.active())
                .update();
    }

    Optional<StaffUser> find(ClinicId clinicId, UserId id) {
        return jdbc.sql("select " + COLUMNS + " from staff_users "
                + "where id = :id and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("id", id.value()).param("clinic", clinic(clinicId))
                .query(UserRepository::map).optional();
    }

    Optional<StaffUser> findByEmail(ClinicId clinicId, EmailAddress email) {
        return jdbc.sql("select " + COLUMNS + " from staff_users "
                + "where email = :email and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("email", email.value()).param("clinic", clinic(clinicId))
                .query(UserRepository::map).optional();
    }

    /**
     * Every holder of the address across clinics and the platform scope, oldest first, through the
     * narrow SECURITY DEFINER function (sign-in comes before any clinic is known).
     */
    List<Holder> holders(EmailAddress email) {
        return jdbc.sql("select id, clinic_id, clinic_name, role, password_hash, active from auth_find_users_by_email(:email)")
                .param("email", email.value())
                .query((rs, row) -> {
                    UUID clinic = rs.getObject("clinic_id", UUID.class);
                    return new Holder(new StaffUser(new UserId(rs.getObject("id", UUID.class)),
                            clinic == null ? null : new ClinicId(clinic), email.value(), null,
                            Role.valueOf(rs.getString("role")), rs.getString("password_hash"),
                            rs.getBoolean("active")), rs.getString("clinic_name"));
                })
                .list();
    }

    /** A holder of an address and the name of its clinic (null for the platform scope). */
    record Holder(StaffUser account, String clinicName) {
    }

    /** Whether any password verifier of an earlier version is left (see {@link Passwords#verify}). */
    boolean legacyVerifiersRemain() {
        return jdbc.sql("select auth_legacy_password_verifiers_remain()").query(Boolean.class).single();
    }

    List<StaffUser> page(ClinicId clinicId, UUID after, int limit) {
        return jdbc.sql("select " + COLUMNS + " from staff_users where clinic_id = :clinic "
                + "and (cast(:after as uuid) is null or id > cast(:after as uuid)) order by id limit :limit")
                .param("clinic", clinicId.value()).param("after", after).param("limit", limit)
                .query(UserRepository::map).list();
    }

    boolean update(ClinicId clinicId, UserId id, Role role, boolean active) {
        return jdbc.sql("update staff_users set role = :role, active = :active, updated_at = now() "
                + "where id = :id and clinic_id = :clinic")
                .param("role", role.name()).param("active", active).param("id", id.value())
                .param("clinic", clinicId.value())
                .update() == 1;
    }

    boolean updatePassword(ClinicId clinicId, UserId id, String hash) {
        return jdbc.sql("update staff_users set password_hash = :hash, updated_at = now() "
                + "where id = :id and clinic_id is not distinct from cast(:clinic as uuid)")
                .param("hash", hash).param("id", id.value()).param("clinic", clinic(clinicId))
                .update() == 1;
    }

    boolean anyIn(ClinicId clinicId) {
        return jdbc.sql("select exists (select 1 from staff_users where clinic_id = :clinic)")
                .param("clinic", clinicId.value()).query(Boolean.class).single();
    }

    /**
     * Locks the clinic's row (so concurrent first-administrator requests queue) and tells whether it
     * has no user yet; a clinic that does not exist is a 404.
     */
    boolean lockClinicWithoutUsers(ClinicId clinicId) {
        jdbc.sql("select id from clinics where id = :clinic for update").param("clinic", clinicId.value())
                .query(UUID.class).optional().orElseThrow(() -> new io.healthcarebackend.platform.ApiException.NotFound(
                        "Clinic"));
        return !anyIn(clinicId);
    }

    boolean platformAdminExists() {
        return jdbc.sql("select platform_admin_exists()").query(Boolean.class).single();
    }

    private static UUID clinic(ClinicId clinicId) {
        return clinicId == null ? null : clinicId.value();
    }

    private static StaffUser map(ResultSet rs, int row) throws SQLException {
        UUID clinic = rs.getObject("clinic_id", UUID.class);
        return new StaffUser(new UserId(rs.getObject("id", UUID.class)), clinic == null ? null : new ClinicId(clinic),
                rs.getString("email"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                rs.getString("password_hash"), rs.getBoolean("active"));
    }
}
