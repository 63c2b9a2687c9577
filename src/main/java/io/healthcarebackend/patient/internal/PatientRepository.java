package io.healthcarebackend.patient.internal;

import io.healthcarebackend.platform.ClinicId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only code that reads or writes patient PHI columns. Searches filter on blind-index tokens
 * only; every statement names the clinic besides row-level security.
 */
@Repository
class PatientRepository {

    private static final String COLUMNS = "id, clinic_id, given_name, family_name, birth_date, sex, email, phone, "
            + "address, mrn, version, created_at, updated_at";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final BlindIndex index;

    PatientRepository(JdbcClient jdbc, JsonMapper json, BlindIndex index) {
        this.jdbc = jdbc;
        this.json = json;
        this.index = index;
    }

    void insert(Patient p) {
        jdbc.sql("insert into patients (" + COLUMNS + ", name_index, birth_date_index, mrn_index) values "
                + "(:id, :clinic, :given, :family, :birth, :sex, :email, :phone, :address, :mrn, 0, :created, "
                + ":created, :nameIndex, :birthIndex, :mrnIndex)")
                .params(params(p))
                .param("created", Timestamp.from(p.createdAt()))
                .update();
    }

    boolean update(Patient p, int expectedVersion) {
        return jdbc.sql("update patients set given_name = :given, family_name = :family, birth_date = :birth, "
                + "sex = :sex, email = :email, phone = :phone, address = :address, mrn = :mrn, "
                + "name_index = :nameIndex, birth_date_index = :birthIndex, mrn_index = :mrnIndex, "
                + "version = version + 1, updated_at = now() "
                + "where clinic_id = :clinic and id = :id and version = :expected")
                .params(params(p))
                .param("expected", expectedVersion)
                .update() == 1;
    }

    Optional<Patient> find(ClinicId clinic, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from patients where clinic_id = :clinic and id = :id")
                .param("clinic", clinic.value()).param("id", id)
                .query(this::map).optional();
    }

    record Search(List<String> nameTokens, String birthDateToken, String mrnToken, UUID after, int limit) {
    }

    List<Patient> search(ClinicId clinic, Search search) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from patients where clinic_id = :clinic");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
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

    private java.util.Map<String, Object> params(Patient p) {
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        params.put("id", p.id());
        params.put("clinic", p.clinicId().value());
        params.put("given", p.givenName());
        params.put("family", p.familyName());
        params.put("birth", p.birthDate());
        params.put("sex", p.sex() == null ? null : p.sex().name());
        params.put("email", p.email());
        params.put("phone", p.phone());
        params.put("address", p.address() == null ? null : json.writeValueAsString(p.address()));
        params.put("mrn", p.mrn());
        params.put("nameIndex", index.nameTokens(p.clinicId(), p.givenName(), p.familyName()).toArray(String[]::new));
        params.put("birthIndex", index.token(p.clinicId(), "birthDate", p.birthDate().toString()));
        params.put("mrnIndex", p.mrn() == null ? null : index.token(p.clinicId(), "mrn", p.mrn()));
        return params;
    }

    private Patient map(ResultSet rs, int row) throws SQLException {
        String sex = rs.getString("sex");
        String address = rs.getString("address");
        return new Patient(rs.getObject("id", UUID.class), new ClinicId(rs.getObject("clinic_id", UUID.class)),
                rs.getString("given_name"), rs.getString("family_name"), rs.getObject("birth_date", LocalDate.class),
                sex == null ? null : Sex.valueOf(sex), rs.getString("email"), rs.getString("phone"),
                address == null ? null : json.readValue(address, Address.class), rs.getString("mrn"),
                rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
