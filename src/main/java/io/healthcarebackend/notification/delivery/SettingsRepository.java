package io.healthcarebackend.notification.delivery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.healthcarebackend.notification.channel.Channel;
import io.healthcarebackend.notification.delivery.NotificationSettings.Template;
import io.healthcarebackend.platform.ClinicId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clinics' notification settings (defaults for a clinic that never set any). Booking reads them
 * on every appointment, so they are cached per instance for {@value #CACHE_SECONDS} s: a change
 * reaches other instances' planning within that time, and this instance's at once.
 */
@Repository
class SettingsRepository {

    static final int CACHE_SECONDS = 30;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Template>> TEMPLATES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final Cache<ClinicId, NotificationSettings> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(CACHE_SECONDS)).build();

    SettingsRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** In the caller's clinic transaction. */
    NotificationSettings of(ClinicId clinic) {
        return cache.get(clinic, this::load);
    }

    private NotificationSettings load(ClinicId clinic) {
        return jdbc.sql("""
                select confirmations, reminder_offsets, quiet_start, quiet_end, channels, templates::text
                  from notification_settings where clinic_id = :clinic""")
                .param("clinic", clinic.value())
                .query(SettingsRepository::map).optional().orElse(NotificationSettings.DEFAULTS);
    }

    void save(ClinicId clinic, NotificationSettings s, Instant now) {
        jdbc.sql("""
                insert into notification_settings
                    (clinic_id, confirmations, reminder_offsets, quiet_start, quiet_end, channels, templates, updated_at)
                values (:clinic, :confirmations, :offsets, :quietStart, :quietEnd, :channels, cast(:templates as jsonb), :now)
                on conflict (clinic_id) do update set confirmations = excluded.confirmations,
                    reminder_offsets = excluded.reminder_offsets, quiet_start = excluded.quiet_start,
                    quiet_end = excluded.quiet_end, channels = excluded.channels, templates = excluded.templates,
                    updated_at = excluded.updated_at""")
                .param("clinic", clinic.value())
                .param("confirmations", s.confirmations())
                .param("offsets", new SqlArrayValue("int4", s.reminderOffsets().toArray()))
                .param("quietStart", s.quietStart() == null ? null : Time.valueOf(s.quietStart()))
                .param("quietEnd", s.quietEnd() == null ? null : Time.valueOf(s.quietEnd()))
                .param("channels", new SqlArrayValue("text", s.channels().stream().map(Enum::name).toArray()))
                .param("templates", JSON.writeValueAsString(s.templates()))
                .param("now", java.sql.Timestamp.from(now))
                .update();
        cache.invalidate(clinic);
    }

    private static NotificationSettings map(ResultSet rs, int row) throws SQLException {
        Time quietStart = rs.getTime("quiet_start");
        Time quietEnd = rs.getTime("quiet_end");
        return new NotificationSettings(rs.getBoolean("confirmations"), ints(rs.getArray("reminder_offsets")),
                quietStart == null ? null : quietStart.toLocalTime(), quietEnd == null ? null : quietEnd.toLocalTime(),
                Arrays.stream((String[]) rs.getArray("channels").getArray()).map(Channel::valueOf).toList(),
                JSON.readValue(rs.getString("templates"), TEMPLATES));
    }

    private static List<Integer> ints(Array array) throws SQLException {
        return Arrays.asList((Integer[]) array.getArray());
    }
}
