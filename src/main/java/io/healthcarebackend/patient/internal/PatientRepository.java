package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The only code that reads or writes patient PHI columns, which hold ciphertext only (see
 * {@link PhiCodec}). Searches filter on blind-index tokens only; every statement names the clinic
 * besides row-level security.
 */
@Repository
class PatientRepository {

    private static final String COLUMNS = "id, clinic_id, given_name, family_name, birth_date, sex, email, phone, "
            + "address, mrn, push_token, version, created_at, updated_at, erased_at, restricted";

    private final JdbcClient jdbc;
    private final BlindIndex index;

    PatientRepository(JdbcClient jdbc, BlindIndex index) {
        this.jdbc = jdbc;
        this.index = index;
    }

    void insert(Patient p, StoredPatient.Sealed sealed) {
        jdbc.sql("insert into patients (id, clinic_id, given_name, family_name, birth_date, sex, email, phone, "
                + "address, mrn, version, created_at, updated_at, name_index, birth_date_index, mrn_index) values "
                + "(:id, :clinic, :given, :family, :birth, :sex, :email, :phone, :address, :mrn, 0, :created, "
                + ":created, :nameIndex, :birthIndex, :mrnIndex)")
                .params(params(p, sealed))
                .param("created", Timestamp.from(p.createdAt()))
                .update();
    }

    boolean update(Patient p, StoredPatient.Sealed sealed, int expectedVersion) {
        return jdbc.sql("update patients set given_name = :given, family_name = :family, birth_date = :birth, "
                + "sex = :sex, email = :email, phone = :phone, address = :address, mrn = :mrn, "
                + "name_index = :nameIndex, birth_date_index = :birthIndex, mrn_index = :mrnIndex, "
                + "version = version + 1, updated_at = now() "
                + "where clinic_id = :clinic and id = :id and version = :expected and erased_at is null")
                .params(params(p, sealed))
                .param("expected", expectedVersion)
                .update() == 1;
    }

    /**
     * Erasure: the ciphertext and the blind-index tokens (keyed hashes of PHI) go; the row stays as
     * a tombstone so appointments and the audit trail keep their reference. False if already erased.
     */
    boolean erase(ClinicId clinic, UUID id) {
        return jdbc.sql("update patients set given_name = null, family_name = null, birth_date = null, sex = null, "
                + "email = null, phone = null, address = null, mrn = null, push_token = null, name_index = '{}', "
                + "birth_date_index = null, mrn_index = null, erased_at = now(), version = version + 1, "
                + "updated_at = now() where clinic_id = :clinic and id = :id and erased_at is null")
                .param("clinic", clinic.value()).param("id", id)
                .update() == 1;
    }

    /**
     * Sets (a ciphertext) or clears (null) the push token, under the same optimistic version check
     * as {@link #update}. False if the row changed meanwhile or was erased.
     */
    boolean updatePushToken(ClinicId clinic, UUID id, byte[] sealedToken, int expectedVersion) {
        return jdbc.sql("update patients set push_token = :token, version = version + 1, updated_at = now() "
                + "where clinic_id = :clinic and id = :id and version = :expected and erased_at is null")
                .param("clinic", clinic.value()).param("id", id).param("token", sealedToken)
                .param("expected", expectedVersion)
                .update() == 1;
    }

    boolean restrict(ClinicId clinic, UUID id, boolean restricted) {
        return jdbc.sql("update patients set restricted = :restricted, version = version + 1, updated_at = now() "
                + "where clinic_id = :clinic and id = :id and erased_at is null")
                .param("clinic", clinic.value()).param("id", id).param("restricted", restricted)
                .update() == 1;
    }

    Optional<StoredPatient> find(ClinicId clinic, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from patients where clinic_id = :clinic and id = :id")
                .param("clinic", clinic.value()).param("id", id)
                .query(this::map).optional();
    }

    /**
     * Of these patients of the clinic, the restricted ones. An erased record is no longer
     * restricted: nothing of it is left to protect (its key is destroyed).
     */
    List<UUID> restrictedAmong(ClinicId clinic, java.util.Set<UUID> ids) {
        return jdbc.sql("select id from patients where clinic_id = :clinic and id in (:ids) and restricted "
                        + "and erased_at is null")
                .param("clinic", clinic.value()).param("ids", ids)
                .query((rs, n) -> rs.getObject(1, UUID.class)).list();
    }

    record Search(List<String> nameTokens, String birthDateToken, String mrnToken, UUID after, int limit) {
    }

    List<StoredPatient> search(ClinicId clinic, Search search) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS
                + " from patients where clinic_id = :clinic and erased_at is null");
        Map<String, Object> params = new HashMap<>();
        params.put("clinic", clinic.value());
        if (!search.nameTokens().isEmpty()) {
            sql.append(" and name_index @> cast(:names as text[])");
            params.put("names", search.nameTokens().toArray(String[]::new));
        }
        if (search.birthDateToken() != null) {
            sql.append(" and birth_date_index = :birth");
            params.put("birth", search.birthDateToken());
        }
        if (search.mrnToken() != null) {
            sql.append(" and mrn_index = :mrn");
            params.put("mrn", search.mrnToken());
        }
        if (search.after() != null) {
            sql.append(" and id > :after");
            params.put("after", search.after());
        }
        sql.append(" order by id limit :limit");
        params.put("limit", search.limit());
        return jdbc.sql(sql.toString()).params(params).query(this::map).list();
    }

    private Map<String, Object> params(Patient p, StoredPatient.Sealed s) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", p.id());
        params.put("clinic", p.clinicId().value());
        params.put("given", s.givenName());
        params.put("family", s.familyName());
        params.put("birth", s.birthDate());
        params.put("sex", s.sex());
        params.put("email", s.email());
        params.put("phone", s.phone());
        params.put("address", s.address());
        params.put("mrn", s.mrn());
        params.put("nameIndex", index.nameTokens(p.clinicId(), p.givenName(), p.familyName()).toArray(String[]::new));
        params.put("birthIndex", index.token(p.clinicId(), "birthDate", p.birthDate().toString()));
        params.put("mrnIndex", p.mrn() == null ? null : index.token(p.clinicId(), "mrn", p.mrn()));
        return params;
    }

    private StoredPatient map(ResultSet rs, int row) throws SQLException {
        return new StoredPatient(rs.getObject("id", UUID.class), new ClinicId(rs.getObject("clinic_id", UUID.class)),
                new StoredPatient.Sealed(rs.getBytes("given_name"), rs.getBytes("family_name"),
                        rs.getBytes("birth_date"), rs.getBytes("sex"), rs.getBytes("email"), rs.getBytes("phone"),
                        rs.getBytes("address"), rs.getBytes("mrn")),
                rs.getBytes("push_token"), rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getTimestamp("erased_at") != null,
                rs.getBoolean("restricted"));
    }
}
