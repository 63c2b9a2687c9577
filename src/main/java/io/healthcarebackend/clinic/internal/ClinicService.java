package io.healthcarebackend.clinic.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.clinic.ClinicView;
import io.healthcarebackend.clinic.Clinics;
import io.healthcarebackend.platform.ApiException;
import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.db.TenantTx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import java.time.ZoneId;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class ClinicService implements Clinics {

    private final JdbcClient jdbc;
    private final TenantTx tx;
    private final Cache<ClinicId, ZoneId> zones = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    ClinicService(JdbcClient jdbc, TenantTx tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Override
    public ClinicView create(ClinicId id, String name, ZoneId timeZone) {
        return tx.inClinic(id, () -> {
            jdbc.sql("insert into clinics (id, name, time_zone) values (:id, :name, :zone)")
                    .param("id", id.value()).param("name", name).param("zone", timeZone.getId())
                    .update();
            return find(id).orElseThrow();
        });
    }

    @Override
    public Optional<ClinicView> find(ClinicId id) {
        return tx.readInClinic(id, () -> jdbc
                .sql("select id, name, time_zone, created_at from clinics where id = :id")
                .param("id", id.value())
                .query(ClinicService::map)
                .optional());
    }

    @Override
    public ZoneId timeZone(ClinicId id) {
        return zones.get(id, key -> find(key).map(ClinicView::timeZone)
                .orElseThrow(() -> new ApiException.NotFound("Clinic")));
    }

    private static ClinicView map(ResultSet rs, int row) throws SQLException {
        return new ClinicView(new ClinicId(rs.getObject("id", java.util.UUID.class)), rs.getString("name"),
                ZoneId.of(rs.getString("time_zone")),
                rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }

}
