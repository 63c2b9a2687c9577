package io.healthcarebackend.identity;

import io.healthcarebackend.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.test.context.TestPropertySource;

/** {@link RefreshRaceTest} with sessions in PostgreSQL ({@code auth_sessions}): no Redis URL. */
@TestPropertySource(properties = "app.redis.url=")
class PostgresRefreshRaceTest extends RefreshRaceTest {

    @Override
    boolean sessionStored(String session) {
        try {
            return storedHash(session) != null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    String storedHash(String session) throws Exception {
        try (Connection c = TestDatabase.superuserOnTestDb();
                PreparedStatement s = c.prepareStatement("select refresh_hash from auth_sessions where id = ?")) {
            s.setObject(1, UUID.fromString(session));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? HexFormat.of().formatHex(rs.getBytes(1)) : null;
            }
        }
    }
}
