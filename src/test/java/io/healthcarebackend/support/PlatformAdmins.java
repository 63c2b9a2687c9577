package io.healthcarebackend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** Further platform administrators (the bootstrap one is shared by every test), with its password. */
public final class PlatformAdmins {

    private PlatformAdmins() {
    }

    /** Inserts a platform administrator with the e-mail and the bootstrap administrator's password; its id. */
    public static String create(String email) {
        String id = UUID.randomUUID().toString();
        try (Connection c = TestDatabase.superuserOnTestDb(); PreparedStatement s = c.prepareStatement("""
                insert into staff_users (id, clinic_id, email, name, role, password_hash)
                values (cast(? as uuid), null, ?, 'Another platform admin', 'PLATFORM_ADMIN', ?)""")) {
            s.setString(1, id);
            s.setString(2, email);
            s.setString(3, PasswordVerifiers.of(ApiTest.PLATFORM_PASSWORD, email));
            assertThat(s.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }
}
